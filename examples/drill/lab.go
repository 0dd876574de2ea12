package main

import (
	"context"
	"fmt"
	"time"

	"github.com/xmppfed/edgefailover/edge"
	"github.com/xmppfed/edgefailover/failover/failovertest"
	"github.com/xmppfed/edgefailover/lync"
)

// settle waits, before a rolled-back lab is compared with its before-state,
// until the CMS replica of every host whose REPLICA service runs is up to
// date: topology changes (a route set, or set back by an undo)
// reach the replicas later (lynctest's Replication latency), as in a real
// deployment. Hosts whose REPLICA is stopped cannot catch up and are left
// out (see comparable).
func (d *drill) settle(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, d.o.timeouts().Replication)
	defer cancel()
	t := time.NewTicker(5 * time.Millisecond)
	defer t.Stop()
	for {
		st, err := d.lab.Snapshot(ctx)
		if err != nil {
			return fmt.Errorf("waiting for CMS replication: %w", err)
		}
		var behind []string
		for h, ok := range comparable(st).Replicas {
			if !ok {
				behind = append(behind, h)
			}
		}
		if len(behind) == 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("waiting for CMS replication: %v still behind: %w", behind, ctx.Err())
		case <-t.C:
		}
	}
}

// remoteView probes the first SIP domain as a remote XMPP server would and
// prints what answered. It runs right after the kill, when nothing can
// answer: against a silent pool (-dead silent) each candidate lasts the
// probe's timeout, so it is short there, a remote server's 5 s connect
// timeout on the peers' scale but at least 100 ms.
func (d *drill) remoteView(ctx context.Context) {
	dom := d.lab.Domains()[0]
	timeout := 2 * time.Second
	if d.o.dead == "silent" {
		timeout = max(time.Duration(float64(5*time.Second)*peerScale), 100*time.Millisecond)
	}
	res, err := edge.ProbeDomain(ctx, d.lab.Resolver(), dom, edge.ProbeConfig{
		From: "drill.invalid", StartTLS: true, TLSConfig: d.lab.TLSConfig(), Dial: d.lab.Dial, Timeout: timeout,
	})
	switch {
	case err != nil:
		d.printf("remote view of %s: %v\n", dom, err)
	case res.Answer() == nil:
		d.printf("remote view of %s: no candidate answered (%d tried): XMPP federation is down\n", dom, len(res.Attempts))
	default:
		a := res.Answer()
		d.printf("remote view of %s: %s answered at %s, probe ok: %s\n", dom, a.Addr, a.Result.RemoteAddr, yes(a.Result.OK()))
	}
}

// comparable returns st without the replication flags of hosts whose
// REPLICA service is not running: the killed pool's servers cannot receive
// CMS replication, so a route change made and undone leaves their replicas
// "behind" until they come back, which no rollback can (or should) change.
func comparable(st failovertest.State) failovertest.State {
	reps := make(map[string]bool, len(st.Replicas))
	for h, ok := range st.Replicas {
		if svcs, known := st.Services[h]; known && svcs["REPLICA"] != lync.ServiceRunning {
			continue
		}
		reps[h] = ok
	}
	st.Replicas = reps
	return st
}

func yes(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
