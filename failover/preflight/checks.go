package preflight

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/xmppfed/edgefailover/edge"
	"github.com/xmppfed/edgefailover/internal/dnsname"
	"github.com/xmppfed/edgefailover/lync"
)

// readFailed is the finding of a check whose cmdlet could not be read.
func readFailed(check Check, subject, cmdlet string, err error) []Finding {
	return []Finding{{Check: check, Subject: subject, Severity: SeverityError,
		Message: cmdlet + " could not be read: " + err.Error(),
		Fix:     "run it as a member of RTCUniversalServerAdmins on " + subject + " and check the error"}}
}

// checkVersion reads the product from the Edge service's Version (6 Lync
// Server 2013, 7 Skype for Business Server 2015, 8 and later Skype for
// Business Server 2019, which has no XMPP gateway or proxy; the mapping of
// 8 is assumed, unconfirmed).
func checkVersion(pool string, es lync.EdgeService) []Finding {
	f := Finding{Check: CheckVersion, Subject: pool, Severity: SeverityOK}
	switch v := es.Version; {
	case v == 6:
		f.Message = "Lync Server 2013 (Version 6): XMPP federation supported"
	case v == 7:
		f.Message = "Skype for Business Server 2015 (Version 7): XMPP federation supported"
	case v >= 8:
		f.Severity = SeverityError
		f.Message = fmt.Sprintf("Skype for Business Server 2019 or later (Version %d) has no XMPP gateway or proxy", v)
		f.Fix = "keep XMPP federation on a Lync Server 2013 or Skype for Business Server 2015 Edge pool in coexistence"
	case v == 0:
		f.Severity = SeverityWarning
		f.Message = "the topology reports no Version for the Edge service"
		f.Fix = "check Get-CsService -EdgeServer; accept the warning if the pool runs Lync Server 2013 or Skype for Business Server 2015"
	default:
		f.Severity = SeverityError
		f.Message = fmt.Sprintf("Version %d is older than Lync Server 2013: no XMPP federation", v)
		f.Fix = "fail over to a Lync Server 2013 or Skype for Business Server 2015 Edge pool"
	}
	return []Finding{f}
}

func checkAccessEdge(ctx context.Context, mgmt *lync.Client) []Finding {
	ae, err := mgmt.Federation.AccessEdge(ctx)
	if err != nil {
		return readFailed(CheckAccessEdge, "Global", "Get-CsAccessEdgeConfiguration", err)
	}
	f := Finding{Check: CheckAccessEdge, Subject: ae.Identity, Severity: SeverityOK, Message: "AllowFederatedUsers is True"}
	if !ae.AllowFederatedUsers {
		f.Severity = SeverityError
		f.Message = "AllowFederatedUsers is False: the Access Edge refuses federated (also XMPP) traffic"
		f.Fix = "Set-CsAccessEdgeConfiguration -AllowFederatedUsers $true"
	}
	return []Finding{f}
}

// checkPartners reads the XMPP allowed partners; with an IM receiver
// (Target.IMReceiver, "" for none), its domain must be one of them, or
// failover's verify/xmpp-im would fail only after every change, and roll
// them back.
func checkPartners(ctx context.Context, mgmt *lync.Client, receiver string) []Finding {
	ps, err := mgmt.Federation.XmppPartners(ctx)
	if err != nil {
		return readFailed(CheckPartners, "Global", "Get-CsXmppAllowedPartner", err)
	}
	out := []Finding{partnersFinding(ps)}
	if receiver != "" {
		out = append(out, receiverFinding(ps, receiver))
	}
	return out
}

func partnersFinding(ps []lync.XmppPartner) Finding {
	f := Finding{Check: CheckPartners, Subject: "Global", Severity: SeverityOK}
	if len(ps) == 0 {
		f.Severity = SeverityWarning
		f.Message = "no XMPP allowed partner: no XMPP domain can federate with this deployment"
		f.Fix = "add the partners with New-CsXmppAllowedPartner, or accept the warning when none is meant to exist yet"
		return f
	}
	doms := make([]string, len(ps))
	for i, p := range ps {
		doms[i] = p.Domain
	}
	f.Message = fmt.Sprintf("XMPP allowed partners (%d): %s", len(ps), strings.Join(doms, ", "))
	return f
}

// receiverFinding: the XMPP gateway sends Test-CsXmppIM's IM only to a
// domain of an allowed partner (its Domain or AdditionalDomains).
func receiverFinding(ps []lync.XmppPartner, receiver string) Finding {
	_, domain, _ := strings.Cut(receiver, "@") // user@domain: checked by CheckTarget
	f := Finding{Check: CheckPartners, Subject: receiver, Severity: SeverityOK,
		Message: "the IM receiver's domain " + domain + " is an XMPP allowed partner"}
	for _, p := range ps {
		if dnsname.Equal(p.Domain, domain) || slices.ContainsFunc(p.AdditionalDomains, func(d string) bool { return dnsname.Equal(d, domain) }) {
			return f
		}
	}
	f.Severity = SeverityError
	f.Message = "the IM receiver's domain " + domain + " is not an XMPP allowed partner: verify/xmpp-im would fail after every change"
	f.Fix = "add it with New-CsXmppAllowedPartner, or set Verify.IMReceiver to a user of an allowed partner"
	return f
}

