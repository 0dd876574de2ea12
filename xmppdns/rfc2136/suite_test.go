package rfc2136_test

import (
	"context"
	"errors"
	"net/netip"
	"strings"
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
			{addr("del", "192.0.2.9", 0), nil},                                            // no such data
			{addr("del", "192.0.2.1", 60), nil},                                           // TTL differs
			{addr("nothere", "192.0.2.1", 0), nil},                                        // no such name
			{addr("del", "192.0.2.1", 300), []string{"del 5m0s A 192.0.2.1"}},             // exact
			{libdns.RR{Name: "del", Type: "TXT"}, []string{"del 2m0s TXT keep?"}},         // any data, any TTL
			{libdns.RR{Name: "del", Data: "192.0.2.2", TTL: 60 * time.Second}, nil},       // any type, TTL differs
			{libdns.RR{Name: "del", Data: "192.0.2.2"}, []string{"del 5m0s A 192.0.2.2"}}, // any type, this data
			{libdns.RR{Name: "del"}, []string{"del 1h0m0s AAAA 2001:db8::1"}},             // everything left
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
	t.Run("a delegation's NS set is read from the referral, extended and deleted", func(t *testing.T) {
		p, z := tg.p, tg.zone
		ns := func(target string) libdns.Record {
			return libdns.NS{Name: "deleg", TTL: 300 * time.Second, Target: target}
		}
		mustSet(t, p, z, ns("ns1.example.org."))
		got, err := p.GetRRset(ctx, z, "deleg", "NS")
		if err != nil {
			t.Fatal(err)
		}
		wantRecords(t, got, "deleg 5m0s NS ns1.example.org.")
		if got, err := p.AppendRecords(ctx, z, []libdns.Record{ns("ns2.example.org.")}); err != nil || len(got) != 1 {
			t.Fatalf("append to the delegation: %v %v", got, err)
		}
		if _, err := p.GetRRset(ctx, z, "www.deleg", "A"); !errors.Is(err, rfc2136.ErrNotAuthoritative) {
			t.Fatalf("a name below the cut: %v, want ErrNotAuthoritative", err)
		}
		got, err = p.DeleteRecords(ctx, z, []libdns.Record{ns("ns1.example.org.")})
		if err != nil {
			t.Fatal(err)
		}
		wantRecords(t, got, "deleg 5m0s NS ns1.example.org.")
		got, err = p.DeleteRecords(ctx, z, []libdns.Record{libdns.RR{Name: "deleg"}}) // any type: read by ANY
		if err != nil {
			t.Fatal(err)
		}
		wantRecords(t, got, "deleg 5m0s NS ns2.example.org.")
		if got, err := p.GetRRset(ctx, z, "deleg", "NS"); err != nil || len(got) != 0 {
			t.Fatalf("after deleting the delegation: %v %v", got, err)
		}
	})
	runSuiteConditional(t, tg)
	runSuiteErrors(t, tg)
}
