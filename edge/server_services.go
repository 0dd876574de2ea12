package edge

import (
	"context"
	"errors"
	"time"

	"github.com/xmppfed/edgefailover/lync"
)

// StopOptions selects what StopServices does. Its zero value stops every
// Lync service at once and waits for them with the default poll interval,
// bounded by the context only.
type StopOptions struct {
	// Names are short service names ("RTCSRV", ...); none: every Lync
	// service of the server.
	Names []string
	// Graceful passes -Graceful: the services refuse new sessions and stop
	// when the existing ones end, which can take long; give a Timeout.
	Graceful bool
	// PollInterval is how often the states are read while waiting when
	// the host does not hold a waiting script (see lync's
	// ServicesService.WaitState); default lync.DefaultPollInterval (5s).
	PollInterval time.Duration
	// Timeout bounds the whole operation on one server (for a pool: on each
	// server); 0 leaves the bound to the context.
	Timeout time.Duration
}

// StartOptions selects what StartServices does. Its zero value starts
// every Lync service with the defaults of the fields.
type StartOptions struct {
	// Names are short service names; none: every Lync service.
	Names []string
	// PollInterval is how often the states are read while waiting when
	// the host does not hold a waiting script (see lync's
	// ServicesService.WaitState); default lync.DefaultPollInterval (5s).
	PollInterval time.Duration
	// Timeout bounds the whole operation on one server; 0: the context only.
	Timeout time.Duration
}

// StopServices stops the Lync services of the server and waits until every
// one of them (or of Names) is Stopped. It returns the state last read, also
// on failure, with a *ServerError (Op "stop") whose cause is the cmdlet's
// error, a transport error, or a *lync.WaitError wrapping the context's
// error when the services were still not stopped at the deadline. While
// waiting, a read that fails with a transport error is tried again at the
// next poll, up to three failures in a row.
//
// Runs: Stop-CsWindowsService -ComputerName <fqdn> [-Name <name>] [-Graceful] -NoWait,
// then one waiting script on the host (see lync's ServicesService.WaitState),
// or Get-CsWindowsService -ComputerName <fqdn> every PollInterval.
func (s *Server) StopServices(ctx context.Context, o StopOptions) (*ServerState, error) {
	return s.change(ctx, OpStop, lync.ServiceStopped, o.Names, o.PollInterval, o.Timeout,
		func(ctx context.Context, names []string) error {
			return s.client.Services.Stop(ctx, s.fqdn, lync.StopOptions{Names: names, Graceful: o.Graceful, NoWait: true})
		})
}

// StartServices starts the Lync services of the server (every one, or
// Names) and waits until they are Running. It returns the state last read,
// also on failure, with a *ServerError (Op "start"); a service that will not
// start gives a cause matching lync.ErrServiceOperation.
//
// Runs: Start-CsWindowsService -ComputerName <fqdn> [-Name <name>], then
// a wait for Running as StopServices waits for Stopped.
func (s *Server) StartServices(ctx context.Context, o StartOptions) (*ServerState, error) {
	return s.change(ctx, OpStart, lync.ServiceRunning, o.Names, o.PollInterval, o.Timeout,
		func(ctx context.Context, names []string) error {
			return s.client.Services.Start(ctx, s.fqdn, names...)
		})
}

// change validates the options, runs the cmdlet and waits for want.
func (s *Server) change(ctx context.Context, op string, want lync.ServiceStatus, names []string,
	poll, timeout time.Duration, run func(context.Context, []string) error) (*ServerState, error) {
	st := s.newState(want)
	fail := func(err error) (*ServerState, error) {
		return st, &ServerError{FQDN: s.fqdn, Op: op, State: st, Err: err}
	}
	names, err := serviceNames(names)
	if err != nil {
		return fail(err)
	}
	st.names = names
	if poll < 0 {
		return fail(inputError("PollInterval", poll.String(), errors.New("negative")))
	}
	if poll == 0 {
		poll = lync.DefaultPollInterval
	}
	if timeout < 0 {
		return fail(inputError("Timeout", timeout.String(), errors.New("negative")))
	}
	if timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	if err := run(ctx, names); err != nil {
		if ctx.Err() == nil {
			_ = s.read(ctx, st) // best effort: the states after the failure
		}
		return fail(err)
	}
	if err := s.await(ctx, st, poll); err != nil {
		return fail(err)
	}
	return st, nil
}

// maxPollFailures is how many reads in a row may fail with a transport
// error (a dropped connection, a broken session, a WS-Man fault) before a
// wait gives up; the client rebuilds its session between them.
const maxPollFailures = 3

// await waits for st.Want with lync's wait (on the host over WinRM, else
// polling every poll) until st.Reached, a read fails (maxPollFailures times
// in a row for a transport error, the next try a poll later), or ctx ends
// (then a *lync.WaitError wraps its error).
func (s *Server) await(ctx context.Context, st *ServerState, poll time.Duration) error {
	failures := 0
	for {
		list, err := s.client.Services.WaitState(ctx, s.fqdn, st.Want, poll, st.names...)
		if list != nil {
			st.Services, st.Time = list, time.Now()
			st.Reached = len(st.Pending()) == 0
		}
		switch {
		case err == nil && len(list) == 0:
			return ErrNoServices
		case err == nil:
			return nil
		case ctx.Err() != nil:
			return &lync.WaitError{What: "services on " + s.fqdn, Want: string(st.Want), Err: ctx.Err()}
		case transient(err):
			if list != nil {
				failures = 0 // a read of this wait succeeded: the run of failures starts here
			}
			if failures++; failures >= maxPollFailures {
				return err
			}
		default:
			return err
		}
		t := time.NewTimer(poll)
		select {
		case <-ctx.Done():
			t.Stop()
			return &lync.WaitError{What: "services on " + s.fqdn, Want: string(st.Want), Err: ctx.Err()}
		case <-t.C:
		}
	}
}

// transient reports whether a failed read is worth another try: a transport
// failure other than refused credentials.
func transient(err error) bool {
	var te *lync.TransportError
	return errors.As(err, &te) && !errors.Is(err, lync.ErrUnauthorized)
}

// serviceNames checks and upper-cases the short service names.
func serviceNames(names []string) ([]string, error) {
	if len(names) == 0 {
		return nil, nil
	}
	out := make([]string, len(names))
	for i, n := range names {
		c, err := lync.ParseServiceName(n)
		if err != nil {
			return nil, inputError("service name", n, err)
		}
		out[i] = c
	}
	return out, nil
}
