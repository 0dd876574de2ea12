package xmppdns

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors. Every error struct of this package matches one of them
// with errors.Is.
var (
	// ErrInvalidInput is matched by every *InputError: a value was refused
	// before anything was sent.
	ErrInvalidInput = errors.New("xmppdns: invalid input")
	// ErrConflict is matched by every *ConflictError: an RRset no longer
	// holds the value a change was planned from, so the change was not
	// written (no lost update).
	ErrConflict = errors.New("xmppdns: RRset changed since it was read")
	// ErrNotApplied is matched by every *NotAppliedError: the provider
	// reported success but the read-back does not show the new RRset.
	ErrNotApplied = errors.New("xmppdns: provider did not apply the change")
	// ErrPartial is matched by every *PartialError: a provider that cannot
	// write a change in one message applied only part of it.
	ErrPartial = errors.New("xmppdns: change partly written")
	// ErrServiceNotAvailable is returned by Resolver.Candidates when the
	// domain publishes a single SRV record with the target "." (RFC 2782:
	// the service is decidedly not available at this domain).
	ErrServiceNotAvailable = errors.New("xmppdns: XMPP server-to-server service decidedly not available")
	// ErrUnsupported is returned when a change needs a capability the
	// provider does not have (deleting an RRset without a RecordDeleter).
	ErrUnsupported = errors.New("xmppdns: provider lacks a needed capability")
	// ErrMalformed reports a record read from a provider whose data does
	// not parse as its type.
	ErrMalformed = errors.New("xmppdns: malformed record data")
	// ErrNoAnswer is matched by a *QueryError when no server gave a usable
	// answer (timeouts, network errors, malformed replies).
	ErrNoAnswer = errors.New("xmppdns: no usable DNS answer")
	// ErrRcode is matched by a *QueryError when a server answered with an
	// rcode that is a failure (SERVFAIL, REFUSED, ...).
	ErrRcode = errors.New("xmppdns: DNS server answered with a failure rcode")
)

// InputError reports a value refused by validation. Field names the input
// (e.g. "SRV[1].Target"); Value is an excerpt of what was given.
type InputError struct {
	Field  string
	Value  string
	Reason string
}

// Error names the field, an excerpt of the value and the reason.
func (e *InputError) Error() string {
	return fmt.Sprintf("xmppdns: invalid %s %q: %s", e.Field, excerpt(e.Value), e.Reason)
}

// Is reports whether target is ErrInvalidInput.
func (e *InputError) Is(target error) bool { return target == ErrInvalidInput }

func inputErr(field, value, format string, args ...any) *InputError {
	return &InputError{Field: field, Value: value, Reason: fmt.Sprintf(format, args...)}
}

// ConflictError reports that an RRset held Found when Expected was required.
// Cause is the provider's error when the provider detected the conflict
// itself (a failed prerequisite), or nil when a read-back found it.
type ConflictError struct {
	Zone     string
	Expected RRset
	Found    RRset
	Cause    error
}

// Error shows the RRset expected and the one found.
func (e *ConflictError) Error() string {
	return fmt.Sprintf("xmppdns: %s %s in zone %s changed since it was read: expected (%s), found (%s)",
		e.Expected.Name, e.Expected.Type, e.Zone, e.Expected.dataString(), e.Found.dataString())
}

// Is reports whether target is ErrConflict.
func (e *ConflictError) Is(target error) bool { return target == ErrConflict }

// Unwrap returns the provider's error, if any.
func (e *ConflictError) Unwrap() error { return e.Cause }

// NotAppliedError reports RRsets that a provider claimed to have written but
// that the read-back shows otherwise.
type NotAppliedError struct {
	Zone string
	Want []RRset // what should be there
	Got  []RRset // what the read-back found, in the same order
}

// Error lists each RRset wanted and what the read-back found.
func (e *NotAppliedError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "xmppdns: provider reported success but zone %s does not hold", e.Zone)
	for i := range e.Want {
		fmt.Fprintf(&b, "; %s %s: want (%s), got (%s)", e.Want[i].Name, e.Want[i].Type,
			e.Want[i].dataString(), e.Got[i].dataString())
	}
	return b.String()
}

// Is reports whether target is ErrNotApplied.
func (e *NotAppliedError) Is(target error) bool { return target == ErrNotApplied }

// QueryError reports a DNS question that got no usable answer. Rcode is the
// failure rcode when a server answered (-1 when none did).
type QueryError struct {
	Server string // ip:port asked last
	Name   string
	Type   string
	Rcode  int
	Err    error // the transport error, if any
}

// Error names the question, the server and the rcode or transport error.
func (e *QueryError) Error() string {
	if e.Rcode >= 0 {
		return fmt.Sprintf("xmppdns: %s %s at %s: rcode %s", e.Name, e.Type, e.Server, rcodeName(e.Rcode))
	}
	return fmt.Sprintf("xmppdns: %s %s at %s: %v", e.Name, e.Type, e.Server, e.Err)
}

// Is reports whether target is ErrRcode (a server answered with a failure)
// or ErrNoAnswer (none answered).
func (e *QueryError) Is(target error) bool {
	if e.Rcode >= 0 {
		return target == ErrRcode
	}
	return target == ErrNoAnswer
}

// Unwrap returns the transport error.
func (e *QueryError) Unwrap() error { return e.Err }

func excerpt(s string) string {
	const max = 80
	if len(s) <= max {
		return s
	}
	return s[:max] + "..."
}
