package xmppdns

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/miekg/dns"
	"github.com/xmppfed/edgefailover/xmppdns/dnstest"
)

const clusterZone = `
$TTL 300
@    IN SOA ns1 hostmaster 1 3600 600 86400 60
@    IN NS  ns1
_xmpp-server._tcp IN SRV 10 0 5269 edgepool1.example.test.
xmpp IN A 192.0.2.10
`

// startCluster serves example.test from a primary and n secondaries (NS
// ns1..ns<n+1>, mapped to their loopback ports) and returns an Authoritative
// that starts from the primary.
func startCluster(t testing.TB, n int, extra string) (*dnstest.Zone, *dnstest.Cluster, *Authoritative) {
	t.Helper()
	text := clusterZone + extra
	for i := 1; i <= n+1; i++ {
		if i > 1 {
			text += fmt.Sprintf("@ IN NS ns%d\n", i)
		}
		// Glue addresses nobody listens on: Addrs maps the hosts to the
		// servers' loopback ports.
		text += fmt.Sprintf("ns%d IN A 192.0.2.%d\n", i, 100+i)
	}
	z, err := dnstest.ParseZone("example.test", text)
	if err != nil {
		t.Fatal(err)
	}
	c, err := dnstest.StartCluster(dnstest.Config{Zones: []*dnstest.Zone{z}}, n)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	a := &Authoritative{Resolvers: []string{c.Primary.Addr}, Addrs: map[string]string{}, Timeout: 500 * time.Millisecond, Retries: 1}
	for i, addr := range c.Addrs() {
		a.Addrs[fmt.Sprintf("NS%d.example.test", i+1)] = addr
	}
	return z, c, a
}

func rrs(t testing.TB, s ...string) []dns.RR {
	t.Helper()
	var out []dns.RR
	for _, x := range s {
		rr, err := dns.NewRR(x)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, rr)
	}
	return out
}

var (
	wantSRV2 = RRset{Name: "_xmpp-server._tcp.example.test.", Type: "SRV", Data: []string{"10 0 5269 edgepool2.example.test."}}
	wantA2   = RRset{Name: "xmpp.example.test.", Type: "A", Data: []string{"192.0.2.20"}}
	wantNone = RRset{Name: "xmpp.example.test.", Type: "AAAA"}
)

func TestAuthoritativeCheck(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	z, c, a := startCluster(t, 2, "")
	rep, err := a.Check(ctx, wantSRV2, wantA2, wantNone)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Converged || rep.Zone != "example.test." || len(rep.Servers) != 3 {
		t.Fatalf("before the change: %+v", rep)
	}
	if s := rep.Servers[0].Sets[0]; s.Match || s.Seen[0] != "10 0 5269 edgepool1.example.test." || s.Rcode != dns.RcodeSuccess || !s.Authoritative {
		t.Errorf("old SRV on ns1: %+v", s)
	}
	if s := rep.Servers[0].Sets[2]; !s.Match || len(s.Seen) != 0 {
		t.Errorf("absent AAAA on ns1 (NODATA) should match: %+v", s)
	}

	// The change lands on the primary; ns3 lags, ns2 answers SERVFAIL.
	c.Secondaries[1].SetLag(time.Hour)
	c.Secondaries[0].Inject(dnstest.Fault{Kind: dnstest.FaultServFail, Type: dns.TypeSRV})
	if err := z.SetRRset("_xmpp-server._tcp.example.test.", dns.TypeSRV, rrs(t, "_xmpp-server._tcp.example.test. 300 IN SRV 10 0 5269 edgepool2.example.test.")...); err != nil {
		t.Fatal(err)
	}
	if err := z.SetRRset("xmpp.example.test.", dns.TypeA, rrs(t, "xmpp.example.test. 300 IN A 192.0.2.20")...); err != nil {
		t.Fatal(err)
	}
	rep, err = a.Check(ctx, wantSRV2, wantA2, wantNone)
	if err != nil {
		t.Fatal(err)
	}
	byHost := map[string]NameserverResult{}
	for _, s := range rep.Servers {
		byHost[s.Host] = s
	}
	if s := byHost["ns1.example.test."]; !s.Match || s.Addr != c.Primary.Addr {
		t.Errorf("primary: %+v", s)
	}
	if s := byHost["ns2.example.test."]; s.Match || s.Sets[0].Rcode != dns.RcodeServerFailure || !s.Sets[1].Match {
		t.Errorf("SERVFAIL on SRV not reported per set: %+v", s)
	}
	if s := byHost["ns3.example.test."]; s.Match || s.Sets[0].Seen[0] != "10 0 5269 edgepool1.example.test." || s.Sets[1].Seen[0] != "192.0.2.10" {
		t.Errorf("lagging secondary not reported: %+v", s)
	}
	if rep.Converged {
		t.Error("converged with a lagging and a failing server")
	}

	// WaitConverged gives up with the context and returns the last report.
	wctx, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel()
	rep, err = a.WaitConverged(wctx, 50*time.Millisecond, wantSRV2, wantA2, wantNone)
	if !errors.Is(err, context.DeadlineExceeded) || rep == nil || rep.Converged {
		t.Errorf("WaitConverged while stuck: %v, %+v", err, rep)
	}

	// Once the fault clears and the secondary catches up, all agree.
	c.Secondaries[0].ClearFaults()
	go func() {
		time.Sleep(100 * time.Millisecond)
		c.Secondaries[1].SetLag(0)
	}()
	bounded, stop := context.WithTimeout(ctx, 10*time.Second)
	defer stop()
	rep, err = a.WaitConverged(bounded, 20*time.Millisecond, wantSRV2, wantA2, wantNone)
	if err != nil || !rep.Converged {
		t.Fatalf("WaitConverged: %v, %+v", err, rep)
	}
}

