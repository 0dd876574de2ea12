package failover_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/miekg/dns"

	"github.com/xmppfed/edgefailover/edge/xmpptest"
	"github.com/xmppfed/edgefailover/failover"
	"github.com/xmppfed/edgefailover/failover/failovertest"
	"github.com/xmppfed/edgefailover/failover/journal"
	"github.com/xmppfed/edgefailover/lync/lynctest"
	"github.com/xmppfed/edgefailover/xmppdns/dnstest"
)

// fastTimeouts keep injected hangs and stuck waits short. Replication and
// Converge were 400 ms: under -race on a loaded 2-core machine a fault-free
// verify/dns took up to 490 ms (median 120 ms), so it failed before the
// step a case aims at had run, and the fault went into an undo instead.
var fastTimeouts = failover.Timeouts{
	Poll: 5 * time.Millisecond, Stop: 2 * time.Second, Start: 2 * time.Second,
	Replication: 2 * time.Second, DNS: 2 * time.Second, Converge: 2 * time.Second,
	Probe: time.Second, Command: 2 * time.Second,
}

type faultCase struct {
	name   string
	step   string // the step the fault aims at
	stale  bool   // the fault is someone else's change: Apply must stop with ErrStalePlan
	inject func(lab *failovertest.Lab)
}

func lyncFault(f lynctest.Fault) func(*failovertest.Lab) {
	return func(lab *failovertest.Lab) {
		if _, err := lab.Deployment().Inject(f); err != nil {
			panic(err)
		}
	}
}

func dnsFault(f dnstest.Fault) func(*failovertest.Lab) {
	return func(lab *failovertest.Lab) { lab.DNS().Primary.Inject(f) }
}

func listenerFault(f xmpptest.Fault) func(*failovertest.Lab) {
	return func(lab *failovertest.Lab) {
		p, _ := lab.Pool(failovertest.TargetPool)
		p.Listener.SetFault(f)
	}
}

