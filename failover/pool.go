package failover

import (
	"context"

	"github.com/xmppfed/edgefailover/edge"
	"github.com/xmppfed/edgefailover/lync"
)

// openPool opens the target pool and returns it with its Edge service
// record (edge.DiscoverPool): every server the topology lists, or only
// Config.Servers when they are given, which must be servers of the pool
// (an *edge.NotMemberError otherwise). The pool owns the clients it opened.
func openPool(ctx context.Context, c Config) (*edge.Pool, lync.EdgeService, error) {
	pool, err := edge.DiscoverPool(ctx, c.Management, c.TargetPool, c.OpenServer, edge.DiscoverOptions{Servers: c.Servers})
	if err != nil {
		return nil, lync.EdgeService{}, err
	}
	return pool, *pool.EdgeService(), nil // DiscoverPool sets it
}
