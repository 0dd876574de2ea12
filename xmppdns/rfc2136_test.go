package xmppdns_test

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"testing"
	"time"

	"github.com/miekg/dns"
	"github.com/xmppfed/edgefailover/internal/testpeer"
	"github.com/xmppfed/edgefailover/xmppdns"
	"github.com/xmppfed/edgefailover/xmppdns/dnstest"
	"github.com/xmppfed/edgefailover/xmppdns/rfc2136"
)

const lab = `
$TTL 300
@    IN SOA ns1 hostmaster 1 3600 600 86400 60
@    IN NS  ns1
@    IN NS  ns2
@    IN NS  ns3
ns1  IN A   192.0.2.53
ns2  IN A   192.0.2.54
ns3  IN A   192.0.2.55
_xmpp-server._tcp IN SRV 10 0 5269 edgepool1.example.test.
xmpp IN A   192.0.2.10
`

// The rfc2136 provider keeps the optional contracts a Zone looks for; if a
// signature drifts, this stops compiling instead of silently falling back to
// unconditional writes.
var (
	_ xmppdns.Provider               = (*rfc2136.Provider)(nil)
	_ xmppdns.RRsetGetter            = (*rfc2136.Provider)(nil)
	_ xmppdns.ConditionalSetter      = (*rfc2136.Provider)(nil)
	_ xmppdns.BatchConditionalSetter = (*rfc2136.Provider)(nil)
)

type labEnv struct {
	zone    *dnstest.Zone
	cluster *dnstest.Cluster
	dz      *xmppdns.Zone
	auth    *xmppdns.Authoritative
}

// startLab serves example.test from a primary and two secondaries and
// returns a Zone writing through the rfc2136 provider to the primary, and an
// Authoritative that asks all three.
func startLab(t testing.TB, extra string) *labEnv {
	t.Helper()
	z, err := dnstest.ParseZone("example.test", lab+extra)
	if err != nil {
		t.Fatal(err)
	}
	key, err := dnstest.NewKey("xmpp-update.", dns.HmacSHA256)
	if err != nil {
		t.Fatal(err)
	}
	c, err := dnstest.StartCluster(dnstest.Config{Zones: []*dnstest.Zone{z}, Keys: []dnstest.Key{key}}, 2)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	p := &rfc2136.Provider{Server: c.Primary.Addr, KeyName: key.Name, Secret: rfc2136.Secret(key.Secret), Timeout: time.Second}
	dz, err := xmppdns.NewZone("example.test.", p, xmppdns.ZoneOptions{})
	if err != nil {
		t.Fatal(err)
	}
	auth := &xmppdns.Authoritative{Resolvers: []string{c.Primary.Addr}, Addrs: map[string]string{}, Timeout: 500 * time.Millisecond}
	for i, a := range c.Addrs() {
		auth.Addrs[fmt.Sprintf("ns%d.example.test.", i+1)] = a
	}
	return &labEnv{zone: z, cluster: c, dz: dz, auth: auth}
}

func failoverPlan(t testing.TB, dz *xmppdns.Zone, domains int) *xmppdns.Change {
	t.Helper()
	pools, err := xmppdns.Prioritized("edgepool2.example.test.", "edgepool1.example.test.")
	if err != nil {
		t.Fatal(err)
	}
	desired := []xmppdns.Desired{
		xmppdns.SRVSet{Domain: "example.test", Records: pools},
		xmppdns.AddrSet{Host: "xmpp.example.test", IPs: []netip.Addr{netip.MustParseAddr("192.0.2.20"), netip.MustParseAddr("2001:db8::20")}},
	}
	for i := range domains {
		desired = append(desired, xmppdns.SRVSet{Domain: fmt.Sprintf("sip%d.example.test", i), Records: pools})
	}
	ch, err := dz.Plan(context.Background(), desired...)
	if err != nil {
		t.Fatal(err)
	}
	return ch
}

func TestRFC2136FailoverOneUpdate(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	env := startLab(t, "")
	ch := failoverPlan(t, env.dz, 3)
	if len(ch.Corrections) != 6 {
		t.Fatalf("plan:\n%s", ch)
	}
	snap := ch.Before()
	if err := env.dz.Apply(ctx, ch); err != nil {
		t.Fatal(err)
	}
	if n := env.cluster.Primary.Count(dns.OpcodeUpdate); n != 1 {
		t.Errorf("%d UPDATE messages for one change of one zone, want 1", n)
	}
	rep, err := env.auth.WaitConverged(ctx, 20*time.Millisecond, ch.Desired...)
	if err != nil || !rep.Converged || len(rep.Servers) != 3 {
		t.Fatalf("not converged on all servers: %v %+v", err, rep)
	}
	// Undo: the zone is back to what it was, on every server.
	undo, err := env.dz.Restore(ctx, snap)
	if err != nil || len(undo.Corrections) != 6 {
		t.Fatalf("restore: %v\n%s", err, undo)
	}
	if _, err := env.auth.WaitConverged(ctx, 20*time.Millisecond, snap.Sets...); err != nil {
		t.Fatal(err)
	}
	got, err := env.dz.GetSRV(ctx, "example.test")
	if err != nil || len(got.Records) != 1 || got.Records[0].Target != "edgepool1.example.test." {
		t.Errorf("after restore: %+v, %v", got, err)
	}
}