// faultMatrix lists, for every step of the forward plan, every fault the
// doubles can inject into it. Faults that would also break the undo of the
// same resource are transient (Nth: 1, Count: 1): a persistent fault on a host
// makes its own undo impossible, which TestApplyReportsFailedUndo covers.
func faultMatrix() []faultCase {
	const srv, mgmt = "edge2a.contoso.com", failovertest.ManagementHost
	var cs []faultCase
	for _, k := range []struct {
		name string
		kind lynctest.FaultKind
	}{{"soap", lynctest.FaultSOAP}, {"unauthorized", lynctest.FaultUnauthorized}, {"reset", lynctest.FaultReset}} {
		cs = append(cs,
			faultCase{k.name + " on stop", "stop/" + srv, false, lyncFault(lynctest.Fault{Kind: k.kind, Host: srv, Action: lynctest.ActionSend, Nth: 1})},
			faultCase{k.name + " on route", "route/Site2", false, lyncFault(lynctest.Fault{Kind: k.kind, Host: mgmt, Action: lynctest.ActionSend, Nth: 2})},
		)
	}
	cs = append(cs,
		faultCase{"hang on stop", "stop/" + srv, false, lyncFault(lynctest.Fault{Kind: lynctest.FaultHang, Host: srv, Cmdlet: "Stop-CsWindowsService", Nth: 1})},
		faultCase{"cmdlet error on stop", "stop/" + srv, false, lyncFault(lynctest.Fault{Kind: lynctest.FaultCmdletError, Host: srv, Cmdlet: "Stop-CsWindowsService", Nth: 1})},
		faultCase{"service will not stop", "stop/" + srv, false, lyncFault(lynctest.Fault{Kind: lynctest.FaultServiceWontStop, Host: srv, Service: "RTCSRV", Nth: 1})},
		faultCase{"cmdlet error on route", "route/Site2", false, lyncFault(lynctest.Fault{Kind: lynctest.FaultCmdletError, Host: mgmt, Cmdlet: "Set-CsSite", Nth: 1})},
		faultCase{"hang on route", "route/Site2", false, lyncFault(lynctest.Fault{Kind: lynctest.FaultHang, Host: mgmt, Cmdlet: "Set-CsSite", Nth: 1})},
		faultCase{"cmdlet error on start", "start/" + srv, false, lyncFault(lynctest.Fault{Kind: lynctest.FaultCmdletError, Host: srv, Cmdlet: "Start-CsWindowsService", Nth: 1})},
		faultCase{"service will not start", "start/" + srv, false, lyncFault(lynctest.Fault{Kind: lynctest.FaultServiceWontStart, Host: srv, Service: "RTCSRV", Nth: 1})},
		faultCase{"replication stuck", "replication/" + srv, false, lyncFault(lynctest.Fault{Kind: lynctest.FaultReplicationStuck, Host: srv})},
		faultCase{"timed-out long polls", "stop/" + srv, false, lyncFault(lynctest.Fault{Kind: lynctest.FaultTimedOut, Host: srv, Action: lynctest.ActionReceive, Nth: 1})},
	)
	for _, k := range []struct {
		name string
		kind dnstest.FaultKind
	}{{"refused", dnstest.FaultRefused}, {"servfail", dnstest.FaultServFail}, {"drop", dnstest.FaultDrop}, {"badsig", dnstest.FaultBadSig}} {
		cs = append(cs, faultCase{"dns update " + k.name, "dns/contoso.com", false, dnsFault(dnstest.Fault{Kind: k.kind, Opcode: dns.OpcodeUpdate, OnlyOpcode: true, Count: 1})})
	}
	cs = append(cs,
		faultCase{"secondary stuck", "verify/dns/contoso.com", false, func(lab *failovertest.Lab) { lab.DNS().Secondaries[0].SetLag(time.Hour) }},
		faultCase{"secondary servfail", "verify/dns/contoso.com", false, func(lab *failovertest.Lab) {
			lab.DNS().Secondaries[1].Inject(dnstest.Fault{Kind: dnstest.FaultServFail, Name: "xmpp.contoso.com", Type: dns.TypeA})
		}},
		faultCase{"secondary truncates", "verify/dns/contoso.com", false, func(lab *failovertest.Lab) {
			lab.DNS().Secondaries[0].Inject(dnstest.Fault{Kind: dnstest.FaultTruncate})
		}},
		faultCase{"another admin changes the A record", "dns/contoso.com", true, func(lab *failovertest.Lab) {
			z := lab.DNSZone("contoso.com")
			rr, _ := dns.NewRR("xmpp.contoso.com. 300 IN A 198.51.100.7")
			z.SetRRset("xmpp.contoso.com.", dns.TypeA, rr)
		}},
	)
	for _, f := range []xmpptest.Fault{xmpptest.FaultSilence, xmpptest.FaultReset, xmpptest.FaultGarbage, xmpptest.FaultNoFeatures, xmpptest.FaultHostUnknown, xmpptest.FaultSlowDrip} {
		cs = append(cs, faultCase{"listener " + f.String(), "probe/5269", false, listenerFault(f)})
	}
	return cs
}

