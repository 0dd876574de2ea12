package failovertest_test

import (
	"context"
	"testing"
	"time"

	"github.com/xmppfed/edgefailover/failover/failovertest"
	"github.com/xmppfed/edgefailover/lync/lynctest"
)

// TestListenerWaitsForReplication checks the lab's model of an Edge pool:
// with its services running, the target pool serves the new route only
// once a replica of one of its servers received the route change, and keeps
// serving when a later, unrelated topology change makes the replicas fall
// behind again.
func TestListenerWaitsForReplication(t *testing.T) {
	t.Parallel()
	lab := failovertest.Start(t, failovertest.Options{})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second) // hang guard
	defer cancel()
	listener := func() bool {
		t.Helper()
		st, err := lab.Snapshot(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return st.Listeners[failovertest.TargetPool]
	}
	stuck, err := lab.Deployment().Inject(lynctest.Fault{Kind: lynctest.FaultReplicationStuck})
	if err != nil {
		t.Fatal(err)
	}
	mgmt, err := lab.Management(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := mgmt.Site(failovertest.TargetSite).SetXmppRoute(ctx, failovertest.TargetPool); err != nil {
		t.Fatal(err)
	}
	if listener() {
		t.Fatal("pool 2 serves the new route before any replica received it")
	}
	stuck()
	for !listener() { // the replicas catch up on lynctest's timers
		select {
		case <-ctx.Done():
			t.Fatal("pool 2 never served after its replicas caught up")
		case <-time.After(time.Millisecond):
		}
	}
	// An unrelated change (Site1's route) that no replica receives: pool 2
	// still serves what its replicas hold.
	if _, err := lab.Deployment().Inject(lynctest.Fault{Kind: lynctest.FaultReplicationStuck}); err != nil {
		t.Fatal(err)
	}
	if err := mgmt.Site(failovertest.SourceSite).SetXmppRoute(ctx, failovertest.TargetPool); err != nil {
		t.Fatal(err)
	}
	st, err := lab.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !st.Listeners[failovertest.TargetPool] || st.Listeners[failovertest.SourcePool] {
		t.Fatalf("listeners %v, want pool 2 up (its routing unchanged), pool 1 down (no longer routed)", st.Listeners)
	}
}
