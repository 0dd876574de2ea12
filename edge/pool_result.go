package edge

import (
	"fmt"
	"strings"
)

var (
	_ error = (*PoolError)(nil)
	_ error = (*ServerError)(nil)
	_ error = (*NotEdgePoolError)(nil)
)

// ServerResult is the outcome of a pool operation on one server.
type ServerResult struct {
	FQDN string
	// State is the server's state as last read (nil after Prepare).
	State *ServerState
	// Err is nil when the server reached the state, else a *ServerError.
	Err error
}

// PoolResult is the outcome of a pool operation on every server of the pool.
type PoolResult struct {
	Pool    string         // pool FQDN
	Op      string         // OpStop, OpStart, OpStatus or OpPrepare
	Servers []ServerResult // one per server, in the pool's order
}

// OK reports whether every server succeeded.
func (r *PoolResult) OK() bool { return len(r.Failed()) == 0 }

// Succeeded returns the FQDNs of the servers that succeeded, in pool order.
func (r *PoolResult) Succeeded() []string { return r.names(false) }

// Failed returns the FQDNs of the servers that failed, in pool order.
func (r *PoolResult) Failed() []string { return r.names(true) }

func (r *PoolResult) names(failed bool) []string {
	var out []string
	for _, s := range r.Servers {
		if (s.Err != nil) == failed {
			out = append(out, s.FQDN)
		}
	}
	return out
}

// Err returns nil when every server succeeded, else a *PoolError.
func (r *PoolResult) Err() error {
	e := &PoolError{Pool: r.Pool, Op: r.Op, Succeeded: r.Succeeded()}
	for _, s := range r.Servers {
		if s.Err == nil {
			continue
		}
		se, ok := s.Err.(*ServerError)
		if !ok {
			se = &ServerError{FQDN: s.FQDN, Op: r.Op, State: s.State, Err: s.Err}
		}
		e.Failed = append(e.Failed, se)
	}
	if len(e.Failed) == 0 {
		return nil
	}
	return e
}

// PoolError reports a pool operation that failed on some servers: those in
// Succeeded reached the state, those in Failed did not, each with its cause.
// errors.Is and errors.As look into every cause (for instance a
// *lync.CmdletError, lync.ErrUnauthorized or context.DeadlineExceeded).
type PoolError struct {
	Pool      string
	Op        string
	Succeeded []string
	Failed    []*ServerError
}

func (e *PoolError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "edge: %s pool %s: %d of %d servers failed", e.Op, e.Pool,
		len(e.Failed), len(e.Failed)+len(e.Succeeded))
	for _, f := range e.Failed {
		b.WriteString("; ")
		b.WriteString(f.Error())
	}
	return b.String()
}

// Unwrap returns the *ServerError of every failed server.
func (e *PoolError) Unwrap() []error {
	errs := make([]error, len(e.Failed))
	for i, f := range e.Failed {
		errs[i] = f
	}
	return errs
}

// FailedServers returns the FQDNs of the failed servers, in pool order.
func (e *PoolError) FailedServers() []string {
	out := make([]string, len(e.Failed))
	for i, f := range e.Failed {
		out[i] = f.FQDN
	}
	return out
}
