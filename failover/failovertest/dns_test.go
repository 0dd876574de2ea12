package failovertest_test

import (
	"context"
	"net/netip"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/xmppfed/edgefailover/edge"
	"github.com/xmppfed/edgefailover/failover/failovertest"
	"github.com/xmppfed/edgefailover/xmppdns"
)

// TestResolve resolves every SIP domain through xmppdns.Resolver against the
// lab (SRV -> xmpp.contoso.com:5269), follows the A record through the lab's
// dialer to pool 1's listener, and checks the records on every name server.
func TestResolve(t *testing.T) {
	t.Parallel()
	lab := failovertest.Start(t, failovertest.Options{Nameservers: 4})
	ctx := context.Background()
	want := []xmppdns.Candidate{{Host: "xmpp.contoso.com", Port: 5269, Priority: 10, FromSRV: true}}
	for _, d := range lab.Domains() {
		got, err := lab.Resolver().Candidates(ctx, d)
		if err != nil {
			t.Fatalf("Candidates(%s): %v", d, err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("Candidates(%s) (-want +got):\n%s", d, diff)
		}
		res, err := edge.ProbeDomain(ctx, lab.Resolver(), d, edge.ProbeConfig{
			From: "probe.example", StartTLS: true, TLSConfig: lab.TLSConfig(), Dial: lab.Dial,
		})
		if err != nil {
			t.Fatal(err)
		}
		if a := res.Answer(); a == nil || !a.Result.OK() {
			t.Errorf("ProbeDomain(%s): no OK answer: %+v", d, res)
		}
	}

	auth := lab.Authoritative()
	for _, d := range lab.Domains() {
		rep, err := auth.Check(ctx, xmppdns.RRset{
			Name: xmppdns.SRVName(d), Type: "SRV", Data: []string{"10 0 5269 xmpp.contoso.com."},
		})
		if err != nil {
			t.Fatalf("Check(%s): %v", d, err)
		}
		if !rep.Converged || len(rep.Servers) != 4 {
			t.Errorf("Check(%s): converged=%v servers=%d, want true 4: %+v", d, rep.Converged, len(rep.Servers), rep)
		}
	}
	rep, err := auth.Check(ctx, xmppdns.RRset{Name: "xmpp.contoso.com.", Type: "A", Data: []string{"192.0.2.10"}})
	if err != nil || !rep.Converged {
		t.Errorf("Check(A xmpp.contoso.com) = %+v, %v; want converged", rep, err)
	}
	if z := lab.ZoneOf("fabrikam.com"); z == nil || z.Name() != "fabrikam.com." {
		t.Errorf("ZoneOf(fabrikam.com) = %v", z)
	}
}

// TestARecordMovesTraffic repoints the federation host's A record and checks
// that the lab's dialer follows DNS: a remote server then reaches pool 2's
// listener, and only once that listener is up.
func TestARecordMovesTraffic(t *testing.T) {
	t.Parallel()
	lab := failovertest.Start(t, failovertest.Options{})
	ctx := context.Background()
	pool1, _ := lab.Pool(failovertest.SourcePool)
	pool2, _ := lab.Pool(failovertest.TargetPool)
	if _, err := lab.Zone(failovertest.FederationZone).SetAddrs(ctx, failovertest.FederationHost,
		netip.MustParseAddr("192.0.2.20")); err != nil {
		t.Fatal(err)
	}
	cfg := edge.ProbeConfig{From: "probe.example", StartTLS: true, TLSConfig: lab.TLSConfig(), Dial: lab.Dial}
	res, err := edge.ProbeDomain(ctx, lab.Resolver(), "contoso.com", cfg)
	if err != nil {
		t.Fatal(err)
	}
	if res.Answer() != nil || len(res.Attempts) != 1 || res.Attempts[0].Result.Connected {
		t.Fatalf("A -> pool 2 while pool 2 is down: %+v, want one refused attempt", res)
	}

	mgmt, err := lab.Management(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := mgmt.Site(failovertest.TargetSite).SetXmppRoute(ctx, failovertest.TargetPool); err != nil {
		t.Fatal(err)
	}
	s1, s2 := pool1.Listener.Stats().Streams, pool2.Listener.Stats().Streams
	res, err = edge.ProbeDomain(ctx, lab.Resolver(), "fabrikam.com", cfg)
	if err != nil {
		t.Fatal(err)
	}
	if a := res.Answer(); a == nil || !a.Result.OK() {
		t.Fatalf("A -> pool 2, pool 2 routed and running: %+v", res)
	}
	if d1, d2 := pool1.Listener.Stats().Streams-s1, pool2.Listener.Stats().Streams-s2; d1 != 0 || d2 == 0 {
		t.Errorf("streams during the probe: pool 1 %d, pool 2 %d; want 0 and >0", d1, d2)
	}
}

// TestSecondaryLag: with lagging secondaries a change is on the primary at
// once and on the secondaries only when they catch up.
func TestSecondaryLag(t *testing.T) {
	t.Parallel()
	lab := failovertest.Start(t, failovertest.Options{Nameservers: 3, SecondaryLag: time.Hour})
	ctx := context.Background()
	if _, err := lab.Zone("contoso.com").SetAddrs(ctx, failovertest.FederationHost,
		netip.MustParseAddr("192.0.2.20")); err != nil {
		t.Fatal(err)
	}
	want := xmppdns.RRset{Name: "xmpp.contoso.com.", Type: "A", Data: []string{"192.0.2.20"}}
	rep, err := lab.Authoritative().Check(ctx, want)
	if err != nil {
		t.Fatal(err)
	}
	var match []bool
	for _, s := range rep.Servers {
		match = append(match, s.Match)
	}
	if diff := cmp.Diff([]bool{true, false, false}, match); rep.Converged || diff != "" {
		t.Errorf("lagging: converged=%v per server (-want +got):\n%s", rep.Converged, diff)
	}
	for _, s := range lab.DNS().Secondaries {
		s.SetLag(0)
	}
	if rep, err = lab.Authoritative().Check(ctx, want); err != nil || !rep.Converged {
		t.Errorf("caught up: %+v, %v; want converged", rep, err)
	}
}
