package rfc2136_test

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/libdns/libdns"
	"github.com/miekg/dns"
	"github.com/xmppfed/edgefailover/xmppdns/rfc2136"
)

// suiteZoneText is the zone every suite target starts with.
const suiteZoneText = `$TTL 300
@    IN SOA ns1 hostmaster 1 3600 600 86400 60
@    IN NS  ns1
ns1  IN A   127.0.0.1
`

// target is a server the suite runs against: dnstest or BIND.
type target struct {
	p    *rfc2136.Provider
	zone string // "example.test."
	addr string
}

// runSuite checks the provider's documented semantics against one server.
// Every subtest uses its own names, so they share one zone.
func runSuite(t *testing.T, tg target) {
	ctx := context.Background()
	t.Run("SetRecords replaces only the RRsets named (libdns example 1)", func(t *testing.T) {
		p, z := tg.p, tg.zone
		mustSet(t, p, z, addr("s1", "192.0.2.1", 3600), addr("s1", "192.0.2.2", 3600), txt("s1", "hello world", 3600))
		got, err := p.SetRecords(ctx, z, []libdns.Record{addr("s1", "192.0.2.3", 3600)})
		if err != nil {
			t.Fatal(err)
		}
		wantRecords(t, got, "s1 1h0m0s A 192.0.2.3")
		wantServer(t, tg, "s1", dns.TypeA, "s1.example.test.\t3600\tIN\tA\t192.0.2.3")
		wantServer(t, tg, "s1", dns.TypeTXT, "s1.example.test.\t3600\tIN\tTXT\t\"hello world\"")
	})
	t.Run("SetRecords keeps other names (libdns example 2)", func(t *testing.T) {
		p, z := tg.p, tg.zone
		mustSet(t, p, z, aaaa("alpha", "2001:db8::1"), aaaa("alpha", "2001:db8::2"), aaaa("beta", "2001:db8::3"), aaaa("beta", "2001:db8::4"))
		mustSet(t, p, z, aaaa("alpha", "2001:db8::1"), aaaa("alpha", "2001:db8::2"), aaaa("alpha", "2001:db8::5"))
		got, err := p.GetRRset(ctx, z, "alpha", "AAAA")
		if err != nil {
			t.Fatal(err)
		}
		wantRecords(t, got, "alpha 1h0m0s AAAA 2001:db8::1", "alpha 1h0m0s AAAA 2001:db8::2", "alpha 1h0m0s AAAA 2001:db8::5")
		if got, _ := p.GetRRset(ctx, z, "beta", "AAAA"); len(got) != 2 {
			t.Fatalf("beta was touched: %v", got)
		}
	})
	t.Run("SetRecords batches several RRsets and SRV round-trips typed", func(t *testing.T) {
		p, z := tg.p, tg.zone
		recs := []libdns.Record{
			libdns.SRV{Service: "xmpp-server", Transport: "tcp", Name: "batch", TTL: time.Minute, Priority: 10, Weight: 5, Port: 5269, Target: "edge1.example.test."},
			libdns.SRV{Service: "xmpp-server", Transport: "tcp", Name: "batch", TTL: time.Minute, Priority: 20, Port: 5269, Target: "edge2.example.test."},
			addr("edge1.batch", "192.0.2.10", 60),
		}
		mustSet(t, p, z, recs...)
		got, err := p.GetRRset(ctx, z, "_xmpp-server._tcp.batch", "SRV")
		if err != nil {
			t.Fatal(err)
		}
		srv, ok := got[0].(libdns.SRV)
		if len(got) != 2 || !ok || srv.Service != "xmpp-server" || srv.Transport != "tcp" || srv.Name != "batch" || srv.Port != 5269 {
			t.Fatalf("GetRRset SRV: %#v", got)
		}
		if a, _ := p.GetRRset(ctx, z, "edge1.batch", "A"); len(a) != 1 || a[0].(libdns.Address).IP != netip.MustParseAddr("192.0.2.10") {
			t.Fatalf("A: %v", a)
		}
	})
	t.Run("SetRecords replaces the apex NS set", func(t *testing.T) {
		p, z := tg.p, tg.zone
		ns := func(target string) libdns.Record { return libdns.NS{Name: "@", TTL: 300 * time.Second, Target: target} }
		mustSet(t, p, z, addr("ns2", "127.0.0.2", 300)) // an in-zone NS target needs an address (BIND)
		mustSet(t, p, z, ns("ns1.example.test."), ns("ns2.example.test."))
		wantServer(t, tg, "@", dns.TypeNS, "example.test.\t300\tIN\tNS\tns1.example.test.", "example.test.\t300\tIN\tNS\tns2.example.test.")
		mustSet(t, p, z, ns("ns1.example.test."))
		wantServer(t, tg, "@", dns.TypeNS, "example.test.\t300\tIN\tNS\tns1.example.test.")
	})
	t.Run("TXT text round-trips unescaped, longer than 255 octets", func(t *testing.T) {
		p, z := tg.p, tg.zone
		text := `quotes " backslashes \000 semicolon; del: ` + "\x7f " + strings.Repeat("x", 300)
		mustSet(t, p, z, txt("txt", text, 60))
		got, err := p.GetRRset(ctx, z, "txt", "TXT")
		if err != nil || len(got) != 1 || got[0].(libdns.TXT).Text != text {
			t.Fatalf("TXT: %v %#v", err, got)
		}
	})
	t.Run("AppendRecords creates, keeps existing records and their TTL", func(t *testing.T) {
		p, z := tg.p, tg.zone
		got, err := p.AppendRecords(ctx, z, []libdns.Record{addr("app", "192.0.2.1", 300)})
		if err != nil {
			t.Fatal(err)
		}
		wantRecords(t, got, "app 5m0s A 192.0.2.1")
		got, err = p.AppendRecords(ctx, z, []libdns.Record{addr("app", "192.0.2.1", 60), addr("app", "192.0.2.2", 60)})
		if err != nil {
			t.Fatal(err)
		}
		wantRecords(t, got, "app 5m0s A 192.0.2.2") // the duplicate is not created; the new one joins at 300 s
		wantServer(t, tg, "app", dns.TypeA, "app.example.test.\t300\tIN\tA\t192.0.2.1", "app.example.test.\t300\tIN\tA\t192.0.2.2")
		if got, err := p.AppendRecords(ctx, z, []libdns.Record{addr("app", "192.0.2.2", 300)}); err != nil || len(got) != 0 {
			t.Fatalf("appending only duplicates: %v %v", got, err)
		}
	})
	t.Run("DeleteRecords matches exactly and returns what it deleted", func(t *testing.T) {
		p, z := tg.p, tg.zone
		mustSet(t, p, z, addr("del", "192.0.2.1", 300), addr("del", "192.0.2.2", 300), txt("del", "keep?", 120), aaaa("del", "2001:db8::1"))
		tests := []struct {
			in   libdns.Record
			want []string
		}{
			{addr("del", "192.0.2.9", 0), nil},                                                 // no such data
			{addr("del", "192.0.2.1", 60), nil},                                                // TTL differs
			{addr("nothere", "192.0.2.1", 0), nil},                                             // no such name
			{addr("del", "192.0.2.1", 300), []string{"del 5m0s A 192.0.2.1"}},                  // exact
			{libdns.RR{Name: "del", Type: "TXT"}, []string{"del 2m0s TXT keep?"}},              // any data, any TTL
			{libdns.RR{Name: "del", TTL: 300 * time.Second}, []string{"del 5m0s A 192.0.2.2"}}, // any type, TTL 300
			{libdns.RR{Name: "del"}, []string{"del 1h0m0s AAAA 2001:db8::1"}},                  // everything left
		}
		for i, tc := range tests {
			got, err := p.DeleteRecords(ctx, z, []libdns.Record{tc.in})
			if err != nil {
				t.Fatalf("%d: %v", i, err)
			}
			wantRecords(t, got, tc.want...)
		}
		wantServer(t, tg, "del", dns.TypeANY)
	})
	t.Run("DeleteRecords on any type at the apex keeps SOA and NS", func(t *testing.T) {
		p, z := tg.p, tg.zone
		mustSet(t, p, z, txt("@", "apex text", 60))
		got, err := p.DeleteRecords(ctx, z, []libdns.Record{libdns.RR{Name: "@"}})
		if err != nil {
			t.Fatal(err)
		}
		wantRecords(t, got, "@ 1m0s TXT apex text")
		if ns, _ := p.GetRRset(ctx, z, "@", "NS"); len(ns) == 0 {
			t.Fatal("apex NS deleted")
		}
	})
	t.Run("SetRRsetIf writes only over the expected value", func(t *testing.T) {
		p, z := tg.p, tg.zone
		old := []libdns.Record{addr("cond", "192.0.2.1", 300)}
		if err := p.SetRRsetIf(ctx, z, "cond", "A", nil, old); err != nil {
			t.Fatalf("create when absent: %v", err)
		}
		err := p.SetRRsetIf(ctx, z, "cond", "A", nil, []libdns.Record{addr("cond", "192.0.2.7", 300)})
		wantConflict(t, err, rfc2136.ErrYXRRSet)
		err = p.SetRRsetIf(ctx, z, "cond", "A", []libdns.Record{addr("cond", "192.0.2.9", 300)}, []libdns.Record{addr("cond", "192.0.2.7", 300)})
		wantConflict(t, err, rfc2136.ErrNXRRSet)
		wantServer(t, tg, "cond", dns.TypeA, "cond.example.test.\t300\tIN\tA\t192.0.2.1")
		if err := p.SetRRsetIf(ctx, z, "cond", "A", []libdns.Record{addr("cond", "192.0.2.1", 999)}, []libdns.Record{addr("cond", "192.0.2.2", 60)}); err != nil {
			t.Fatalf("repoint (expected TTL ignored): %v", err)
		}
		wantServer(t, tg, "cond", dns.TypeA, "cond.example.test.\t60\tIN\tA\t192.0.2.2")
		if err := p.SetRRsetIf(ctx, z, "cond", "A", []libdns.Record{addr("cond", "192.0.2.2", 60)}, nil); err != nil {
			t.Fatalf("conditional delete: %v", err)
		}
		wantServer(t, tg, "cond", dns.TypeA)
	})
	t.Run("SetRecordsIf is one atomic conditional batch", func(t *testing.T) {
		p, z := tg.p, tg.zone
		mustSet(t, p, z, addr("b1", "192.0.2.1", 60))
		bad := p.SetRecordsIf(ctx, z,
			[]libdns.Record{addr("b1", "192.0.2.1", 60), addr("b2", "192.0.2.5", 60)}, // b2 does not exist
			[]libdns.Record{addr("b1", "192.0.2.2", 60), addr("b2", "192.0.2.6", 60)})
		wantConflict(t, bad, rfc2136.ErrNXRRSet)
		wantServer(t, tg, "b1", dns.TypeA, "b1.example.test.\t60\tIN\tA\t192.0.2.1")
		if err := p.SetRecordsIf(ctx, z, []libdns.Record{addr("b1", "192.0.2.1", 60)},
			[]libdns.Record{addr("b1", "192.0.2.2", 60), addr("b2", "192.0.2.6", 60)}); err != nil {
			t.Fatal(err)
		}
		wantServer(t, tg, "b2", dns.TypeA, "b2.example.test.\t60\tIN\tA\t192.0.2.6")
	})
	t.Run("concurrent conditional writes: exactly one wins", func(t *testing.T) {
		p, z := tg.p, tg.zone
		mustSet(t, p, z, addr("race", "192.0.2.1", 60))
		const n = 6
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				errs[i] = p.SetRRsetIf(ctx, z, "race", "A", []libdns.Record{addr("race", "192.0.2.1", 60)},
					[]libdns.Record{addr("race", fmt.Sprintf("198.51.100.%d", i), 60)})
			})
		}
		wg.Wait()
		wins := 0
		for _, err := range errs {
			switch {
			case err == nil:
				wins++
			case !errors.Is(err, rfc2136.ErrConflict):
				t.Fatalf("unexpected error: %v", err)
			}
		}
		if got, _ := p.GetRRset(ctx, z, "race", "A"); wins != 1 || len(got) != 1 {
			t.Fatalf("%d winners, RRset %v", wins, got)
		}
	})
	t.Run("concurrent appends all land", func(t *testing.T) {
		p, z := tg.p, tg.zone
		const n = 4
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				if _, err := p.AppendRecords(ctx, z, []libdns.Record{addr("many", fmt.Sprintf("192.0.2.%d", i+1), 60)}); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		if got, _ := p.GetRRset(ctx, z, "many", "A"); len(got) != n {
			t.Fatalf("%d of %d appends visible", len(got), n)
		}
	})
	t.Run("GetRecords lists the zone by AXFR", func(t *testing.T) {
		p, z := tg.p, tg.zone
		mustSet(t, p, z, addr("listed", "192.0.2.77", 60))
		all, err := p.GetRecords(ctx, z)
		if err != nil {
			t.Fatal(err)
		}
		soas, found := 0, false
		for _, r := range all {
			rr := r.RR()
			if rr.Type == "SOA" {
				soas++
			}
			if rr.Name == "listed" && rr.Data == "192.0.2.77" {
				found = true
			}
		}
		if soas != 1 || !found {
			t.Fatalf("GetRecords: %d SOA, listed found %v", soas, found)
		}
	})
	t.Run("GetRRset of an absent RRset is empty", func(t *testing.T) {
		for _, name := range []string{"nope", "ns1"} { // NXDOMAIN, NODATA
			got, err := tg.p.GetRRset(ctx, tg.zone, name, "SRV")
			if err != nil || len(got) != 0 {
				t.Fatalf("%s: %v %v", name, got, err)
			}
		}
	})
	t.Run("wrong secret is BADSIG, unknown key BADKEY, nothing written", func(t *testing.T) {
		wrong := *tg.p
		wrong.Secret = "d3JvbmctYnV0LXZhbGlkLWJhc2U2NA=="
		_, err := wrong.SetRecords(ctx, tg.zone, []libdns.Record{addr("sig", "192.0.2.1", 60)})
		if !errors.Is(err, rfc2136.ErrBadSig) || !errors.Is(err, rfc2136.ErrNotAuth) {
			t.Fatalf("wrong secret: %v", err)
		}
		unknown := *tg.p
		unknown.KeyName = "nobody."
		_, err = unknown.SetRecords(ctx, tg.zone, []libdns.Record{addr("sig", "192.0.2.1", 60)})
		if !errors.Is(err, rfc2136.ErrBadKey) {
			t.Fatalf("unknown key: %v", err)
		}
		var rc *rfc2136.RcodeError
		if !errors.As(err, &rc) || rc.Rcode != dns.RcodeNotAuth || rc.TSIGError != dns.RcodeBadKey {
			t.Fatalf("unknown key error: %#v", rc)
		}
		wantServer(t, tg, "sig", dns.TypeA)
	})
	t.Run("unsigned update is REFUSED", func(t *testing.T) {
		m := new(dns.Msg)
		m.SetUpdate(tg.zone)
		a, _ := dns.NewRR("unsigned.example.test. 60 IN A 192.0.2.1")
		m.Insert([]dns.RR{a})
		r, _, err := (&dns.Client{Net: "tcp"}).Exchange(m, tg.addr)
		if err != nil || r.Rcode != dns.RcodeRefused {
			t.Fatalf("unsigned: %v %v", err, r)
		}
	})
	t.Run("a zone the server does not serve is NOTAUTH", func(t *testing.T) {
		_, err := tg.p.SetRecords(ctx, "other.test.", []libdns.Record{addr("x", "192.0.2.1", 60)})
		var rc *rfc2136.RcodeError
		if !errors.Is(err, rfc2136.ErrNotAuth) || !errors.As(err, &rc) || rc.TSIGError != 0 {
			t.Fatalf("foreign zone: %v", err)
		}
	})
}

