package lync

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"github.com/xmppfed/edgefailover/internal/dnsname"
	"github.com/xmppfed/edgefailover/internal/pwsh"
)

// Certificate uses (Get-CsCertificate -Type, the CertType enum) this package
// names. The Lync Server 2010 Get-CsCertificate page lists these among others
// (AudioVideoAuthentication, DataEdgeExternal, Default, External, Internal,
// WebServicesExternal, ...).
const (
	UseAccessEdgeExternal = "AccessEdgeExternal"
	UseDataEdgeExternal   = "DataEdgeExternal"
	UseInternal           = "Internal"
)

// Certificate is one certificate as Get-CsCertificate shows it.
//
// Sources: the Get-CsCertificate page (Lync Server 2010,
// learn.microsoft.com gg398227) gives the syntax
// (-Type <CertType[]>, -NetportId, -Report), the types and the return type
// (Microsoft.Rtc.Management.Deployment.CertificateReference) but no
// property list. The properties read here (Use, Subject, Issuer, Thumbprint,
// SerialNumber, NotBefore, NotAfter, AlternativeNames) are those a real
// listing shows (practitioners' output); unconfirmed by a primary source,
// as is the form of AlternativeNames (read as DNS names; a "DNS Name="
// prefix is stripped if a host writes one).
type Certificate struct {
	Use          string // e.g. UseAccessEdgeExternal
	Subject      string // e.g. "CN=sip.contoso.com, O=Contoso"
	Issuer       string // e.g. "CN=Public CA G2, O=Example Trust"
	Thumbprint   string
	SerialNumber string
	// NotBefore and NotAfter are the host's [string] of the dates, parsed
	// (zero when no known layout matched; the texts are kept).
	NotBefore, NotAfter         time.Time
	NotBeforeText, NotAfterText string
	// AlternativeNames are the subject alternative names, lower case.
	AlternativeNames []string
}

type certificateJSON struct {
	Use, Subject, Issuer, Thumbprint, SerialNumber, NotBefore, NotAfter string
	AlternativeNames                                                    []string
}

// Certificates returns the Lync certificates of the host the client reaches
// of the given uses (all when none is given). The cmdlet reads the local
// computer only, so the certificates of an Edge server are read with that
// server's client.
//
// Runs: Get-CsCertificate [-Type @('<use>', ...)] | Select-Object -Property @{ Name = 'Use'; Expression = { [string]$_.Use } }, ...
func (s *FederationService) Certificates(ctx context.Context, uses ...string) ([]Certificate, error) {
	script, err := Scripts{}.Certificates(uses...)
	if err != nil {
		return nil, err
	}
	raw, err := s.client.runner.Run(ctx, script)
	if err != nil {
		return nil, err
	}
	return parseCertificates(raw)
}

// Certificates returns what runs for FederationService.Certificates.
func (Scripts) Certificates(uses ...string) (string, error) {
	cmd := pwsh.NewCommand("Get-CsCertificate")
	for _, u := range uses {
		if !isAlnumWord(u) {
			return "", inputError("certificate use", u, "only ASCII letters and digits", nil)
		}
	}
	if len(uses) > 0 {
		cmd.Strings("Type", uses...)
	}
	return cmd.Select(
		pwsh.Property{Name: "Use", Cast: pwsh.CastString},
		pwsh.Property{Name: "Subject", Cast: pwsh.CastString},
		pwsh.Property{Name: "Issuer", Cast: pwsh.CastString},
		pwsh.Property{Name: "Thumbprint", Cast: pwsh.CastString},
		pwsh.Property{Name: "SerialNumber", Cast: pwsh.CastString},
		pwsh.Property{Name: "NotBefore", Cast: pwsh.CastString},
		pwsh.Property{Name: "NotAfter", Cast: pwsh.CastString},
		pwsh.Property{Name: "AlternativeNames", Cast: pwsh.CastStrings},
	).Script()
}

// parseCertificates reads the JSON array a host writes for
// CertificatesScript. It is exported for fuzzing and for programs that
// collect the output themselves; bad input gives a *ProtocolError.
func parseCertificates(raw []byte) ([]Certificate, error) {
	var out []certificateJSON
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil, &ProtocolError{Op: "Get-CsCertificate", Err: err}
	}
	certs := make([]Certificate, len(out))
	for i, c := range out {
		names := make([]string, 0, len(c.AlternativeNames))
		for _, n := range c.AlternativeNames {
			n = strings.TrimSpace(n)
			if len(n) > 9 && strings.EqualFold(n[:9], "DNS Name=") {
				n = n[9:]
			}
			if n != "" {
				names = append(names, strings.ToLower(n))
			}
		}
		certs[i] = Certificate{Use: c.Use, Subject: c.Subject, Issuer: c.Issuer, Thumbprint: c.Thumbprint,
			SerialNumber: c.SerialNumber, NotBeforeText: c.NotBefore, NotAfterText: c.NotAfter,
			NotBefore: parseHostTime(c.NotBefore), NotAfter: parseHostTime(c.NotAfter), AlternativeNames: names}
	}
	return certs, nil
}

// Covers reports whether one of the certificate's alternative names matches
// name (an FQDN): exactly, or by a wildcard in the left-most label only
// ("*.contoso.com" covers "xmpp.contoso.com", not "contoso.com" nor
// "a.b.contoso.com"), case-insensitively, as RFC 6125 §6.4 matches a
// DNS-ID. The subject's CN is not consulted (RFC 6125 §6.4.4: not when
// alternative names are present, and an Access Edge certificate has them).
func (c *Certificate) Covers(name string) bool {
	name, err := dnsname.ParseFQDN(name)
	if err != nil {
		return false
	}
	for _, san := range c.AlternativeNames {
		san = strings.TrimSuffix(san, ".")
		if san == name {
			return true
		}
		if rest, ok := strings.CutPrefix(san, "*."); ok {
			if _, parent, found := strings.Cut(name, "."); found && parent == rest && !strings.Contains(rest, "*") {
				return true
			}
		}
	}
	return false
}

func isAlnumWord(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isAlnum(s[i]) {
			return false
		}
	}
	return true
}
