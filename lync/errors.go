package lync

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors. Every error the package returns matches at least one of
// them, or one of the error structs below, with errors.Is / errors.As.
var (
	// ErrNotFound: the host said the object (site, pool, replica, computer)
	// does not exist (a *CmdletError of category ObjectNotFound, other than an
	// unknown command).
	ErrNotFound = errors.New("lync: object not found")
	// ErrCommandNotFound: the host does not know the cmdlet (module missing or
	// too old).
	ErrCommandNotFound = errors.New("lync: command not found")
	// ErrParameterNotFound: the cmdlet has no such parameter.
	ErrParameterNotFound = errors.New("lync: parameter not found")
	// ErrParse: the host could not parse the script.
	ErrParse = errors.New("lync: script does not parse")
	// ErrModuleNotFound: neither the SkypeForBusiness nor the Lync module is
	// installed on the host.
	ErrModuleNotFound = errors.New("lync: management shell module not found")
	// ErrServiceOperation: a Windows service would not stop or start.
	ErrServiceOperation = errors.New("lync: service operation failed")
	// ErrUnauthorized: the host answered HTTP 401 (wrong credentials, or
	// an account the host does not accept). It never matches
	// ErrSessionBroken: a new session would be refused as well.
	ErrUnauthorized = errors.New("lync: unauthorized")
	// ErrSessionBroken: the session (or per-script process) met a transport
	// failure that a new one may not meet (a WSManFault, a reset, a process
	// that ended, a host that stopped answering); the next call builds a new
	// one, so the call may be retried.
	ErrSessionBroken = errors.New("lync: session broken")
	// ErrRouteNotApplied: Set-CsSite returned but the route read back differs.
	ErrRouteNotApplied = errors.New("lync: XMPP route not applied")
	// ErrStaleRoute: a compare-and-set of a route found another route than
	// the one it was to replace, and changed nothing (see StaleRouteError).
	ErrStaleRoute = errors.New("lync: XMPP route changed meanwhile")
	// ErrInvalidInput: a value was refused before anything was sent.
	ErrInvalidInput = errors.New("lync: invalid input")
	// ErrProtocol: the host answered something the client cannot read.
	ErrProtocol = errors.New("lync: protocol error")
	// ErrNoResult: the host ran the script but wrote no result (see
	// HostError); its stderr usually says why.
	ErrNoResult = errors.New("lync: no result from host")
	// ErrClosed: the runner was closed, before or during the call.
	ErrClosed = errors.New("lync: runner closed")
)

// CmdletError is the error record of a script that threw on the host
// (docs/wire.md §5). Callers match it with errors.Is against the sentinels,
// which look at FullyQualifiedErrorId and Category only, never at Message.
type CmdletError struct {
	Cmdlet                string // command that failed; may be empty
	Type                  string // .NET exception type, e.g. System.Management.Automation.CommandNotFoundException
	FullyQualifiedErrorId string
	Category              string // e.g. ObjectNotFound
	Message               string
}

// Error implements error.
func (e *CmdletError) Error() string {
	name := e.Cmdlet
	if name == "" {
		name = "script"
	}
	return fmt.Sprintf("lync: %s: %s (%s, %s)", name, e.Message, e.FullyQualifiedErrorId, e.Category)
}

// Is maps the record to the sentinels ErrCommandNotFound,
// ErrParameterNotFound, ErrParse, ErrModuleNotFound, ErrServiceOperation
// and ErrNotFound.
func (e *CmdletError) Is(target error) bool {
	id := e.FullyQualifiedErrorId
	head, _, _ := strings.Cut(id, ",")
	switch target {
	case ErrCommandNotFound:
		return head == "CommandNotFoundException"
	case ErrParameterNotFound:
		return head == "NamedParameterNotFound"
	case ErrParse:
		return e.Category == "ParserError" || head == "ParseException"
	case ErrModuleNotFound:
		return head == "Modules_ModuleNotFound"
	case ErrServiceOperation:
		return strings.Contains(id, "ServiceOperationFailed")
	case ErrNotFound:
		if head == "CommandNotFoundException" || head == "Modules_ModuleNotFound" || head == "NamedParameterNotFound" {
			return false
		}
		return e.Category == "ObjectNotFound" || strings.Contains(head, "NotFound")
	}
	return false
}