func mustSet(t *testing.T, p *rfc2136.Provider, zone string, recs ...libdns.Record) {
	t.Helper()
	if _, err := p.SetRecords(context.Background(), zone, recs); err != nil {
		t.Fatal(err)
	}
}

func addr(name, ip string, ttl int) libdns.Record {
	return libdns.Address{Name: name, TTL: time.Duration(ttl) * time.Second, IP: netip.MustParseAddr(ip)}
}

func aaaa(name, ip string) libdns.Record { return addr(name, ip, 3600) }

func txt(name, text string, ttl int) libdns.Record {
	return libdns.TXT{Name: name, TTL: time.Duration(ttl) * time.Second, Text: text}
}

// wantRecords compares records as "name ttl type data", order ignored.
func wantRecords(t *testing.T, got []libdns.Record, want ...string) {
	t.Helper()
	var g []string
	for _, r := range got {
		rr := r.RR()
		g = append(g, fmt.Sprintf("%s %s %s %s", rr.Name, rr.TTL, rr.Type, rr.Data))
	}
	sort.Strings(g)
	want = slices.Clone(want)
	sort.Strings(want)
	if !slices.Equal(g, want) {
		t.Fatalf("records:\n  %s\nwant:\n  %s", strings.Join(g, "\n  "), strings.Join(want, "\n  "))
	}
}

// wantServer asks the server directly (not through the provider).
func wantServer(t *testing.T, tg target, name string, qtype uint16, want ...string) {
	t.Helper()
	m := new(dns.Msg)
	m.SetQuestion(libdns.AbsoluteName(name, tg.zone), qtype)
	r, _, err := (&dns.Client{Net: "tcp", Timeout: 2 * time.Second}).Exchange(m, tg.addr)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, rr := range r.Answer {
		got = append(got, rr.String())
	}
	sort.Strings(got)
	want = slices.Clone(want)
	sort.Strings(want)
	if !slices.Equal(got, want) {
		t.Fatalf("server holds for %s %s:\n  %s\nwant:\n  %s", name, dns.TypeToString[qtype], strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

func wantConflict(t *testing.T, err, rcode error) {
	t.Helper()
	var c interface{ Conflict() bool }
	if !errors.Is(err, rfc2136.ErrConflict) || !errors.Is(err, rcode) || !errors.As(err, &c) || !c.Conflict() {
		t.Fatalf("error %v, want a conflict matching %v", err, rcode)
	}
}
