package edge

import (
	"context"
	"sync"

	"github.com/xmppfed/edgefailover/lync"
)

// Prepare opens every server's WinRM session and imports the management
// shell module, concurrently, so that a failover's first change does not
// wait for them. The States of the result are nil. When a server fails the
// error is a *PoolError.
func (p *Pool) Prepare(ctx context.Context) (*PoolResult, error) {
	return p.each(ctx, OpPrepare, "", func(ctx context.Context, s *Server) (*ServerState, error) {
		return nil, s.Prepare(ctx)
	})
}

// Status reads the service states of every server, concurrently. A server
// succeeds when its states could be read, whatever they are.
func (p *Pool) Status(ctx context.Context) (*PoolResult, error) {
	return p.each(ctx, OpStatus, "", func(ctx context.Context, s *Server) (*ServerState, error) {
		return s.Status(ctx)
	})
}

// StopServices runs Server.StopServices with opts on every server,
// concurrently, and returns each server's outcome. When any server did not
// reach Stopped the error is a *PoolError naming the servers that did and
// those that did not, with each cause.
func (p *Pool) StopServices(ctx context.Context, opts StopOptions) (*PoolResult, error) {
	return p.each(ctx, OpStop, lync.ServiceStopped, func(ctx context.Context, s *Server) (*ServerState, error) {
		return s.StopServices(ctx, opts)
	})
}

// StartServices runs Server.StartServices with opts on every server,
// concurrently; see StopServices for the outcome.
func (p *Pool) StartServices(ctx context.Context, opts StartOptions) (*PoolResult, error) {
	return p.each(ctx, OpStart, lync.ServiceRunning, func(ctx context.Context, s *Server) (*ServerState, error) {
		return s.StartServices(ctx, opts)
	})
}

// each runs fn on every server with at most p.Concurrency at once. Servers
// not started because ctx ended get a *ServerError with the context's error.
func (p *Pool) each(ctx context.Context, op string, want lync.ServiceStatus, fn func(context.Context, *Server) (*ServerState, error)) (*PoolResult, error) {
	n := p.Concurrency
	if n <= 0 {
		n = DefaultConcurrency
	}
	res := &PoolResult{Pool: p.fqdn, Op: op, Servers: make([]ServerResult, len(p.servers))}
	done := func(i int, st *ServerState, err error) {
		r := ServerResult{FQDN: p.servers[i].fqdn, State: st, Err: err}
		res.Servers[i] = r
		if p.OnServer != nil {
			p.OnServer(r)
		}
	}
	sem := make(chan struct{}, n)
	var wg sync.WaitGroup
	for i, s := range p.servers {
		acquired := false
		select {
		case sem <- struct{}{}:
			acquired = true
		case <-ctx.Done():
		}
		if err := ctx.Err(); err != nil {
			if acquired { // not started: give the slot back
				<-sem
			}
			st := s.newState(want)
			done(i, st, &ServerError{FQDN: s.fqdn, Op: op, State: st, Err: err})
			continue
		}
		wg.Go(func() {
			defer func() { <-sem }()
			st, err := fn(ctx, s)
			done(i, st, err)
		})
	}
	wg.Wait()
	return res, res.Err()
}
