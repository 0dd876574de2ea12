package failover_test

import (
	"context"
	"testing"
	"time"

	"github.com/xmppfed/edgefailover/failover"
	"github.com/xmppfed/edgefailover/failover/failovertest"
	"github.com/xmppfed/edgefailover/lync"
	"github.com/xmppfed/edgefailover/lync/lynctest"
)

// TestEveryStrategyWaitsForReplicas applies each strategy, and a plan
// built after a half-done failover (route set while the target servers were
// stopped), against a lab whose Edge serves the new route only once its
// replica received it (replication takes 30 ms, and only while REPLICA
// runs): the probe and the remote view pass only if the plan waited for the
// replicas.
func TestEveryStrategyWaitsForReplicas(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		strategy failover.Strategy
		halfDone bool
	}{
		{"runbook", failover.Runbook, false},
		{"rolling", failover.Rolling, false},
		{"route already set, servers stopped", failover.Runbook, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			lab := failovertest.Start(t, failovertest.Options{Latency: lynctest.Latency{Replication: 30 * time.Millisecond}})
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second) // hang guard
			defer cancel()
			if tc.halfDone {
				pool, _ := lab.Pool(failovertest.TargetPool)
				for _, s := range pool.Servers {
					for name := range mustSnapshot(t, lab).Services[s] {
						if err := lab.Deployment().SetServiceStatus(s, name, lynctest.Stopped); err != nil {
							t.Fatal(err)
						}
					}
				}
				mgmt, err := lab.Management(ctx)
				if err != nil {
					t.Fatal(err)
				}
				if err := mgmt.Site(failovertest.TargetSite).SetXmppRoute(ctx, failovertest.TargetPool); err != nil {
					t.Fatal(err)
				}
			}
			cfg := forward(lab)
			cfg.Strategy = tc.strategy
			p := newPlan(t, cfg)
			if tc.halfDone && p.Step("replication/edge2a.contoso.com") == nil {
				t.Fatalf("the plan starts the servers without waiting for their replicas:\n%s", p)
			}
			r, err := p.Apply(ctx, failover.ApplyOptions{})
			if err != nil || r.State != failover.StateApplied {
				t.Fatalf("Apply: %v, %v\n%v", r.State, err, r)
			}
			st := mustSnapshot(t, lab)
			if !st.Listeners[failovertest.TargetPool] {
				t.Fatalf("target pool not serving after apply: %v", st.Listeners)
			}
			for _, s := range []string{"edge2a.contoso.com", "edge2b.contoso.com"} {
				if st.Services[s]["RTCSRV"] != lync.ServiceRunning {
					t.Fatalf("%s: %v", s, st.Services[s])
				}
			}
		})
	}
}

func mustSnapshot(t *testing.T, lab *failovertest.Lab) failovertest.State {
	t.Helper()
	st, err := lab.Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return st
}