// TransportError is a failure to talk to the host: network, TLS, HTTP or
// WS-Management. Err is the cause (*WSManFault, ErrUnauthorized, a net error,
// context.DeadlineExceeded, ErrSessionBroken ...).
type TransportError struct {
	Host string // endpoint host
	Op   string // what was being done, e.g. "Receive", "open session"
	Err  error
}

// Error implements error.
func (e *TransportError) Error() string {
	return fmt.Sprintf("lync: %s: %s: %v", e.Host, e.Op, e.Err)
}

// Unwrap returns the cause.
func (e *TransportError) Unwrap() error { return e.Err }

// InputError reports a value refused before anything was sent. It matches
// ErrInvalidInput.
type InputError struct {
	Field  string // what the value is, e.g. "site", "computer"
	Value  string // the value, cut to 80 bytes
	Reason string
	Err    error // optional cause, e.g. a *dnsname.Error
}

// Error implements error.
func (e *InputError) Error() string {
	return fmt.Sprintf("lync: invalid %s %q: %s", e.Field, e.Value, e.Reason)
}

// Is reports whether target is ErrInvalidInput.
func (e *InputError) Is(target error) bool { return target == ErrInvalidInput }

// Unwrap returns the cause, if any.
func (e *InputError) Unwrap() error { return e.Err }

func inputError(field, value, reason string, cause error) *InputError {
	if len(value) > 80 {
		value = value[:80] + "..."
	}
	return &InputError{Field: field, Value: value, Reason: reason, Err: cause}
}

// RouteError reports an XMPP route that did not take: the site read back
// after Set-CsSite holds Got instead of Want. It matches ErrRouteNotApplied.
type RouteError struct {
	Site      string
	Parameter string // the Set-CsSite parameter used
	Want      Route  // the zero Route for a cleared route
	Got       Route
}

// Error implements error.
func (e *RouteError) Error() string {
	return fmt.Sprintf("lync: site %s: %s is %q after setting %q", e.Site, e.Parameter, e.Got, e.Want)
}

// Is reports whether target is ErrRouteNotApplied.
func (e *RouteError) Is(target error) bool { return target == ErrRouteNotApplied }

// StaleRouteError reports a compare-and-set (Site.ReplaceXmppRoute) that
// found the route of Site at Found, neither the route it was to replace
// (Want) nor the one it was to set, and so changed nothing. It matches
// ErrStaleRoute.
type StaleRouteError struct {
	Site  string
	Want  Route // the route the caller expected
	Found Route // the route the host had
}

// Error implements error.
func (e *StaleRouteError) Error() string {
	return fmt.Sprintf("lync: site %s: XMPP route is %s, expected %s", e.Site, showRoute(e.Found), showRoute(e.Want))
}

// Is reports whether target is ErrStaleRoute.
func (e *StaleRouteError) Is(target error) bool { return target == ErrStaleRoute }

func showRoute(r Route) string {
	if r.IsZero() {
		return "(none)"
	}
	return fmt.Sprintf("%q", r.id)
}

// ProtocolError reports output the client cannot read (a frame that does
// not decode, JSON of an unexpected shape). It matches ErrProtocol.
type ProtocolError struct {
	Op  string
	Err error
}

// Error implements error.
func (e *ProtocolError) Error() string { return fmt.Sprintf("lync: %s: %v", e.Op, e.Err) }

// Is reports whether target is ErrProtocol.
func (e *ProtocolError) Is(target error) bool { return target == ErrProtocol }

// Unwrap returns the cause.
func (e *ProtocolError) Unwrap() error { return e.Err }

// notFoundError reports an object the host's answer did not contain (an
// empty result where one object was expected). It matches ErrNotFound.
type notFoundError struct {
	Kind string // "site", "pool", "replica"
	Name string
}

// Error implements error.
func (e *notFoundError) Error() string { return fmt.Sprintf("lync: %s %q not found", e.Kind, e.Name) }

// Is reports whether target is ErrNotFound.
func (e *notFoundError) Is(target error) bool { return target == ErrNotFound }