// TestFaultMatrix injects every fault into the step it aims at. Apply must
// either complete, or end with the lab exactly in its before-state (routes,
// services, replicas, RRsets, listeners).
//
// One outcome is not a lost state: another step fails first (a wait that
// a loaded machine makes time out), the rollback runs into the fault meant
// for a step that never failed, and that undo fails. Apply must then say
// so: inconsistent, the failed undos named, every other resource back in
// its before-state, and a Rollback of the journal must restore the rest.
func TestFaultMatrix(t *testing.T) {
	t.Parallel()
	var injected, survived, completed, misdirected, lost atomic.Int32
	t.Cleanup(func() {
		t.Logf("fault matrix: %d faults injected, %d survived (%d rolled back, %d completed), %d hit an undo instead (reported, then rolled back), %d states lost",
			injected.Load(), survived.Load(), survived.Load()-completed.Load(), completed.Load(), misdirected.Load(), lost.Load())
	})
	for _, fc := range faultMatrix() {
		t.Run(fc.name, func(t *testing.T) {
			t.Parallel()
			lab := failovertest.Start(t, failovertest.Options{})
			cfg := forward(lab)
			cfg.Timeouts = fastTimeouts
			plan := newPlan(t, cfg)
			if plan.Step(fc.step) == nil {
				t.Fatalf("the plan has no step %s", fc.step)
			}
			fc.inject(lab)
			injected.Add(1)
			before := snapshot(t, lab) // some faults are changes (another admin's record)
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			j := openJournal(t, filepath.Join(t.TempDir(), "failover.journal"), journal.Options{})
			rep, err := plan.Apply(ctx, failover.ApplyOptions{UndoTimeout: 20 * time.Second, Journal: j})
			clearFaults(lab)
			after := snapshot(t, lab)
			switch {
			case err == nil && rep.State == failover.StateApplied:
				survived.Add(1)
				completed.Add(1)
				if after.Routes[failovertest.TargetSite] != "EdgeServer:"+failovertest.TargetPool {
					lost.Add(1)
					t.Errorf("applied, but the route is %q", after.Routes[failovertest.TargetSite])
				}
			case err != nil && rep.State == failover.StateRolledBack:
				if diff := cmp.Diff(before, after); diff != "" {
					lost.Add(1)
					t.Errorf("rolled back, but the lab differs from its before-state (-before +after):\n%s\n%s", diff, rep)
					return
				}
				survived.Add(1)
				if fc.stale && !errors.Is(err, failover.ErrStalePlan) {
					t.Errorf("err = %v, want ErrStalePlan", err)
				}
				if s := rep.Step(fc.step); s == nil || s.State == failover.StepDone || s.State == failover.StepNotStarted {
					t.Logf("the fault hit another step than %s:\n%s", fc.step, rep)
				}
			case err != nil && rep.State == failover.StateInconsistent && missed(rep, fc.step):
				if msg := untruthful(rep, before, after); msg != "" {
					lost.Add(1)
					t.Errorf("inconsistent, but %s (-before +after):\n%s\n%s", msg, cmp.Diff(before, after), rep)
					return
				}
				rctx, rcancel := context.WithTimeout(context.Background(), 30*time.Second)
				defer rcancel()
				rp, rrep, rerr := failover.Rollback(rctx, j, cfg, failover.ApplyOptions{UndoTimeout: 20 * time.Second})
				if rp != nil {
					rp.Close()
				}
				if now := snapshot(t, lab); rerr != nil || rrep == nil || rrep.State != failover.StateRolledBack || !cmp.Equal(before, now) {
					lost.Add(1)
					t.Errorf("the fault hit an undo (reported), but Rollback: %v\n%v\nthe lab (-before +now):\n%s", rerr, rrep, cmp.Diff(before, now))
					return
				}
				misdirected.Add(1)
				t.Logf("the fault hit an undo, not %s: reported inconsistent, then rolled back:\n%s", fc.step, rep)
			default:
				lost.Add(1)
				t.Errorf("state %s, err %v\n%s", rep.State, err, rep)
			}
		})
	}
}

// missed reports whether the step a fault aims at did not fail (it never
// ran, or it succeeded): the fault, if it fired, hit something else.
func missed(rep *failover.Report, step string) bool {
	s := rep.Step(step)
	return s != nil && s.Error == ""
}

// untruthful checks an inconsistent report against the lab: some undo
// failed, and every resource but those of the steps whose undo failed is
// back in its before-state. It returns what the report gets wrong, or "".
func untruthful(rep *failover.Report, before, after failovertest.State) string {
	var failed []string
	for _, s := range rep.Steps {
		if s.State == failover.StepUndoFailed {
			failed = append(failed, s.ID)
		}
	}
	if len(failed) == 0 {
		return "no undo failed"
	}
	if !cmp.Equal(without(before, failed), without(after, failed)) {
		return fmt.Sprintf("resources of steps other than %v differ", failed)
	}
	return ""
}

// without returns st without the resources the steps change: a service
// step's host (its services and replica), a route step's site, a DNS
// step's zone; and the listeners with either of the first two, since they
// follow the route and the services.
func without(st failovertest.State, steps []string) failovertest.State {
	out := failovertest.State{Routes: maps.Clone(st.Routes), Services: maps.Clone(st.Services),
		Replicas: maps.Clone(st.Replicas), DNS: maps.Clone(st.DNS), Listeners: maps.Clone(st.Listeners)}
	for _, id := range steps {
		kind, name, _ := strings.Cut(id, "/")
		switch kind {
		case "stop", "start", "restart", "replication":
			delete(out.Services, name)
			delete(out.Replicas, name)
			out.Listeners = nil
		case "route":
			delete(out.Routes, name)
			out.Listeners = nil
		case "dns":
			for k := range out.DNS {
				if owner, _, _ := strings.Cut(k, " "); owner == name+"." || strings.HasSuffix(owner, "."+name+".") {
					delete(out.DNS, k)
				}
			}
		}
	}
	return out
}

func clearFaults(lab *failovertest.Lab) {
	lab.Deployment().ClearFaults()
	for _, s := range lab.DNS().Servers() {
		s.ClearFaults()
	}
}