// checkCertificates reads the AccessEdgeExternal certificates on one Edge
// server and checks their names and dates.
func checkCertificates(ctx context.Context, t Target, srv *edge.Server) []Finding {
	certs, err := srv.Client().Federation.Certificates(ctx, lync.UseAccessEdgeExternal)
	if err != nil {
		return readFailed(CheckCertificate, srv.FQDN(), "Get-CsCertificate", err)
	}
	if len(certs) == 0 {
		return []Finding{{Check: CheckCertificate, Subject: srv.FQDN(), Severity: SeverityError,
			Message: "no certificate is assigned to the Access Edge external interface",
			Fix:     "request a public CA certificate with every SIP domain as a SAN and assign it with Set-CsCertificate -Type AccessEdgeExternal"}}
	}
	want := t.Names
	now := time.Now()
	var out []Finding
	for _, ce := range certs {
		info := &CertificateInfo{Subject: ce.Subject, Issuer: ce.Issuer, Thumbprint: ce.Thumbprint,
			NotBefore: ce.NotBefore, NotAfter: ce.NotAfter, AlternativeNames: ce.AlternativeNames,
			Chain: []string{ce.Subject, ce.Issuer}}
		for _, n := range want {
			if !ce.Covers(n) {
				info.Missing = append(info.Missing, n)
			}
		}
		f := Finding{Check: CheckCertificate, Subject: srv.FQDN(), Severity: SeverityOK, Certificate: info}
		switch {
		case len(info.Missing) > 0:
			f.Severity = SeverityError
			f.Message = "the Access Edge external certificate does not cover " + strings.Join(info.Missing, ", ")
			f.Fix = "reissue the certificate from a public CA with every SIP domain with XMPP users and the federation host as SANs, and assign it on every server of the pool"
		case ce.NotAfter.IsZero():
			f.Severity = SeverityWarning
			f.Message = fmt.Sprintf("the expiry date %q could not be read", ce.NotAfterText)
			f.Fix = "check the date with Get-CsCertificate -Type AccessEdgeExternal and accept the warning"
		case !now.Before(ce.NotAfter):
			f.Severity = SeverityError
			f.Message = "the Access Edge external certificate expired on " + ce.NotAfter.Format(time.DateOnly)
			f.Fix = "renew the certificate and assign it with Set-CsCertificate -Type AccessEdgeExternal"
		case !ce.NotBefore.IsZero() && now.Before(ce.NotBefore):
			f.Severity = SeverityError
			f.Message = "the Access Edge external certificate is not valid before " + ce.NotBefore.Format(time.DateOnly)
			f.Fix = "assign a certificate valid now"
		case ce.NotAfter.Before(now.Add(t.Options.CertificateWindow)):
			f.Severity = SeverityWarning
			f.Message = fmt.Sprintf("the Access Edge external certificate expires on %s, within %s",
				ce.NotAfter.Format(time.DateOnly), days(t.Options.CertificateWindow))
			f.Fix = "renew it before it expires, or accept the warning"
		case ce.Subject != "" && ce.Subject == ce.Issuer:
			f.Severity = SeverityWarning
			f.Message = "the certificate is self-signed; remote XMPP servers expect a public CA"
			f.Fix = "use a certificate from a public CA, or accept the warning in a lab"
		default:
			f.Message = fmt.Sprintf("covers %s; valid until %s", strings.Join(want, ", "), ce.NotAfter.Format(time.DateOnly))
		}
		out = append(out, f)
	}
	return out
}

func days(d time.Duration) string { return strconv.Itoa(int(d/(24*time.Hour))) + " days" }

// checkReach connects from the management host to the server's internal
// XMPP port, as the Front End's XMPP gateway does.
func checkReach(ctx context.Context, mgmt *lync.Client, server string, port int) []Finding {
	if port == 0 {
		port = 23456
	}
	subject := server + ":" + strconv.Itoa(port)
	r, err := mgmt.Federation.TestTCP(ctx, server, port)
	if err != nil {
		return readFailed(CheckReachability, subject, "a TCP test from the management host", err)
	}
	f := Finding{Check: CheckReachability, Subject: subject, Severity: SeverityOK, Message: "reachable from the management host"}
	if !r.Reachable {
		f.Severity = SeverityError
		f.Message = "not reachable from the management host: " + r.Error
		f.Fix = fmt.Sprintf("open TCP %d (MTLS) from the Front End servers to the Edge internal interface", port)
	}
	return []Finding{f}
}
