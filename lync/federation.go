package lync

import (
	"context"
	"strings"

	"github.com/xmppfed/edgefailover/internal/pwsh"
)

// FederationService serves the preflight checks of a failover: it reads the
// federation settings of the deployment (Get-CsAccessEdgeConfiguration,
// Get-CsXmppAllowedPartner) and runs the end-to-end XMPP IM test
// (Test-CsXmppIM) on the management host; it reads the host's own
// certificates (Get-CsCertificate) and tests what the host can reach (a TCP
// connection with .NET sockets).
type FederationService service

// AccessEdgeConfig is the Access Edge configuration as
// Get-CsAccessEdgeConfiguration shows it.
//
// Sources: Get-CsAccessEdgeConfiguration (learn.microsoft.com,
// powershell/module/skype/Get-CsAccessEdgeConfiguration: -Identity,
// -Filter, -LocalStore; one global collection) and Set-CsAccessEdgeConfiguration.md
// (office-docs-powershell: the properties AllowFederatedUsers,
// AllowOutsideUsers, AllowAnonymousUsers, EnablePartnerDiscovery). That
// Identity reads "Global" is from practitioners' listings (unconfirmed).
type AccessEdgeConfig struct {
	Identity               string // "Global"
	AllowFederatedUsers    bool   // federation (SIP and XMPP) is on
	AllowOutsideUsers      bool
	AllowAnonymousUsers    bool
	EnablePartnerDiscovery bool
}

type accessEdgeJSON struct {
	Identity                                                                            string
	AllowFederatedUsers, AllowOutsideUsers, AllowAnonymousUsers, EnablePartnerDiscovery bool
}

// AccessEdge returns the global Access Edge configuration.
//
// Runs: Get-CsAccessEdgeConfiguration | Select-Object -Property @{ Name = 'Identity'; Expression = { [string]$_.Identity } }, @{ Name = 'AllowFederatedUsers'; Expression = { [bool]$_.AllowFederatedUsers } }, ...
func (s *FederationService) AccessEdge(ctx context.Context) (*AccessEdgeConfig, error) {
	script, err := Scripts{}.AccessEdge()
	if err != nil {
		return nil, err
	}
	var out []accessEdgeJSON
	if err := s.client.run(ctx, "Get-CsAccessEdgeConfiguration", script, &out); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, &notFoundError{Kind: "Access Edge configuration", Name: "Global"}
	}
	a := out[0]
	return &AccessEdgeConfig{Identity: a.Identity, AllowFederatedUsers: a.AllowFederatedUsers,
		AllowOutsideUsers: a.AllowOutsideUsers, AllowAnonymousUsers: a.AllowAnonymousUsers,
		EnablePartnerDiscovery: a.EnablePartnerDiscovery}, nil
}

// AccessEdge returns what runs for FederationService.AccessEdge.
func (Scripts) AccessEdge() (string, error) {
	return pwsh.NewCommand("Get-CsAccessEdgeConfiguration").Select(
		pwsh.Property{Name: "Identity", Cast: pwsh.CastString},
		pwsh.Property{Name: "AllowFederatedUsers", Cast: pwsh.CastBool},
		pwsh.Property{Name: "AllowOutsideUsers", Cast: pwsh.CastBool},
		pwsh.Property{Name: "AllowAnonymousUsers", Cast: pwsh.CastBool},
		pwsh.Property{Name: "EnablePartnerDiscovery", Cast: pwsh.CastBool},
	).Script()
}

// XmppPartner is an XMPP allowed partner as Get-CsXmppAllowedPartner shows
// it.
//
// Sources: New-CsXmppAllowedPartner and Set-CsXmppAllowedPartner
// (learn.microsoft.com, powershell/module/skypeforbusiness; Lync Server
// 2013 and later): -Domain, -AdditionalDomains, -PartnerType, -ProxyFqdn,
// -TlsNegotiation, -SaslNegotiation, -SupportDialbackNegotiation. That the
// output objects carry properties of the same names, with Identity equal
// to the domain, is assumed (unconfirmed); enums are read as [string].
type XmppPartner struct {
	Identity          string
	Domain            string
	AdditionalDomains []string
	PartnerType       string // e.g. "Federated", "PublicVerified", "PublicUnverified"
	ProxyFqdn         string
	TlsNegotiation    string // "Required", "Optional", "NotSupported"
	SaslNegotiation   string
	Dialback          bool // SupportDialbackNegotiation
}

type partnerJSON struct {
	Identity, Domain, PartnerType, ProxyFqdn, TlsNegotiation, SaslNegotiation string
	AdditionalDomains                                                         []string
	SupportDialbackNegotiation                                                bool
}

// XmppPartners returns every XMPP allowed partner.
//
// Runs: Get-CsXmppAllowedPartner | Select-Object -Property @{ Name = 'Identity'; Expression = { [string]$_.Identity } }, ...
func (s *FederationService) XmppPartners(ctx context.Context) ([]XmppPartner, error) {
	script, err := Scripts{}.XmppPartners()
	if err != nil {
		return nil, err
	}
	var out []partnerJSON
	if err := s.client.run(ctx, "Get-CsXmppAllowedPartner", script, &out); err != nil {
		return nil, err
	}
	list := make([]XmppPartner, len(out))
	for i, p := range out {
		list[i] = XmppPartner{Identity: p.Identity, Domain: p.Domain, AdditionalDomains: p.AdditionalDomains,
			PartnerType: p.PartnerType, ProxyFqdn: p.ProxyFqdn, TlsNegotiation: p.TlsNegotiation,
			SaslNegotiation: p.SaslNegotiation, Dialback: p.SupportDialbackNegotiation}
	}
	return list, nil
}

