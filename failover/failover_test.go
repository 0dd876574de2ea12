package failover_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/xmppfed/edgefailover/failover"
	"github.com/xmppfed/edgefailover/failover/failovertest"
	"github.com/xmppfed/edgefailover/lync/lynctest"
)

func TestDryRunChangesNothing(t *testing.T) {
	t.Parallel()
	lab := failovertest.Start(t, failovertest.Options{})
	before := snapshot(t, lab)
	p := newPlan(t, forward(lab))
	text := p.String()
	if _, err := json.Marshal(p); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(before, snapshot(t, lab)); diff != "" {
		t.Errorf("building and printing the plan changed the lab (-before +after):\n%s", diff)
	}
	if !p.HasChanges() {
		t.Fatal("a failover plan from pool 1 to pool 2 has no changes")
	}
	for _, want := range []string{
		"Set-CsSite -Identity 'Site2' -XmppFederationRoute 'EdgeServer:edgepool2.contoso.com'",
		"Stop-CsWindowsService -ComputerName 'edge2a.contoso.com' -NoWait",
		"± MODIFY xmpp.contoso.com. A: 192.0.2.10 -> 192.0.2.20",
		"[runbook step 3]",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("plan text lacks %q:\n%s", want, text)
		}
	}
}

func TestFailoverAndFailback(t *testing.T) {
	t.Parallel()
	lab := failovertest.Start(t, failovertest.Options{})
	ctx := context.Background()
	initial := snapshot(t, lab)

	p := newPlan(t, forward(lab))
	rep, err := p.Apply(ctx, failover.ApplyOptions{})
	if err != nil {
		t.Fatalf("Apply: %v\n%s", err, rep)
	}
	if rep.State != failover.StateApplied {
		t.Fatalf("state %s\n%s", rep.State, rep)
	}
	after := snapshot(t, lab)
	if got := after.Routes[failovertest.TargetSite]; got != "EdgeServer:"+failovertest.TargetPool {
		t.Errorf("route of Site2 = %q", got)
	}
	if got := after.DNS["xmpp.contoso.com. A"]; len(got) != 1 || !strings.HasSuffix(got[0], "192.0.2.20") {
		t.Errorf("A xmpp.contoso.com = %v, want 192.0.2.20", got)
	}
	if !after.Listeners[failovertest.TargetPool] {
		t.Error("the target pool does not serve XMPP after the failover")
	}

	// Idempotent: built again, the plan has nothing to change.
	again := newPlan(t, forward(lab))
	if again.HasChanges() {
		t.Errorf("plan after the failover still has changes:\n%s", again)
	}
	if rep, err := again.Apply(ctx, failover.ApplyOptions{}); err != nil || rep.State != failover.StateUnchanged {
		t.Errorf("applying the no-change plan: %v, %v", rep.State, err)
	}
	if diff := cmp.Diff(after, snapshot(t, lab)); diff != "" {
		t.Errorf("applying the no-change plan changed the lab:\n%s", diff)
	}

	// Failback: computed from live state with the pools swapped. The A
	// record must point at the original pool again (Microsoft's failback page
	// says EdgeServer2 here, a copy-paste error).
	cfg := back(lab)
	cfg.ClearReplacedRoute = true
	fb := newPlan(t, cfg)
	if rep, err := fb.Apply(ctx, failover.ApplyOptions{}); err != nil {
		t.Fatalf("failback: %v\n%s", err, rep)
	}
	end := snapshot(t, lab)
	if got := end.DNS["xmpp.contoso.com. A"]; len(got) != 1 || !strings.HasSuffix(got[0], "192.0.2.10") {
		t.Errorf("after failback A xmpp.contoso.com = %v, want 192.0.2.10", got)
	}
	if got := end.Routes[failovertest.TargetSite]; got != "" {
		t.Errorf("failback with ClearReplacedRoute left Site2's route %q", got)
	}
	if diff := cmp.Diff(initial.DNS, end.DNS); diff != "" {
		t.Errorf("failover then failback did not restore the DNS (-initial +end):\n%s", diff)
	}
}

// The drill's story: pool 1 dies, federation fails over to pool 2; pool 1
// comes back (its replica catching up with the topology it missed) and
// federation fails back. Verification waits for the catching-up replicas.
func TestOutageFailoverRecoveryFailback(t *testing.T) {
	t.Parallel()
	lab := failovertest.Start(t, failovertest.Options{Latency: lynctest.Latency{Replication: 150 * time.Millisecond}})
	ctx := context.Background()
	if err := lab.FailPool(failovertest.SourcePool); err != nil {
		t.Fatal(err)
	}
	if rep, err := newPlan(t, forward(lab)).Apply(ctx, failover.ApplyOptions{}); err != nil {
		t.Fatalf("failover: %v\n%s", err, rep)
	}
	if err := lab.RecoverPool(failovertest.SourcePool); err != nil {
		t.Fatal(err)
	}
	if rep, err := newPlan(t, back(lab)).Apply(ctx, failover.ApplyOptions{}); err != nil || rep.State != failover.StateApplied {
		t.Fatalf("failback: %v\n%s", err, rep)
	}
	st := snapshot(t, lab)
	if got := st.DNS["xmpp.contoso.com. A"]; len(got) != 1 || !strings.HasSuffix(got[0], "192.0.2.10") {
		t.Errorf("after failback A = %v, want pool 1's 192.0.2.10", got)
	}
}
