package preflight

import (
	"fmt"
	"slices"
	"time"
)

// DefaultCertificateWindow is Options.CertificateWindow's default.
const DefaultCertificateWindow = 14 * 24 * time.Hour

// Options tunes the checks. The zero value runs every check but
// reachability.
type Options struct {
	// CertificateWindow: a certificate that expires within it is a
	// warning (an expired one an error). Default DefaultCertificateWindow
	// (14 days).
	CertificateWindow time.Duration
	// CheckReachability adds CheckReachability: the management host (a
	// Front End) connects to the internal XMPP port of every target server.
	CheckReachability bool
	// AcceptWarnings names the checks whose warnings the caller accepts:
	// they are shown (Finding.Accepted) and do not block. A warning of any
	// other check blocks like an error.
	AcceptWarnings []Check
}

// Validate refuses a negative CertificateWindow and an unknown check in
// AcceptWarnings with an *InputError whose Field is relative to Options
// (e.g. "AcceptWarnings[0]").
func (o Options) Validate() error {
	_, err := o.normalize("")
	return err
}

// normalize checks o and returns it with defaults; an *InputError's Field
// starts with prefix (CheckTarget's "Options."), so that no caller has to
// take the error apart to name the field.
func (o Options) normalize(prefix string) (Options, error) {
	switch {
	case o.CertificateWindow < 0:
		return o, &InputError{Field: prefix + "CertificateWindow", Reason: "negative"}
	case o.CertificateWindow == 0:
		o.CertificateWindow = DefaultCertificateWindow
	}
	for i, c := range o.AcceptWarnings {
		if !slices.Contains(allChecks, c) {
			return o, &InputError{Field: fmt.Sprintf("%sAcceptWarnings[%d]", prefix, i), Reason: fmt.Sprintf("unknown check %q", c)}
		}
	}
	o.AcceptWarnings = slices.Clone(o.AcceptWarnings)
	return o, nil
}