func TestAuthoritativeDroppedAndTruncated(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	_, c, a := startCluster(t, 1, "")
	a.Timeout = 2 * time.Second // generous: the truncation part counts attempts
	old := RRset{Name: "_xmpp-server._tcp.example.test.", Type: "SRV", Data: []string{"10 0 5269 edgepool1.example.test."}}

	// Truncated over UDP: the answer comes over TCP.
	c.Secondaries[0].Inject(dnstest.Fault{Kind: dnstest.FaultTruncate, Type: dns.TypeSRV})
	rep, err := a.Check(ctx, old)
	if err != nil || !rep.Converged {
		t.Fatalf("truncation: %v %+v", err, rep)
	}
	nets := map[string]int{}
	for _, e := range c.Secondaries[0].Log() {
		if e.Type == dns.TypeSRV {
			nets[e.Net]++
		}
	}
	if nets["udp"] != 1 || nets["tcp"] != 1 {
		t.Errorf("queries for SRV by transport: %v, want one UDP then one TCP", nets)
	}

	// Dropped everywhere: bounded attempts (UDP, then TCP after the
	// timeout, twice), reported as data.
	c.Secondaries[0].ClearFaults()
	c.Secondaries[0].ResetLog()
	c.Secondaries[0].Inject(dnstest.Fault{Kind: dnstest.FaultDrop, Type: dns.TypeSRV})
	a.Timeout = 100 * time.Millisecond
	rep, err = a.Check(ctx, old)
	if err != nil {
		t.Fatal(err)
	}
	s := rep.Servers[1]
	if s.Match || s.Sets[0].Rcode != -1 || !errors.Is(s.Sets[0].Err, ErrNoAnswer) || rep.Converged {
		t.Errorf("dropped: %+v", s)
	}
	if n := len(c.Secondaries[0].Log()); n != 4 {
		t.Errorf("%d queries sent to a silent server, want 4 (2 attempts x UDP+TCP)", n)
	}
}

func TestAuthoritativeRefusesBadInput(t *testing.T) {
	t.Parallel()
	a := &Authoritative{Resolvers: []string{"127.0.0.1:1"}}
	ctx := context.Background()
	for _, exp := range [][]RRset{nil, {{Name: "a b.example.", Type: "A"}}, {{Name: "x.example.", Type: "BOGUS"}}} {
		if _, err := a.Check(ctx, exp...); !errors.Is(err, ErrInvalidInput) {
			t.Errorf("Check(%v) = %v", exp, err)
		}
	}
	if _, err := a.WaitConverged(ctx, 0, wantNone); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("interval 0: %v", err)
	}
	if _, err := (&Authoritative{}).Check(ctx, wantNone); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("no resolvers: %v", err)
	}
}
