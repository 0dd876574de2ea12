package failovertest_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/xmppfed/edgefailover/failover/failovertest"
	"github.com/xmppfed/edgefailover/lync"
	"github.com/xmppfed/edgefailover/lync/lynctest"
)

// TestRunbookUnderLatency walks the runbook by hand under a scaled latency
// profile, with -NoWait stops and starts whose transitions finish on
// lynctest's timers (callbacks delivered asynchronously): the state after the
// waits is the failed-over state, listeners included.
func TestRunbookUnderLatency(t *testing.T) {
	t.Parallel()
	lab := failovertest.Start(t, failovertest.Options{Latency: lynctest.Latency{
		RoundTrip: 20 * time.Millisecond, ProcessStart: time.Second, ModuleImport: 3 * time.Second,
		ServiceStop: 5 * time.Second, ServiceStart: 10 * time.Second, Replication: 20 * time.Second,
		Scale: 0.002,
	}})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second) // hang guard
	defer cancel()
	before, err := lab.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := lab.FailPool(failovertest.SourcePool); err != nil {
		t.Fatal(err)
	}
	pool2, _ := lab.Pool(failovertest.TargetPool)
	clients := map[string]*lync.Client{}
	for _, s := range pool2.Servers {
		c, err := lab.OpenServer(ctx, s)
		if err != nil {
			t.Fatal(err)
		}
		clients[s] = c
		if err := c.Services.Stop(ctx, s, lync.StopOptions{NoWait: true}); err != nil {
			t.Fatal(err)
		}
	}
	for s, c := range clients {
		if _, err := c.Services.WaitState(ctx, s, lync.ServiceStopped, 5*time.Millisecond); err != nil {
			t.Fatal(err)
		}
	}
	mgmt, err := lab.Management(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := mgmt.Site(failovertest.TargetSite).SetXmppRoute(ctx, failovertest.TargetPool); err != nil {
		t.Fatal(err)
	}
	for s, c := range clients {
		if err := c.Services.Start(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	for s := range clients {
		if _, err := mgmt.Replication.WaitUpToDate(ctx, s, 5*time.Millisecond); err != nil {
			t.Fatal(err)
		}
	}
	after, err := lab.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := cloneState(before)
	want.Routes[failovertest.TargetSite] = "EdgeServer:" + failovertest.TargetPool
	for _, h := range []string{"edge1a.contoso.com", "edge1b.contoso.com"} {
		for svc := range want.Services[h] {
			want.Services[h][svc] = lync.ServiceStopped
		}
		// Stopped REPLICA: pool 1's replicas cannot take the route change.
		want.Replicas[h] = false
	}
	want.Replicas[failovertest.ManagementHost] = after.Replicas[failovertest.ManagementHost] // not waited for
	want.Listeners = map[string]bool{failovertest.SourcePool: false, failovertest.TargetPool: true}
	if diff := cmp.Diff(want, after); diff != "" {
		t.Errorf("after the runbook (-want +got):\n%s", diff)
	}
}
