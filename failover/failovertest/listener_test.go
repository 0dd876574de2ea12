package failovertest_test

import (
	"context"
	"errors"
	"syscall"
	"testing"

	"github.com/xmppfed/edgefailover/edge"
	"github.com/xmppfed/edgefailover/failover/failovertest"
	"github.com/xmppfed/edgefailover/lync"
	"github.com/xmppfed/edgefailover/lync/lynctest"
)

// probe probes addr through the lab's dialer with STARTTLS, trusting the
// lab's certificates.
func probe(t *testing.T, lab *failovertest.Lab, addr, domain string) *edge.ProbeResult {
	t.Helper()
	res, err := edge.Probe(context.Background(), addr, edge.ProbeConfig{
		To: domain, From: "probe.example", StartTLS: true,
		TLSConfig: lab.TLSConfig(), Dial: lab.Dial,
	})
	if err != nil {
		t.Fatalf("Probe(%s): %v", addr, err)
	}
	return res
}

func listenersUp(lab *failovertest.Lab) map[string]bool {
	m := map[string]bool{}
	for _, p := range lab.Pools() {
		m[p.FQDN] = p.Listener.Running()
	}
	return m
}

func checkListeners(t *testing.T, lab *failovertest.Lab, when string, pool1, pool2 bool) {
	t.Helper()
	got := listenersUp(lab)
	if got[failovertest.SourcePool] != pool1 || got[failovertest.TargetPool] != pool2 {
		t.Fatalf("%s: listeners %v, want %s=%v %s=%v", when, got,
			failovertest.SourcePool, pool1, failovertest.TargetPool, pool2)
	}
}

// TestListenerFollowsServicesAndRoute walks the runbook by hand through the
// lync clients and checks after each step, without polling, that the
// listeners follow: lynctest runs the lab's callbacks before a cmdlet returns.
func TestListenerFollowsServicesAndRoute(t *testing.T) {
	t.Parallel()
	for _, param := range []string{lynctest.XmppFederationRoute, lynctest.XmppExternalFederationRoute} {
		t.Run(param, func(t *testing.T) {
			t.Parallel()
			lab := failovertest.Start(t, failovertest.Options{RouteParameter: param, Product: lynctest.Lync2013})
			ctx := context.Background()
			checkListeners(t, lab, "at start", true, false)
			if res := probe(t, lab, "192.0.2.10:5269", "contoso.com"); !res.OK() {
				t.Fatalf("pool 1 at start: probe not OK: %+v", res)
			}

			pool1, _ := lab.Pool(failovertest.SourcePool)
			pool2, _ := lab.Pool(failovertest.TargetPool)
			stopAll := func(p failovertest.Pool) {
				for _, s := range p.Servers {
					c, err := lab.OpenServer(ctx, s)
					if err != nil {
						t.Fatal(err)
					}
					if err := c.Services.Stop(ctx, s, lync.StopOptions{}); err != nil {
						t.Fatal(err)
					}
				}
			}
			startAll := func(p failovertest.Pool) {
				for _, s := range p.Servers {
					c, err := lab.OpenServer(ctx, s)
					if err != nil {
						t.Fatal(err)
					}
					if err := c.Services.Start(ctx, s); err != nil {
						t.Fatal(err)
					}
				}
			}

			// Pool 1 fails: one server down keeps the pool up, both down take it down.
			c, err := lab.OpenServer(ctx, pool1.Servers[0])
			if err != nil {
				t.Fatal(err)
			}
			if err := c.Services.Stop(ctx, pool1.Servers[0], lync.StopOptions{Names: []string{"RTCSRV"}}); err != nil {
				t.Fatal(err)
			}
			checkListeners(t, lab, "one service of one pool 1 server stopped", true, false)
			stopAll(pool1)
			checkListeners(t, lab, "pool 1 services stopped", false, false)
			res := probe(t, lab, "192.0.2.10:5269", "contoso.com")
			if res.Connected || !errors.Is(res.DialError, syscall.ECONNREFUSED) {
				t.Fatalf("pool 1 down: probe connected=%v dialErr=%v, want refused", res.Connected, res.DialError)
			}

			// Runbook steps 2, 3, 7 on pool 2.
			stopAll(pool2)
			checkListeners(t, lab, "pool 2 services stopped", false, false)
			mgmt, err := lab.Management(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if err := mgmt.Site(failovertest.TargetSite).SetXmppRoute(ctx, failovertest.TargetPool); err != nil {
				t.Fatal(err)
			}
			checkListeners(t, lab, "route on pool 2, its services stopped", false, false)
			startAll(pool2)
			checkListeners(t, lab, "pool 2 services started", false, true)
			for _, addr := range []string{"192.0.2.20:5269", "edgepool2.contoso.com:5269", "access2.contoso.com:5269"} {
				if res := probe(t, lab, addr, "fabrikam.com"); !res.OK() {
					t.Errorf("pool 2 after failover: probe of %s not OK: %+v", addr, res)
				}
			}

			// Clearing the route takes pool 2 down although its services run.
			if err := mgmt.Site(failovertest.TargetSite).ClearXmppRoute(ctx); err != nil {
				t.Fatal(err)
			}
			checkListeners(t, lab, "route of Site2 cleared", false, false)
			// Pool 1 restarted: Site1's route still names it.
			startAll(pool1)
			checkListeners(t, lab, "pool 1 restarted", true, false)
		})
	}
}

// TestListenerFollowsSetters checks that changes made behind the SDK's back
// (lynctest's setters, reported asynchronously) are seen by Snapshot, which
// reconciles first.
func TestListenerFollowsSetters(t *testing.T) {
	t.Parallel()
	lab := failovertest.Start(t, failovertest.Options{ServersPerPool: 1})
	ctx := context.Background()
	if err := lab.Deployment().SetServiceStatus("edge1a.contoso.com", "REPLICA", lynctest.Stopped); err != nil {
		t.Fatal(err)
	}
	st, err := lab.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Listeners[failovertest.SourcePool] {
		t.Errorf("pool 1 listener up with REPLICA stopped on its only server: %v", st.Listeners)
	}
	if err := lab.Deployment().SetServiceStatus("edge1a.contoso.com", "REPLICA", lynctest.Running); err != nil {
		t.Fatal(err)
	}
	st, err = lab.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !st.Listeners[failovertest.SourcePool] {
		t.Errorf("pool 1 listener down with every service running: %v", st.Listeners)
	}
}

func TestFailRecoverPool(t *testing.T) {
	t.Parallel()
	lab := failovertest.Start(t, failovertest.Options{})
	if err := lab.FailPool(failovertest.SourcePool); err != nil {
		t.Fatal(err)
	}
	checkListeners(t, lab, "after FailPool", false, false)
	st, err := lab.Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range []string{"edge1a.contoso.com", "edge1b.contoso.com"} {
		for svc, s := range st.Services[h] {
			if s != lync.ServiceStopped {
				t.Errorf("after FailPool: %s %s is %s", h, svc, s)
			}
		}
	}
	if err := lab.RecoverPool(failovertest.SourcePool); err != nil {
		t.Fatal(err)
	}
	checkListeners(t, lab, "after RecoverPool", true, false)
	if err := lab.FailPool("edgepool9.contoso.com"); !errors.Is(err, failovertest.ErrUnknownHost) {
		t.Errorf("FailPool(unknown) = %v, want ErrUnknownHost", err)
	}
}
