package failovertest_test

import (
	"context"
	"errors"
	"net"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/xmppfed/edgefailover/edge"
	"github.com/xmppfed/edgefailover/edge/xmpptest"
	"github.com/xmppfed/edgefailover/failover/failovertest"
	"github.com/xmppfed/edgefailover/lync"
	"github.com/xmppfed/edgefailover/lync/lynctest"
	"github.com/xmppfed/edgefailover/xmppdns"
	"github.com/xmppfed/edgefailover/xmppdns/dnstest"
)

// TestFaults injects one fault of each double the way the package doc says
// and checks that the SDK's clients see it, and that removing it heals.
func TestFaults(t *testing.T) {
	t.Parallel()
	lab := failovertest.Start(t, failovertest.Options{})
	ctx := context.Background()

	t.Run("lync cmdlet error", func(t *testing.T) {
		remove, err := lab.Deployment().Inject(lynctest.Fault{Kind: lynctest.FaultCmdletError,
			Host: failovertest.ManagementHost, Cmdlet: "Set-CsSite"})
		if err != nil {
			t.Fatal(err)
		}
		mgmt, err := lab.Management(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var ce *lync.CmdletError
		if err := mgmt.Site(failovertest.TargetSite).SetXmppRoute(ctx, failovertest.TargetPool); !errors.As(err, &ce) {
			t.Fatalf("SetXmppRoute with an injected cmdlet error = %v, want *lync.CmdletError", err)
		}
		st, err := lab.Snapshot(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if st.Routes[failovertest.TargetSite] != "" || st.Listeners[failovertest.TargetPool] {
			t.Errorf("failed Set-CsSite changed the lab: %v %v", st.Routes, st.Listeners)
		}
		remove()
	})

	t.Run("lync service will not start", func(t *testing.T) {
		remove, err := lab.Deployment().Inject(lynctest.Fault{Kind: lynctest.FaultServiceWontStart,
			Host: "edge1a.contoso.com", Service: "RTCSRV"})
		if err != nil {
			t.Fatal(err)
		}
		defer remove()
		c, err := lab.OpenServer(ctx, "edge1a.contoso.com")
		if err != nil {
			t.Fatal(err)
		}
		if err := c.Services.Stop(ctx, "edge1a.contoso.com", lync.StopOptions{}); err != nil {
			t.Fatal(err)
		}
		if err := c.Services.Start(ctx, "edge1a.contoso.com"); !errors.Is(err, lync.ErrServiceOperation) {
			t.Fatalf("Start with RTCSRV refusing = %v, want ErrServiceOperation", err)
		}
		st, err := lab.Snapshot(ctx)
		if err != nil {
			t.Fatal(err)
		}
		// edge1b still runs everything: pool 1 stays up.
		if !st.Listeners[failovertest.SourcePool] || st.Services["edge1a.contoso.com"]["RTCSRV"] != lync.ServiceStopped {
			t.Errorf("listeners %v, RTCSRV %s", st.Listeners, st.Services["edge1a.contoso.com"]["RTCSRV"])
		}
		remove()
		if err := c.Services.Start(ctx, "edge1a.contoso.com"); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("dns servfail", func(t *testing.T) {
		for _, s := range lab.DNS().Servers() {
			s.Inject(dnstest.Fault{Kind: dnstest.FaultServFail, Name: "xmpp.contoso.com"})
		}
		defer func() {
			for _, s := range lab.DNS().Servers() {
				s.ClearFaults()
			}
		}()
		var dnsErr *net.DNSError
		if _, err := lab.Dial(ctx, "tcp", "xmpp.contoso.com:5269"); !errors.As(err, &dnsErr) || !dnsErr.IsTemporary {
			t.Errorf("Dial with every server failing = %v, want a temporary *net.DNSError", err)
		}
		lab.DNS().Primary.Inject(dnstest.Fault{Kind: dnstest.FaultRefused, Type: dns.TypeSRV, Count: 1})
		r := lab.Resolver()
		r.Servers = r.Servers[:1]
		if _, err := r.Candidates(ctx, "contoso.com"); !errors.Is(err, xmppdns.ErrRcode) {
			t.Errorf("Candidates with the only resolver refusing = %v, want ErrRcode", err)
		}
	})

	t.Run("xmpp listener silent", func(t *testing.T) {
		pool1, _ := lab.Pool(failovertest.SourcePool)
		pool1.Listener.SetFault(xmpptest.FaultSilence)
		defer pool1.Listener.SetFault(xmpptest.FaultNone)
		res, err := edge.Probe(ctx, "192.0.2.10:5269", edge.ProbeConfig{
			To: "contoso.com", From: "probe.example", Dial: lab.Dial, Timeout: 200 * time.Millisecond,
		})
		if err != nil {
			t.Fatal(err)
		}
		if !res.Connected || !errors.Is(res.Failure, edge.ErrTimeout) {
			t.Errorf("silent listener: connected=%v failure=%v, want connected and ErrTimeout", res.Connected, res.Failure)
		}
	})
}
