package lync_test

import (
	"testing"
	"time"

	"github.com/xmppfed/edgefailover/lync"
	"github.com/xmppfed/edgefailover/lync/lynctest"
	"github.com/xmppfed/edgefailover/lync/winrm"
)

// TestIdlePollPacing: an idle session against a host that answers every
// long poll with w:TimedOut after 60 ms, well before the OperationTimeout
// of 1 s, costs a few Receives per OperationTimeout, not one per 60 ms.
func TestIdlePollPacing(t *testing.T) {
	t.Parallel()
	const idle = 3 * time.Second
	cfg := topology(lynctest.SfB2015, "")
	cfg.MaxOperationTimeout = 60 * time.Millisecond
	d := newDeployment(t, cfg)
	h := d.Host(feHost)
	ep := endpoint(d, feHost, false)
	c := lync.NewClient(newRunner(t, ep, winrm.Options{}), lync.ClientOptions{})
	if err := c.Prepare(t.Context()); err != nil {
		t.Fatal(err)
	}
	d.ResetCounters()
	time.Sleep(idle)
	n := h.Counters().Requests[lynctest.ActionReceive]
	start := time.Now()
	if _, err := c.Sites.List(t.Context()); err != nil {
		t.Fatal(err)
	}
	t.Logf("idle %v, OperationTimeout %v, host TimedOut after %v: %d Receives (%d at one per answer); next call took %v",
		idle, ep.OperationTimeout, cfg.MaxOperationTimeout, n, int(idle/cfg.MaxOperationTimeout), time.Since(start))
	// About 4 per OperationTimeout at most once paced, plus the ramp.
	if limit := 4*int(idle/ep.OperationTimeout) + 6; n > limit {
		t.Errorf("%d Receives in %v idle, want at most %d", n, idle, limit)
	}
}
