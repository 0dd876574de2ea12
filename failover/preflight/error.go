package preflight

import (
	"errors"
	"fmt"
)

// Sentinel errors; match them with errors.Is.
var (
	// ErrFailed is matched by every *Error.
	ErrFailed = errors.New("preflight failed")
	// ErrFindings is the cause (Error.Err) when checks found errors, or
	// warnings the caller did not accept; Error.Findings lists every
	// finding.
	ErrFindings = errors.New("preflight checks failed")
	// ErrInvalidInput is matched by every *InputError.
	ErrInvalidInput = errors.New("preflight: invalid input")
)

// Error reports a check that failed before any change: what was checked,
// and what to fix. Verdict returns it for blocking findings; failover.New
// also returns it when a read it needs before the first change fails.
type Error struct {
	Check string // e.g. "target pool", "site", "certificate edge2a.contoso.com"
	Fix   string // what the operator should do
	Err   error  // the cause, e.g. ErrFindings, a *lync.CmdletError or *edge.PoolError
	// Findings are every finding of the checks when they blocked (Err then
	// matches ErrFindings); nil otherwise.
	Findings []Finding
}

func (e *Error) Error() string {
	s := "preflight: " + e.Check
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	if e.Fix != "" {
		s += " (" + e.Fix + ")"
	}
	return s
}

// Is reports whether target is ErrFailed.
func (e *Error) Is(target error) bool { return target == ErrFailed }

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// InputError reports a Target or Options field refused before anything
// was read. It matches ErrInvalidInput.
type InputError struct {
	Field  string // e.g. "Pool", "Options.AcceptWarnings[0]"
	Reason string
	Err    error // the cause, if any
}

func (e *InputError) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("preflight: %s: %s: %v", e.Field, e.Reason, e.Err)
	}
	return fmt.Sprintf("preflight: %s: %s", e.Field, e.Reason)
}

// Is reports whether target is ErrInvalidInput.
func (e *InputError) Is(target error) bool { return target == ErrInvalidInput }

// Unwrap returns the cause.
func (e *InputError) Unwrap() error { return e.Err }

// Verdict returns nil when no finding blocks (see Finding.Blocks), or an
// *Error matching ErrFindings that names the first blocking finding (an
// error before a warning) and holds every finding.
func Verdict(fs []Finding) error {
	var errs, warns int
	var first *Finding
	for i := range fs {
		if !fs[i].Blocks() {
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
	return &Error{
		Check:    fmt.Sprintf("%s %s", first.Check, first.Subject),
		Fix:      first.Fix,
		Err:      fmt.Errorf("%w: %d errors, %d warnings not accepted; first: %s", ErrFindings, errs, warns, first.Message),
		Findings: fs,
	}
}
