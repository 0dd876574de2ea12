package xmppdns_test

import (
	"context"
	"fmt"
	"net/netip"
	"testing"
	"time"

	"github.com/xmppfed/edgefailover/internal/testpeer"
	"github.com/xmppfed/edgefailover/xmppdns"
	"github.com/xmppfed/edgefailover/xmppdns/rfc2136"
)

const (
	gssRealm    = "EXAMPLE.TEST"
	gssUser     = "xmpp-update"
	gssPassword = "test-realm-password"
)

// startGSSBIND starts a KDC and a BIND serving the lab zone that takes
// updates signed with GSS-TSIG by gssUser and with its HMAC key, and
// returns a provider of each kind.
func startGSSBIND(t testing.TB) (b *testpeer.BIND, gss, hmac *rfc2136.Provider) {
	t.Helper()
	kdc := testpeer.StartKDC(t, gssRealm)
	kdc.AddUser(t, gssUser, gssPassword)
	b, g := testpeer.StartBINDKerberos(t, "example.test.", lab, kdc, gssUser)
	gss = &rfc2136.Provider{Server: b.Addr, Kerberos: &rfc2136.Kerberos{
		Realm: gssRealm, Username: gssUser, Password: gssPassword, KDC: kdc.Addr, SPN: g.SPN}}
	hmac = &rfc2136.Provider{Server: b.Addr, KeyName: b.KeyName, Algorithm: b.Algorithm, Secret: rfc2136.Secret(b.Secret)}
	return b, gss, hmac
}

// TestBINDGSSTSIG runs a failover and its undo through a Zone signing with
// GSS-TSIG against BIND: one TKEY exchange, then one UPDATE per write.
func TestBINDGSSTSIG(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	b, p, _ := startGSSBIND(t)
	dz, err := xmppdns.NewZone(b.Zone, p, xmppdns.ZoneOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if g := dz.Guarantees(); !g.Conditional || !g.Atomic {
		t.Fatalf("Guarantees = %v", g)
	}
	before := b.Serial(t)
	ch := failoverPlan(t, dz, 2)
	if err := dz.Apply(ctx, ch); err != nil {
		t.Fatal(err)
	}
	if n := b.Serial(t) - before; n != 1 {
		t.Errorf("%d UPDATEs for the failover, want 1", n)
	}
	if _, err := dz.Restore(ctx, ch.Before()); err != nil {
		t.Fatal(err)
	}
	if s := p.Kerberos.Stats(); s.Negotiations != 1 || s.TKEYExchanges != 1 {
		t.Errorf("Kerberos.Stats = %+v, want one context from one TKEY exchange", s)
	}
}

// BenchmarkFailoverWriteBIND applies a failover of 50 SIP domains (an SRV
// set each), the zone's own SRV set and the federation host's A record to
// BIND, alternating between two pools, signed with HMAC-SHA256 and with
// GSS-TSIG. It reports UPDATEs (BIND's serial: one per UPDATE) per failover
// and the TKEY exchanges of the whole run.
//
//	go test -run '^$' -bench FailoverWriteBIND ./xmppdns
func BenchmarkFailoverWriteBIND(b *testing.B) {
	bd, gss, hmac := startGSSBIND(b)
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		p    *rfc2136.Provider
	}{{"hmac-sha256", hmac}, {"gss-tsig", gss}} {
		b.Run(tc.name, func(b *testing.B) {
			dz, err := xmppdns.NewZone(bd.Zone, tc.p, xmppdns.ZoneOptions{})
			if err != nil {
				b.Fatal(err)
			}
			pools := [2][2]string{{"edgepool2.example.test.", "edgepool1.example.test."}, {"edgepool1.example.test.", "edgepool2.example.test."}}
			first, round := bd.Serial(b), 0
			for b.Loop() {
				ch := planPools(b, dz, 50, pools[round%2][0], pools[round%2][1])
				if err := dz.Apply(ctx, ch); err != nil {
					b.Fatal(err)
				}
				round++
			}
			b.ReportMetric(float64(bd.Serial(b)-first)/float64(round), "updates/op")
			if tc.p.Kerberos != nil {
				b.ReportMetric(float64(tc.p.Kerberos.Stats().TKEYExchanges), "tkeys")
			}
		})
	}
}

// planPools plans the SRV sets of example.test and sip0..sip<domains-1>
// preferring first, and the federation host's address of that pool.
func planPools(t testing.TB, dz *xmppdns.Zone, domains int, first, second string) *xmppdns.Change {
	t.Helper()
	pools, err := xmppdns.Prioritized(first, second)
	if err != nil {
		t.Fatal(err)
	}
	ip := netip.MustParseAddr("192.0.2.20")
	if first == "edgepool1.example.test." {
		ip = netip.MustParseAddr("192.0.2.10")
	}
	desired := []xmppdns.Desired{xmppdns.SRVSet{Domain: "example.test", Records: pools}, xmppdns.AddrSet{Host: "xmpp.example.test", IPs: []netip.Addr{ip}}}
	for i := range domains {
		desired = append(desired, xmppdns.SRVSet{Domain: fmt.Sprintf("sip%d.example.test", i), Records: pools})
	}
	ch, err := dz.Plan(context.Background(), desired...)
	if err != nil {
		t.Fatal(err)
	}
	return ch
}
