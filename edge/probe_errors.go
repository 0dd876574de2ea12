package edge

import (
	"errors"
	"fmt"
)

// ErrInvalidInput is matched (errors.Is) by every *InputError.
var ErrInvalidInput = errors.New("edge: invalid input")

// InputError reports an argument or configuration value refused before
// anything was sent.
type InputError struct {
	Field string // e.g. "addr", "ProbeConfig.To"
	Value string // the refused value, cut to 80 bytes
	Err   error  // why, e.g. a *dnsname.Error
}

func (e *InputError) Error() string {
	return fmt.Sprintf("edge: invalid %s %q: %v", e.Field, e.Value, e.Err)
}

// Unwrap returns the cause.
func (e *InputError) Unwrap() error { return e.Err }

// Is reports whether target is ErrInvalidInput.
func (e *InputError) Is(target error) bool { return target == ErrInvalidInput }

func inputError(field, value string, err error) *InputError {
	if len(value) > 80 {
		value = value[:80] + "..."
	}
	return &InputError{Field: field, Value: value, Err: err}
}

// Errors that end a probe early once connected. They reach callers inside a
// *StageError in ProbeResult.Failure; match them with errors.Is.
var (
	// ErrPeerClosed: the peer closed the connection before the expected answer.
	ErrPeerClosed = errors.New("edge: peer closed the connection")
	// ErrTimeout: the probe's Timeout passed while waiting for the peer.
	ErrTimeout = errors.New("edge: peer did not answer in time")
	// ErrMalformed: the peer sent bytes that are not well-formed XML, or XML
	// that RFC 6120 §11 forbids (comments, DTDs).
	ErrMalformed = errors.New("edge: peer sent malformed XML")
	// ErrLimitExceeded: the answer went over a Limits bound.
	ErrLimitExceeded = errors.New("edge: peer answer exceeds a read limit")
	// ErrNotStream: the peer answered with XML other than <stream:stream>.
	ErrNotStream = errors.New("edge: peer answer is not an XMPP stream")
	// ErrUnexpectedElement: the peer sent an element the probe did not expect
	// at that point (e.g. not <stream:features> after the header).
	ErrUnexpectedElement = errors.New("edge: unexpected element from peer")
	// ErrStreamClosed: the peer ended the stream (</stream:stream>) without
	// the expected answer.
	ErrStreamClosed = errors.New("edge: peer closed the stream")
	// ErrStartTLSNotOffered: StartTLS was asked but the features lack it.
	ErrStartTLSNotOffered = errors.New("edge: peer does not offer STARTTLS")
	// ErrStartTLSRefused: the peer answered <starttls/> with <failure/>.
	ErrStartTLSRefused = errors.New("edge: peer refused STARTTLS")
	// ErrTLSHandshake: the TLS handshake failed (the cause is wrapped too).
	ErrTLSHandshake = errors.New("edge: TLS handshake failed")
)

// Stage names a step of a probe.
type Stage string

// The stages of a probe that can end it early once connected, in order (a
// failed dial is ProbeResult.DialError).
const (
	StageHeader       Stage = "stream header"
	StageFeatures     Stage = "stream features"
	StageStartTLS     Stage = "starttls"
	StageTLS          Stage = "tls handshake"
	StageSecureStream Stage = "stream after tls"
)

// StageError says at which stage a probe ended early and why. Err matches
// one of the Err... sentinels of this package, or is the network error.
type StageError struct {
	Stage Stage
	Err   error
}

func (e *StageError) Error() string { return fmt.Sprintf("edge: probe %s: %v", e.Stage, e.Err) }

// Unwrap returns the cause.
func (e *StageError) Unwrap() error { return e.Err }