// XmppPartners returns what runs for FederationService.XmppPartners.
func (Scripts) XmppPartners() (string, error) {
	return pwsh.NewCommand("Get-CsXmppAllowedPartner").Select(
		pwsh.Property{Name: "Identity", Cast: pwsh.CastString},
		pwsh.Property{Name: "Domain", Cast: pwsh.CastString},
		pwsh.Property{Name: "AdditionalDomains", Cast: pwsh.CastStrings},
		pwsh.Property{Name: "PartnerType", Cast: pwsh.CastString},
		pwsh.Property{Name: "ProxyFqdn", Cast: pwsh.CastString},
		pwsh.Property{Name: "TlsNegotiation", Cast: pwsh.CastString},
		pwsh.Property{Name: "SaslNegotiation", Cast: pwsh.CastString},
		pwsh.Property{Name: "SupportDialbackNegotiation", Cast: pwsh.CastBool},
	).Script()
}

// XmppIMResult is the outcome of Test-CsXmppIM: an outcome, not an error,
// when the test ran and failed.
//
// Sources: Test-CsXmppIM (learn.microsoft.com,
// powershell/module/skypeforbusiness/test-csxmppim; Lync Server 2013 and
// later): the ServerPlatform parameter set [-TargetFqdn] <pool> -Receiver
// <xmpp user> [-UserSipAddress] [-RegistrarPort] [-Authentication]
// [-Force]. The output properties TargetFqdn, Result ("Success" or
// "Failure"), Latency, Error and Diagnosis are those of the synthetic
// transactions' TestResult as practitioners show it (unconfirmed).
type XmppIMResult struct {
	TargetFqdn string
	Result     string // "Success" or "Failure"
	Latency    string // the host's [string] of a TimeSpan
	Error      string
	Diagnosis  string
}

// OK reports whether the IM crossed the gateway.
func (r *XmppIMResult) OK() bool { return r != nil && strings.EqualFold(r.Result, "Success") }

type imJSON struct{ TargetFqdn, Result, Latency, Error, Diagnosis string }

// TestXmppIM sends a test IM through the XMPP gateway of pool (a Front End
// pool FQDN) to receiver (an XMPP user, user@domain), from sender when it is
// not "" (a SIP address; default: the pool's health monitoring test user).
//
// Runs: Test-CsXmppIM -TargetFqdn <pool> -Receiver <user> [-UserSipAddress <sip>] | Select-Object -Property TargetFqdn, @{ Name = 'Result'; Expression = { [string]$_.Result } }, ...
func (s *FederationService) TestXmppIM(ctx context.Context, pool, receiver, sender string) (*XmppIMResult, error) {
	script, err := Scripts{}.TestXmppIM(pool, receiver, sender)
	if err != nil {
		return nil, err
	}
	var out []imJSON
	if err := s.client.run(ctx, "Test-CsXmppIM", script, &out); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, &ProtocolError{Op: "Test-CsXmppIM", Err: errNoOutput}
	}
	r := out[0]
	return &XmppIMResult{TargetFqdn: r.TargetFqdn, Result: r.Result, Latency: r.Latency, Error: r.Error, Diagnosis: r.Diagnosis}, nil
}

// TestXmppIM returns what runs for FederationService.TestXmppIM.
func (Scripts) TestXmppIM(pool, receiver, sender string) (string, error) {
	pool, err := parseFQDN("pool", pool)
	if err != nil {
		return "", err
	}
	if err := ParseXmppUser(receiver); err != nil {
		return "", err
	}
	cmd := pwsh.NewCommand("Test-CsXmppIM").String("TargetFqdn", pool).String("Receiver", receiver)
	if sender != "" {
		if err := ParseSipAddress(sender); err != nil {
			return "", err
		}
		cmd.String("UserSipAddress", sender)
	}
	return cmd.Select(
		pwsh.Property{Name: "TargetFqdn", Cast: pwsh.CastString},
		pwsh.Property{Name: "Result", Cast: pwsh.CastString},
		pwsh.Property{Name: "Latency", Cast: pwsh.CastString},
		pwsh.Property{Name: "Error", Cast: pwsh.CastString},
		pwsh.Property{Name: "Diagnosis", Cast: pwsh.CastString},
	).Script()
}

// ParseXmppUser checks a bare XMPP address user@domain: a non-empty local
// part of ASCII letters, digits and . _ - + (stricter than RFC 7622, so
// that no value needs more than plain quoting), and an FQDN domain.
func ParseXmppUser(s string) error {
	local, domain, ok := strings.Cut(s, "@")
	if !ok || local == "" || len(local) > 64 {
		return inputError("XMPP user", s, "must be user@domain", nil)
	}
	for i := 0; i < len(local); i++ {
		if c := local[i]; !isAlnum(c) && !strings.ContainsRune("._-+", rune(c)) {
			return inputError("XMPP user", s, "local part: only ASCII letters, digits and . _ - +", nil)
		}
	}
	if _, err := parseFQDN("XMPP user domain", domain); err != nil {
		return err
	}
	return nil
}

// ParseSipAddress checks a SIP address "sip:user@domain" with the rules of
// ParseXmppUser for user@domain.
func ParseSipAddress(s string) error {
	if len(s) < 4 || !strings.EqualFold(s[:4], "sip:") {
		return inputError("SIP address", s, "must start with sip:", nil)
	}
	return ParseXmppUser(s[4:])
}
