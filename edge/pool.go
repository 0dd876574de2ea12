package edge

import (
	"errors"
	"fmt"

	"github.com/xmppfed/edgefailover/internal/dnsname"
	"github.com/xmppfed/edgefailover/lync"
)

// DefaultConcurrency is how many servers of a pool are acted on at once
// when Pool.Concurrency is 0.
const DefaultConcurrency = 8

// ErrNoServers is matched by the error of a pool built or discovered without
// any server.
var ErrNoServers = errors.New("edge: pool has no servers")

// Pool is an Edge pool: its FQDN and its servers, built by hand with NewPool
// or read from the topology with DiscoverPool. Its operations act on every
// server concurrently, at most Concurrency at a time, and report the outcome
// of each server in a *PoolResult. Set the exported fields before the first
// operation; the operations are then safe for concurrent use.
type Pool struct {
	// Concurrency bounds how many servers are acted on at once; 0 means
	// DefaultConcurrency, 1 one server after another.
	Concurrency int
	// OnServer, if set, is called with each server's outcome as soon as the
	// server is done, from the goroutine that acted on it (so possibly from
	// several at once): a hook for progress events.
	OnServer func(ServerResult)

	fqdn    string
	servers []*Server
	edge    *lync.EdgeService
}

// NewPool returns the pool fqdn made of servers: at least one, no FQDN
// twice. Nothing is sent.
func NewPool(fqdn string, servers ...*Server) (*Pool, error) {
	name, err := dnsname.ParseFQDN(fqdn)
	if err != nil {
		return nil, inputError("pool FQDN", fqdn, err)
	}
	if len(servers) == 0 {
		return nil, inputError("servers", name, ErrNoServers)
	}
	seen := make(map[string]bool, len(servers))
	for i, s := range servers {
		if s == nil {
			return nil, inputError("servers", name, fmt.Errorf("server %d is nil", i))
		}
		if seen[s.fqdn] {
			return nil, inputError("servers", s.fqdn, errors.New("server listed twice"))
		}
		seen[s.fqdn] = true
	}
	return &Pool{fqdn: name, servers: append([]*Server(nil), servers...)}, nil
}

// FQDN returns the pool's FQDN in lower case.
func (p *Pool) FQDN() string { return p.fqdn }

// Servers returns the pool's servers in their order (a fresh slice).
func (p *Pool) Servers() []*Server { return append([]*Server(nil), p.servers...) }

// EdgeService returns the pool's Edge service as Get-CsService -EdgeServer
// showed it (AccessEdgeExternalFQDN, XmppListeningPort, ...) when the pool
// was discovered, nil for a pool built with NewPool.
func (p *Pool) EdgeService() *lync.EdgeService {
	if p.edge == nil {
		return nil
	}
	e := *p.edge
	return &e
}

// Close closes the client of every server and returns their errors joined.
// A pool from DiscoverPool owns the clients it opened; for a pool from
// NewPool, call Close only if the pool should release the clients given.
func (p *Pool) Close() error {
	var errs []error
	for _, s := range p.servers {
		if err := s.client.Close(); err != nil {
			errs = append(errs, fmt.Errorf("edge: close %s: %w", s.fqdn, err))
		}
	}
	return errors.Join(errs...)
}
