package failovertest_test

import (
	"context"
	"errors"
	"net/netip"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/miekg/dns"

	"github.com/xmppfed/edgefailover/failover/failovertest"
	"github.com/xmppfed/edgefailover/lync"
	"github.com/xmppfed/edgefailover/lync/lynctest"
	"github.com/xmppfed/edgefailover/xmppdns"
)

// cloneState deep-copies s so a test can edit the copy into its expectation.
func cloneState(s failovertest.State) failovertest.State {
	c := failovertest.State{
		Routes:    map[string]string{},
		Services:  map[string]map[string]lync.ServiceStatus{},
		Replicas:  map[string]bool{},
		DNS:       map[string][]string{},
		Listeners: map[string]bool{},
	}
	for k, v := range s.Routes {
		c.Routes[k] = v
	}
	for h, m := range s.Services {
		c.Services[h] = map[string]lync.ServiceStatus{}
		for k, v := range m {
			c.Services[h][k] = v
		}
	}
	for k, v := range s.Replicas {
		c.Replicas[k] = v
	}
	for k, v := range s.DNS {
		c.DNS[k] = append([]string(nil), v...)
	}
	for k, v := range s.Listeners {
		c.Listeners[k] = v
	}
	return c
}

func TestSnapshotInitial(t *testing.T) {
	t.Parallel()
	lab := failovertest.Start(t, failovertest.Options{ServersPerPool: 1})
	st, err := lab.Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	edgeSvcs := map[string]lync.ServiceStatus{}
	for _, n := range []string{"REPLICA", "RTCSRV", "RTCDATAPROXY", "RTCMRAUTH", "RTCMEDIARELAY", "RTCCLSAGT", "RTCXMPPTGWPX"} {
		edgeSvcs[n] = lync.ServiceRunning
	}
	want := failovertest.State{
		Routes: map[string]string{"Site1": "EdgeServer:edgepool1.contoso.com", "Site2": ""},
		Services: map[string]map[string]lync.ServiceStatus{
			"edge1a.contoso.com": edgeSvcs,
			"edge2a.contoso.com": edgeSvcs,
		},
		Replicas: map[string]bool{"fe1.contoso.com": true, "edge1a.contoso.com": true, "edge2a.contoso.com": true},
		DNS: map[string][]string{
			"_xmpp-server._tcp.contoso.com. SRV":  {"_xmpp-server._tcp.contoso.com. 300 IN SRV 10 0 5269 xmpp.contoso.com."},
			"_xmpp-server._tcp.fabrikam.com. SRV": {"_xmpp-server._tcp.fabrikam.com. 300 IN SRV 10 0 5269 xmpp.contoso.com."},
			"xmpp.contoso.com. A":                 {"xmpp.contoso.com. 300 IN A 192.0.2.10"},
			"xmpp.contoso.com. AAAA":              nil,
			"access1.contoso.com. A":              {"access1.contoso.com. 300 IN A 192.0.2.10"},
			"access1.contoso.com. AAAA":           nil,
			"access2.contoso.com. A":              {"access2.contoso.com. 300 IN A 192.0.2.20"},
			"access2.contoso.com. AAAA":           nil,
		},
		Listeners: map[string]bool{"edgepool1.contoso.com": true, "edgepool2.contoso.com": false},
	}
	// The Front End server's services are whatever lynctest gives a Front End.
	delete(st.Services, failovertest.ManagementHost)
	if diff := cmp.Diff(want, st); diff != "" {
		t.Errorf("initial state (-want +got):\n%s", diff)
	}
}

// TestSnapshotDiff makes a manual failover by hand (stop pool 2, route,
// A record, start pool 2) and checks that the states before and after
// differ exactly by what it changed; then undoes it and gets the before
// state back.
func TestSnapshotDiff(t *testing.T) {
	t.Parallel()
	lab := failovertest.Start(t, failovertest.Options{})
	ctx := context.Background()
	before, err := lab.Snapshot(ctx)
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
	ch, err := lab.Zone(failovertest.FederationZone).SetAddrs(ctx, failovertest.FederationHost, netip.MustParseAddr("192.0.2.20"))
	if err != nil {
		t.Fatal(err)
	}
	c, err := lab.OpenServer(ctx, "edge1b.contoso.com")
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Services.Stop(ctx, "edge1b.contoso.com", lync.StopOptions{Names: []string{"RTCSRV"}}); err != nil {
		t.Fatal(err)
	}
	after, err := lab.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}

	want := cloneState(before)
	want.Routes[failovertest.TargetSite] = "EdgeServer:" + failovertest.TargetPool
	want.DNS["xmpp.contoso.com. A"] = []string{"xmpp.contoso.com. 300 IN A 192.0.2.20"}
	want.Services["edge1b.contoso.com"]["RTCSRV"] = lync.ServiceStopped
	want.Listeners[failovertest.TargetPool] = true // routed, services running
	// Replication: a topology change reaches each replica after the
	// replication delay (0 here), so replicas stay up to date.
	if diff := cmp.Diff(want, after); diff != "" {
		t.Errorf("after the change (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(before, after); diff == "" {
		t.Error("before and after compare equal")
	}

	// Undo everything: the state must be the before state again.
	if err := mgmt.Site(failovertest.TargetSite).ClearXmppRoute(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := lab.Zone(failovertest.FederationZone).Restore(ctx, ch.Before()); err != nil {
		t.Fatal(err)
	}
	if err := c.Services.Start(ctx, "edge1b.contoso.com"); err != nil {
		t.Fatal(err)
	}
	undone, err := lab.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(before, undone); diff != "" {
		t.Errorf("after undo (-before +undone):\n%s", diff)
	}
}

func TestSnapshotContext(t *testing.T) {
	t.Parallel()
	lab := failovertest.Start(t, failovertest.Options{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := lab.Snapshot(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("Snapshot(cancelled) = %v, want context.Canceled", err)
	}
}

// TestSnapshotSeesForeignDNSChange: a change made behind the SDK's back
// (another administrator) shows in the DNS part of the state.
func TestSnapshotSeesForeignDNSChange(t *testing.T) {
	t.Parallel()
	lab := failovertest.Start(t, failovertest.Options{})
	ctx := context.Background()
	before, err := lab.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := lab.DNSZone("fabrikam.com").SetRRset("_xmpp-server._tcp.fabrikam.com.", dns.TypeSRV); err != nil { // delete the set
		t.Fatal(err)
	}
	after, err := lab.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := cloneState(before)
	want.DNS[xmppdns.SRVName("fabrikam.com")+" SRV"] = nil
	if diff := cmp.Diff(want, after); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestSnapshotReplication: with a replication delay, a route change puts
// every replica out of date until the delay has passed.
func TestSnapshotReplication(t *testing.T) {
	t.Parallel()
	lab := failovertest.Start(t, failovertest.Options{ServersPerPool: 1,
		Latency: lynctest.Latency{Replication: time.Hour}})
	ctx := context.Background()
	mgmt, err := lab.Management(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := mgmt.Site(failovertest.TargetSite).SetXmppRoute(ctx, failovertest.TargetPool); err != nil {
		t.Fatal(err)
	}
	st, err := lab.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{"fe1.contoso.com": false, "edge1a.contoso.com": false, "edge2a.contoso.com": false}
	if diff := cmp.Diff(want, st.Replicas); diff != "" {
		t.Errorf("replicas right after the route change (-want +got):\n%s", diff)
	}
}
