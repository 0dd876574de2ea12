package failover

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Check names a preflight check of New. Each runs before the first change
// and gives one or more Findings.
type Check string

// The checks New runs on the target pool, beyond the topology, WinRM and
// DNS reads it always makes.
const (
	// CheckCertificate: on every target Edge server, the AccessEdgeExternal
	// certificate (Get-CsCertificate, read on that server) covers every SIP
	// domain and the federation host, and is valid now and beyond
	// Preflight.CertificateWindow.
	CheckCertificate Check = "certificate"
	// CheckAccessEdge: the Access Edge configuration allows federated users
	// (Get-CsAccessEdgeConfiguration).
	CheckAccessEdge Check = "access-edge"
	// CheckPartners: at least one XMPP allowed partner exists
	// (Get-CsXmppAllowedPartner); a warning when none does. With
	// Verify.IMReceiver, the receiver's domain must be one of them (an
	// error otherwise: Test-CsXmppIM would fail after every change).
	CheckPartners Check = "xmpp-partners"
	// CheckVersion: the product the topology reports (the Edge service's
	// Version) has XMPP federation: Lync Server 2013 or Skype for Business
	// Server 2015, not Skype for Business Server 2019.
	CheckVersion Check = "version"
	// CheckReachability: the management host (a Front End) connects to the
	// internal XMPP port (23456) of every target server; only with
	// Preflight.CheckReachability.
	CheckReachability Check = "reachability"
)

var allChecks = []Check{CheckVersion, CheckCertificate, CheckAccessEdge, CheckPartners, CheckReachability}

// Severity says what a finding means for the plan.
type Severity string

// The severities.
const (
	SeverityOK      Severity = "ok"      // the check passed
	SeverityWarning Severity = "warning" // New refuses unless Preflight.AcceptWarnings names the check
	SeverityError   Severity = "error"   // New refuses
)

// Finding is the result of one check on one subject, with what to fix.
type Finding struct {
	Check    Check    `json:"check"`
	Subject  string   `json:"subject"` // e.g. "edge2a.contoso.com", "Global", "edgepool2.contoso.com"
	Severity Severity `json:"severity"`
	Message  string   `json:"message"`       // what was found
	Fix      string   `json:"fix,omitempty"` // what to do, for warnings and errors
	// Accepted marks a warning the caller accepted (Preflight.AcceptWarnings):
	// shown, and not stopping New.
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

// blocks reports whether the finding stops New.
func (f Finding) blocks() bool {
	return f.Severity == SeverityError || f.Severity == SeverityWarning && !f.Accepted
}

// ErrPreflightFindings is the cause (PreflightError.Err) when checks found
// errors, or warnings the caller did not accept; PreflightError.Findings
// lists every finding.
var ErrPreflightFindings = errors.New("failover: preflight checks failed")

func findingsError(fs []Finding) error {
	var errs, warns int
	var first *Finding
	for i := range fs {
		if !fs[i].blocks() {
			continue
		}
		if fs[i].Severity == SeverityError {
			errs++
		} else {
			warns++
		}
		if first == nil || (first.Severity != SeverityError && fs[i].Severity == SeverityError) {
			first = &fs[i]
		}
	}
	if first == nil {
		return nil
	}
	return &PreflightError{
		Check:    fmt.Sprintf("%s %s", first.Check, first.Subject),
		Fix:      first.Fix,
		Err:      fmt.Errorf("%w: %d errors, %d warnings not accepted; first: %s", ErrPreflightFindings, errs, warns, first.Message),
		Findings: fs,
	}
}

func writeFindings(b *strings.Builder, fs []Finding) {
	if len(fs) == 0 {
		return
	}
	b.WriteString("\nPreflight checks:\n")
	for _, f := range fs {
		fmt.Fprintf(b, "  %s\n", f)
	}
}
