package main

import (
	"context"
	"fmt"
	"time"

	"github.com/xmppfed/edgefailover/failover"
	"github.com/xmppfed/edgefailover/failover/failovertest"
	"github.com/xmppfed/edgefailover/xmppdns"
)

// peerScale is the time scale of the remote peers: TTLs, their reconnect
// interval and connect timeout pass 1000 times faster (a 300 s TTL in
// 0.3 s), so that a drill with a single SRV record stays under a second.
const peerScale = 0.001

// poolHosts are the per-pool SRV targets of the prioritized policy: each
// pool's Access Edge external FQDN.
var poolHosts = map[string]string{failovertest.SourcePool: "access1.contoso.com", failovertest.TargetPool: "access2.contoso.com"}

// useSRV sets the SRV policy of a config from -srv.
func (d *drill) useSRV(cfg *failover.Config) {
	if d.o.srv == failover.SRVPrioritized {
		cfg.SRV, cfg.PoolHosts = failover.SRVPrioritized, poolHosts
	}
}

// prepareDR writes the prioritized SRV set of every SIP domain ahead, pool 1
// first, as examples/prepare-dr does before any outage.
func (d *drill) prepareDR(ctx context.Context) error {
	recs, err := xmppdns.Prioritized(poolHosts[failovertest.SourcePool]+".", poolHosts[failovertest.TargetPool]+".")
	if err != nil {
		return err
	}
	for _, dom := range d.lab.Domains() {
		if _, err := d.lab.ZoneOf(dom).SetSRV(ctx, dom, recs...); err != nil {
			return fmt.Errorf("prioritized SRV of %s: %w", dom, err)
		}
	}
	d.printf("prepare-dr: prioritized SRV set written ahead for %v (%s first, then %s)\n",
		d.lab.Domains(), poolHosts[failovertest.SourcePool], poolHosts[failovertest.TargetPool])
	return nil
}

// startPeers starts the remote XMPP servers with warm caches.
func (d *drill) startPeers(ctx context.Context) (*failovertest.Peers, error) {
	peers, err := d.lab.StartPeers(ctx, failovertest.PeerOptions{Scale: peerScale})
	if err != nil {
		return nil, fmt.Errorf("starting the remote peers: %w", err)
	}
	d.printf("remote peers: 5 XMPP servers federating with %s, caches warm, times x%g (TTL 300 s = %v)\n",
		d.lab.Domains()[0], peerScale, time.Duration(300*float64(time.Second)*peerScale))
	return peers, nil
}

// measurePeers waits until every peer federates again (or a bound passes)
// and records the outage they saw.
func (d *drill) measurePeers(ctx context.Context, peers *failovertest.Peers) {
	// The longest a peer can wait: the plan's cache window, one reconnect
	// interval, and room.
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	err := peers.Wait(ctx)
	out := peers.Outages()
	p50, mx, n := failovertest.Summary(out)
	d.sum.RemotePeers, d.sum.RemoteRestored = len(out), n
	d.sum.RemoteP50Seconds, d.sum.RemoteMaxSeconds = p50.Seconds(), mx.Seconds()
	if err != nil {
		d.printf("remote peers: %d of %d federate again after %v\n", n, len(out), 2*time.Second)
	}
	for _, o := range out {
		if o.Restored {
			d.printf("remote peer %s federates again %.3fs after the pool died\n", o.Peer, o.Outage.Seconds())
		}
	}
}
