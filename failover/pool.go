package failover

import (
	"context"
	"fmt"
	"slices"

	"github.com/xmppfed/edgefailover/edge"
	"github.com/xmppfed/edgefailover/internal/dnsname"
	"github.com/xmppfed/edgefailover/lync"
)

// openPool opens the target pool and returns it with its Edge service
// record: every server the topology lists (edge.DiscoverPool), or only
// Config.Servers when they are given, which must be servers of the pool.
// The pool owns the clients it opened.
func openPool(ctx context.Context, c Config) (*edge.Pool, lync.EdgeService, error) {
	if len(c.Servers) == 0 {
		pool, err := edge.DiscoverPool(ctx, c.Management, c.TargetPool, c.OpenServer)
		if err != nil {
			return nil, lync.EdgeService{}, err
		}
		if es := pool.EdgeService(); es != nil {
			return pool, *es, nil
		}
		pool.Close()
		return nil, lync.EdgeService{}, edge.ErrNotEdgePool
	}
	info, err := c.Management.Pools.Get(ctx, c.TargetPool)
	if err != nil {
		return nil, lync.EdgeService{}, err
	}
	svcs, err := c.Management.Pools.EdgeServices(ctx, c.TargetPool)
	if err != nil {
		return nil, lync.EdgeService{}, err
	}
	if len(svcs) == 0 {
		return nil, lync.EdgeService{}, &edge.NotEdgePoolError{Pool: c.TargetPool, Services: info.Services}
	}
	for _, s := range c.Servers {
		if !slices.ContainsFunc(info.Computers, func(cmp string) bool { return dnsname.Equal(cmp, s) }) {
			return nil, lync.EdgeService{}, fmt.Errorf("%s is not a server of pool %s (Get-CsPool lists %v)", s, c.TargetPool, info.Computers)
		}
	}
	var servers []*edge.Server
	closeAll := func() {
		for _, s := range servers {
			s.Client().Close()
		}
	}
	for _, fqdn := range c.Servers {
		cl, err := c.OpenServer(ctx, fqdn)
		if err != nil {
			closeAll()
			return nil, lync.EdgeService{}, fmt.Errorf("open %s: %w", fqdn, err)
		}
		srv, err := edge.NewServer(fqdn, cl)
		if err != nil {
			cl.Close()
			closeAll()
			return nil, lync.EdgeService{}, err
		}
		servers = append(servers, srv)
	}
	pool, err := edge.NewPool(c.TargetPool, servers...)
	if err != nil {
		closeAll()
		return nil, lync.EdgeService{}, err
	}
	return pool, svcs[0], nil
}
