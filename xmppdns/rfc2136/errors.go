package rfc2136

import (
	"errors"
	"fmt"

	"github.com/miekg/dns"
)

// Sentinels matched with errors.Is. Every *RcodeError matches the sentinel of
// its rcode (or of its TSIG error).
var (
	ErrInvalid          = errors.New("rfc2136: invalid input")                      // *InputError: refused before any packet was sent
	ErrRefused          = errors.New("rfc2136: REFUSED")                            // the server refused (unsigned update, no permission, secondary)
	ErrNotAuth          = errors.New("rfc2136: NOTAUTH")                            // not authoritative for the zone, or TSIG failed
	ErrNotZone          = errors.New("rfc2136: NOTZONE")                            // a name lies outside the zone
	ErrYXRRSet          = errors.New("rfc2136: YXRRSET")                            // prerequisite: an RRset exists that should not
	ErrNXRRSet          = errors.New("rfc2136: NXRRSET")                            // prerequisite: an RRset does not exist or differs
	ErrYXDomain         = errors.New("rfc2136: YXDOMAIN")                           // prerequisite: a name exists that should not
	ErrNXDomain         = errors.New("rfc2136: NXDOMAIN")                           // prerequisite: a name does not exist
	ErrServFail         = errors.New("rfc2136: SERVFAIL")                           // the server failed
	ErrFormErr          = errors.New("rfc2136: FORMERR")                            // the server could not parse the message
	ErrNotImp           = errors.New("rfc2136: NOTIMP")                             // the server does not implement the opcode
	ErrBadSig           = errors.New("rfc2136: TSIG BADSIG")                        // the server rejected the signature (wrong secret)
	ErrBadKey           = errors.New("rfc2136: TSIG BADKEY")                        // the server does not know the key or its algorithm
	ErrBadTime          = errors.New("rfc2136: TSIG BADTIME")                       // the clocks differ by more than the fudge
	ErrConflict         = errors.New("rfc2136: RRset changed meanwhile")            // *ConflictError: a conditional write found another value
	ErrListUnsupported  = errors.New("rfc2136: listing the zone needs AXFR rights") // GetRecords without transfer permission
	ErrTransport        = errors.New("rfc2136: no answer from the server")          // network failure or timeout; an update's outcome is unknown
	ErrResponseSig      = errors.New("rfc2136: the answer's TSIG does not verify")  // a signed request got an unsigned or forged answer
	ErrNotAuthoritative = errors.New("rfc2136: the answer is not authoritative")    // the server is not authoritative for the zone
	ErrKerberos         = errors.New("rfc2136: GSS-TSIG negotiation failed")        // no Kerberos ticket or no security context with the server
)

// RcodeError is a DNS answer with an rcode other than NOERROR (or a TSIG
// error). The server, operation and names say where it happened.
type RcodeError struct {
	Op        string // "query", "update" or "axfr"
	Server    string // the server's address
	Name      string // the question name (the zone for an update)
	Rcode     int    // the answer's rcode, e.g. dns.RcodeRefused
	TSIGError int    // the TSIG error (dns.RcodeBadSig...), 0 if none
}

// Error describes the operation, the server and the rcode.
func (e *RcodeError) Error() string {
	s := fmt.Sprintf("rfc2136: %s %s at %s: %s", e.Op, e.Name, e.Server, rcodeName(e.Rcode))
	if e.TSIGError != 0 {
		s += " (TSIG " + rcodeName(e.TSIGError) + ")"
	}
	return s
}

// Is matches the sentinel of the rcode and of the TSIG error.
func (e *RcodeError) Is(target error) bool {
	if e.TSIGError != 0 && target == tsigSentinel(e.TSIGError) {
		return true
	}
	return target == rcodeSentinel(e.Rcode)
}

func rcodeSentinel(rc int) error {
	switch rc {
	case dns.RcodeRefused:
		return ErrRefused
	case dns.RcodeNotAuth:
		return ErrNotAuth
	case dns.RcodeNotZone:
		return ErrNotZone
	case dns.RcodeYXRrset:
		return ErrYXRRSet
	case dns.RcodeNXRrset:
		return ErrNXRRSet
	case dns.RcodeYXDomain:
		return ErrYXDomain
	case dns.RcodeNameError:
		return ErrNXDomain
	case dns.RcodeServerFailure:
		return ErrServFail
	case dns.RcodeFormatError:
		return ErrFormErr
	case dns.RcodeNotImplemented:
		return ErrNotImp
	}
	return tsigSentinel(rc)
}

func tsigSentinel(rc int) error {
	switch rc {
	case dns.RcodeBadSig:
		return ErrBadSig
	case dns.RcodeBadKey:
		return ErrBadKey
	case dns.RcodeBadTime:
		return ErrBadTime
	}
	return nil
}

func rcodeName(rc int) string {
	if s, ok := dns.RcodeToString[rc]; ok {
		return s
	}
	return fmt.Sprintf("RCODE%d", rc)
}

// ConflictError reports that a conditional write did not happen because the
// RRsets no longer held the expected values (a prerequisite failed). Nothing
// was changed.
type ConflictError struct {
	Zone string
	Err  *RcodeError // YXRRSET, NXRRSET, YXDOMAIN or NXDOMAIN
}

// Error says that nothing was written and why.
func (e *ConflictError) Error() string {
	return fmt.Sprintf("rfc2136: zone %s changed meanwhile, nothing written: %v", e.Zone, e.Err)
}

// Is matches ErrConflict.
func (e *ConflictError) Is(target error) bool { return target == ErrConflict }

// Unwrap returns the prerequisite failure.
func (e *ConflictError) Unwrap() error { return e.Err }

// Conflict reports true: callers that do not import this package find
// conflicts with errors.As on interface{ Conflict() bool }.
func (e *ConflictError) Conflict() bool { return true }

// InputError reports input refused before anything was sent.
type InputError struct {
	Field  string // what was wrong: "zone", "name", "type", "data", "ttl", "config"...
	Value  string // the offending value, cut to 80 bytes
	Reason string
}

// Error names the field, the value and the reason.
func (e *InputError) Error() string {
	return fmt.Sprintf("rfc2136: invalid %s %q: %s", e.Field, e.Value, e.Reason)
}

// Is matches ErrInvalid.
func (e *InputError) Is(target error) bool { return target == ErrInvalid }

func invalid(field, value, format string, args ...any) error {
	if len(value) > 80 {
		value = value[:80] + "..."
	}
	return &InputError{Field: field, Value: value, Reason: fmt.Sprintf(format, args...)}
}
