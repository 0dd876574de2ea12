package preflight

import (
	"fmt"
	"time"
)

// Check names a preflight check. Each gives one or more Findings.
type Check string

// The checks CheckTarget runs on a target pool.
const (
	// CheckCertificate: on every target Edge server, the AccessEdgeExternal
	// certificate (Get-CsCertificate, read on that server) covers every
	// name of Target.Names (the SIP domains and the federation host), and
	// is valid now and beyond Options.CertificateWindow.
	CheckCertificate Check = "certificate"
	// CheckAccessEdge: the Access Edge configuration allows federated users
	// (Get-CsAccessEdgeConfiguration).
	CheckAccessEdge Check = "access-edge"
	// CheckPartners: at least one XMPP allowed partner exists
	// (Get-CsXmppAllowedPartner); a warning when none does. With
	// Target.IMReceiver, the receiver's domain must be one of them (an
	// error otherwise: Test-CsXmppIM would fail after every change).
	CheckPartners Check = "xmpp-partners"
	// CheckVersion: the product the topology reports (the Edge service's
	// Version) has XMPP federation: Lync Server 2013 or Skype for Business
	// Server 2015, not Skype for Business Server 2019.
	CheckVersion Check = "version"
	// CheckReachability: the management host (a Front End) connects to the
	// internal XMPP port (23456) of every target server; only with
	// Options.CheckReachability.
	CheckReachability Check = "reachability"
)

var allChecks = []Check{CheckVersion, CheckCertificate, CheckAccessEdge, CheckPartners, CheckReachability}

// Severity says what a finding means for a change.
type Severity string

// The severities.
const (
	SeverityOK      Severity = "ok"      // the check passed
	SeverityWarning Severity = "warning" // blocks unless Options.AcceptWarnings names the check
	SeverityError   Severity = "error"   // blocks
)

// Finding is the result of one check on one subject, with what to fix.
type Finding struct {
	Check    Check    `json:"check"`
	Subject  string   `json:"subject"` // e.g. "edge2a.contoso.com", "Global", "edgepool2.contoso.com"
	Severity Severity `json:"severity"`
	Message  string   `json:"message"`       // what was found
	Fix      string   `json:"fix,omitempty"` // what to do, for warnings and errors
	// Accepted marks a warning the caller accepted (Options.AcceptWarnings):
	// shown, and not blocking.
	Accepted bool `json:"accepted,omitempty"`
	// Certificate is the certificate a CheckCertificate finding is about.
	Certificate *CertificateInfo `json:"certificate,omitempty"`
}

// CertificateInfo is a certificate as a finding reports it.
type CertificateInfo struct {
	Subject          string    `json:"subject"`
	Issuer           string    `json:"issuer"`
	Thumbprint       string    `json:"thumbprint,omitempty"`
	NotBefore        time.Time `json:"not_before,omitzero"`
	NotAfter         time.Time `json:"not_after,omitzero"`
	AlternativeNames []string  `json:"alternative_names,omitempty"`
	// Missing are the SIP domains and the federation host it does not cover.
	Missing []string `json:"missing,omitempty"`
	// Chain is the chain as Get-CsCertificate shows it: the certificate's
	// subject, then its issuer. Get-CsCertificate reports no intermediate
	// certificates; the 5269 probe with STARTTLS verifies the whole chain
	// the server sends.
	Chain []string `json:"chain"`
}

// String renders a finding on one line: "[error] certificate edge2a: ...".
func (f Finding) String() string {
	sev := string(f.Severity)
	if f.Accepted {
		sev = "warning, accepted"
	}
	s := fmt.Sprintf("[%s] %s %s: %s", sev, f.Check, f.Subject, f.Message)
	if f.Fix != "" && f.Severity != SeverityOK {
		s += " (fix: " + f.Fix + ")"
	}
	return s
}

// Blocks reports whether the finding stops a change: an error, or a
// warning the caller did not accept.
func (f Finding) Blocks() bool {
	return f.Severity == SeverityError || f.Severity == SeverityWarning && !f.Accepted
}
