package edge

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/xmppfed/edgefailover/lync"
)

// Operations of a Server or Pool, as ServerError.Op and PoolResult.Op give
// them.
const (
	OpStop    = "stop"
	OpStart   = "start"
	OpStatus  = "status"
	OpPrepare = "prepare"
	OpOpen    = "open" // DiscoverPool opening a server's client
)

// ServerState is the state of a server's Lync services as last read.
type ServerState struct {
	FQDN string
	// Want is the state the operation waited for: lync.ServiceStopped,
	// lync.ServiceRunning, or "" for Status.
	Want lync.ServiceStatus
	// Services are the services as last read, nil if they could not be read.
	Services []lync.Service
	// Reached reports whether every service the operation acted on was in
	// Want when last read.
	Reached bool
	// Time is when Services were read (zero if never).
	Time time.Time

	names []string // the services acted on; none: all
}

// Pending returns the names of the services the operation acted on that
// are not in Want (nil for Status).
func (st *ServerState) Pending() []string {
	if st.Want == "" {
		return nil
	}
	return st.NotIn(st.Want, st.names...)
}

// All reports whether every service is in status; false when no service was
// read.
func (st *ServerState) All(status lync.ServiceStatus) bool {
	return len(st.Services) > 0 && len(st.NotIn(status)) == 0
}

// NotIn returns the names of the services that are not in status, among
// names when any are given (a named service that is missing counts as not
// in status), in the order read.
func (st *ServerState) NotIn(status lync.ServiceStatus, names ...string) []string {
	var out []string
	for _, svc := range st.Services {
		if len(names) > 0 && !containsFold(names, svc.Name) {
			continue
		}
		if svc.Status != status {
			out = append(out, svc.Name)
		}
	}
	for _, n := range names {
		if !slices.ContainsFunc(st.Services, func(svc lync.Service) bool { return strings.EqualFold(svc.Name, n) }) {
			out = append(out, n)
		}
	}
	return out
}

func containsFold(list []string, s string) bool {
	return slices.ContainsFunc(list, func(x string) bool { return strings.EqualFold(x, s) })
}

// ServerError is the failure of an operation on one server. State holds what
// was last read of the server's services (never nil; its Services are nil
// when they could not be read). Err is the cause: a *lync.CmdletError, a
// *lync.TransportError, a *lync.WaitError wrapping the context's error when
// the services did not reach the state in time, ErrNoServices, ...
type ServerError struct {
	FQDN  string
	Op    string // OpStop, OpStart, OpStatus, OpPrepare or OpOpen
	State *ServerState
	Err   error
}

func (e *ServerError) Error() string {
	msg := fmt.Sprintf("edge: %s %s: %v", e.Op, e.FQDN, e.Err)
	if e.State != nil && len(e.State.Services) > 0 {
		if pending := e.State.Pending(); len(pending) > 0 {
			msg += fmt.Sprintf(" (not %s: %s)", e.State.Want, strings.Join(pending, ", "))
		}
	}
	return msg
}

// Unwrap returns the cause.
func (e *ServerError) Unwrap() error { return e.Err }
