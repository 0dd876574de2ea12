package edge

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/xmppfed/edgefailover/internal/dnsname"
	"github.com/xmppfed/edgefailover/lync"
)

// OpenFunc returns a client that reaches the management shell of one server
// of a pool, for DiscoverPool; winrm.Dial with the server's Endpoint, usually.
type OpenFunc func(ctx context.Context, serverFQDN string) (*lync.Client, error)

// DiscoverOptions chooses what DiscoverPool opens. The zero value opens
// every computer of the pool.
type DiscoverOptions struct {
	// Servers, when given, are the servers of the pool to open, in this
	// order (e.g. leaving out one that is down for maintenance); each must
	// be a computer of the pool as Get-CsPool lists it, named in any case,
	// with or without a trailing dot. Default: every computer of the pool.
	Servers []string
}

// DiscoverPool reads the Edge pool poolFQDN from the topology through mgmt
// (a client of any host with the management shell) and returns it with a
// Server per computer of the pool (or per server of opts.Servers), each
// reached through a client from open (called concurrently, at most
// DefaultConcurrency at once). The pool's EdgeService holds the
// Get-CsService -EdgeServer record.
//
// A pool the topology lacks gives an error matching lync.ErrNotFound; a pool
// that is not an Edge pool a *NotEdgePoolError; a server of opts.Servers
// that is not a computer of the pool a *NotMemberError (before any client
// is opened); a failure of open a *ServerError with Op "open" for the first
// open that failed: it cancels the context of the opens still under way,
// DiscoverPool waits for them to return, and every client opened is closed.
// The returned pool owns the clients: Close it when done.
//
// Runs on mgmt: Get-CsPool -Identity <pool>, then Get-CsService -EdgeServer -PoolFqdn <pool>.
func DiscoverPool(ctx context.Context, mgmt *lync.Client, poolFQDN string, open OpenFunc, opts DiscoverOptions) (*Pool, error) {
	fqdn, err := dnsname.ParseFQDN(poolFQDN)
	if err != nil {
		return nil, inputError("pool FQDN", poolFQDN, err)
	}
	if mgmt == nil || open == nil {
		return nil, inputError("DiscoverPool arguments", fqdn, errors.New("nil management client or open func"))
	}
	chosen, err := parseServers(opts.Servers)
	if err != nil {
		return nil, err
	}
	info, err := mgmt.Pools.Get(ctx, fqdn)
	if err != nil {
		return nil, fmt.Errorf("edge: discover pool %s: %w", fqdn, err)
	}
	svcs, err := mgmt.Pools.EdgeServices(ctx, fqdn)
	if err != nil {
		return nil, fmt.Errorf("edge: discover pool %s: %w", fqdn, err)
	}
	var es *lync.EdgeService
	for i := range svcs {
		if dnsname.Equal(svcs[i].PoolFQDN, fqdn) {
			es = &svcs[i]
			break
		}
	}
	if es == nil {
		return nil, &NotEdgePoolError{Pool: fqdn, Services: info.Services}
	}
	if len(info.Computers) == 0 {
		return nil, inputError("pool", fqdn, ErrNoServers)
	}
	computers := info.Computers
	if chosen != nil {
		if computers, err = members(fqdn, info.Computers, chosen); err != nil {
			return nil, err
		}
	}
	servers, err := openServers(ctx, computers, open)
	if err != nil {
		return nil, err
	}
	p, err := NewPool(fqdn, servers...)
	if err != nil {
		closeServers(servers)
		return nil, err
	}
	p.edge = es
	return p, nil
}

// parseServers validates DiscoverOptions.Servers; nil when none is given.
func parseServers(names []string) ([]string, error) {
	var out []string
	for i, name := range names {
		fqdn, err := dnsname.ParseFQDN(name)
		if err != nil {
			return nil, inputError(fmt.Sprintf("DiscoverOptions.Servers[%d]", i), name, err)
		}
		if slices.Contains(out, fqdn) {
			return nil, inputError(fmt.Sprintf("DiscoverOptions.Servers[%d]", i), name, errors.New("named twice"))
		}
		out = append(out, fqdn)
	}
	return out, nil
}

// members returns the computers of the pool that chosen names, in chosen's
// order and spelled as the topology lists them, or a *NotMemberError for
// the first name the pool lacks.
func members(pool string, computers, chosen []string) ([]string, error) {
	out := make([]string, len(chosen))
	for i, name := range chosen {
		j := slices.IndexFunc(computers, func(c string) bool { return dnsname.Equal(c, name) })
		if j < 0 {
			return nil, &NotMemberError{Server: name, Pool: pool, Computers: computers}
		}
		out[i] = computers[j]
	}
	return out, nil
}

// openServers opens a client per computer, concurrently. The first open
// that fails cancels those still under way (their context ends) and keeps
// later ones from starting; openServers returns once every open has
// returned, with that failure (not a cancellation it caused), and closes
// every client opened, one an open returned after the cancellation
// included. Names that are no FQDN are refused before any open.
func openServers(ctx context.Context, computers []string, open OpenFunc) ([]*Server, error) {
	fqdns := make([]string, len(computers))
	for i, name := range computers {
		fqdn, err := dnsname.ParseFQDN(name)
		if err != nil {
			return nil, &ServerError{FQDN: name, Op: OpOpen, State: &ServerState{FQDN: name}, Err: inputError("computer", name, err)}
		}
		fqdns[i] = fqdn
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	servers := make([]*Server, len(computers))
	var (
		mu    sync.Mutex
		first *ServerError // the first failure, in time
	)
	fail := func(i int, err error) {
		mu.Lock()
		defer mu.Unlock()
		if first == nil {
			first = &ServerError{FQDN: computers[i], Op: OpOpen, State: &ServerState{FQDN: computers[i]}, Err: err}
			cancel()
		}
	}
	sem := make(chan struct{}, DefaultConcurrency)
	var wg sync.WaitGroup
	for i, fqdn := range fqdns {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			fail(i, ctx.Err()) // the caller's context ended (a failure already recorded stays first)
			break
		}
		wg.Go(func() {
			defer func() { <-sem }()
			srv, err := openServer(ctx, fqdn, open)
			servers[i] = srv
			if err != nil {
				fail(i, err)
			}
		})
	}
	wg.Wait()
	if first != nil {
		closeServers(servers)
		return nil, first
	}
	return servers, nil
}

func openServer(ctx context.Context, fqdn string, open OpenFunc) (*Server, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	c, err := open(ctx, fqdn)
	if err != nil {
		if c != nil {
			_ = c.Close()
		}
		return nil, err
	}
	if c == nil {
		return nil, inputError("client", fqdn, errors.New("open returned a nil *lync.Client"))
	}
	s, err := NewServer(fqdn, c)
	if err != nil {
		_ = c.Close()
	}
	return s, err
}

func closeServers(servers []*Server) {
	for _, s := range servers {
		if s != nil {
			_ = s.client.Close()
		}
	}
}