func TestRFC2136ConflictIsNotOverwritten(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	env := startLab(t, "")
	ch := failoverPlan(t, env.dz, 0)
	// Someone repoints xmpp between plan and apply.
	rr, _ := dns.NewRR("xmpp.example.test. 300 IN A 198.51.100.7")
	if err := env.zone.SetRRset("xmpp.example.test.", dns.TypeA, rr); err != nil {
		t.Fatal(err)
	}
	err := env.dz.Apply(ctx, ch)
	var ce *xmppdns.ConflictError
	if !errors.Is(err, xmppdns.ErrConflict) || !errors.As(err, &ce) || !errors.Is(err, rfc2136.ErrConflict) {
		t.Fatalf("Apply = %v, want a conflict", err)
	}
	if ce.Found.Type != "A" || len(ce.Found.Data) != 1 || ce.Found.Data[0] != "198.51.100.7" {
		t.Errorf("Found = %+v", ce.Found)
	}
	// Nothing of the change was written: the SRV set is the old one.
	got, _ := env.dz.GetSRV(ctx, "example.test")
	if len(got.Records) != 1 || got.Records[0].Target != "edgepool1.example.test." {
		t.Errorf("partial write: %+v", got)
	}
}

func TestRFC2136Faults(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		kind dnstest.FaultKind
		want error
	}{
		{dnstest.FaultServFail, rfc2136.ErrServFail},
		{dnstest.FaultRefused, rfc2136.ErrRefused},
		{dnstest.FaultBadSig, rfc2136.ErrBadSig},
	} {
		t.Run(tt.kind.String(), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			env := startLab(t, "")
			ch := failoverPlan(t, env.dz, 1)
			env.cluster.Primary.Inject(dnstest.Fault{Kind: tt.kind, Opcode: dns.OpcodeUpdate, OnlyOpcode: true})
			err := env.dz.Apply(ctx, ch)
			if !errors.Is(err, tt.want) || errors.Is(err, xmppdns.ErrNotApplied) || errors.Is(err, xmppdns.ErrConflict) {
				t.Fatalf("Apply = %v, want %v", err, tt.want)
			}
			env.cluster.Primary.ClearFaults()
			again, err := env.dz.Plan(ctx, ch.Desired[0], ch.Desired[1])
			if err != nil || len(again.Corrections) != 2 {
				t.Errorf("the failed write changed the zone: %v\n%s", err, again)
			}
		})
	}
}

// TestBIND runs a failover and its undo against a real BIND 9 primary.
func TestBIND(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	b := testpeer.StartBIND(t, "example.test.", lab)
	p := &rfc2136.Provider{Server: b.Addr, KeyName: b.KeyName, Algorithm: b.Algorithm, Secret: rfc2136.Secret(b.Secret)}
	dz, err := xmppdns.NewZone(b.Zone, p, xmppdns.ZoneOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ch := failoverPlan(t, dz, 2)
	if err := dz.Apply(ctx, ch); err != nil {
		t.Fatal(err)
	}
	auth := &xmppdns.Authoritative{
		Resolvers: []string{b.Addr},
		// One server plays all three name servers of the zone file.
		Addrs: map[string]string{"ns1.example.test.": b.Addr, "ns2.example.test.": b.Addr, "ns3.example.test.": b.Addr},
	}
	rep, err := auth.WaitConverged(ctx, 50*time.Millisecond, ch.Desired...)
	if err != nil || !rep.Converged {
		t.Fatalf("%v %+v", err, rep)
	}
	cands, err := (&xmppdns.Resolver{Servers: []string{b.Addr}}).Candidates(ctx, "sip1.example.test")
	if err != nil || len(cands) != 2 || cands[0].Host != "edgepool2.example.test" {
		t.Errorf("Candidates = %+v, %v", cands, err)
	}
	if _, err := dz.Restore(ctx, ch.Before()); err != nil {
		t.Fatal(err)
	}
	got, err := dz.GetAddrs(ctx, "xmpp.example.test")
	if err != nil || len(got.IPs) != 1 || got.IPs[0] != netip.MustParseAddr("192.0.2.10") {
		t.Errorf("after restore: %+v, %v", got, err)
	}
}
