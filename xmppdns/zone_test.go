package xmppdns

import (
	"context"
	"errors"
	"github.com/xmppfed/edgefailover/xmppdns/memdns"
	"net/netip"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/libdns/libdns"
)

const testZone = "contoso.com."

func newTestZone(t *testing.T, p Provider) *Zone {
	t.Helper()
	z, err := NewZone(testZone, p, ZoneOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return z
}

func srv(target string, prio uint16) SRV {
	return SRV{Target: target, Port: DefaultPort, Priority: prio}
}

func seeded() *memdns.Provider {
	p := memdns.New(testZone)
	p.Put(testZone,
		libdns.SRV{Service: "xmpp-server", Transport: "tcp", Name: "@", TTL: time.Hour, Priority: 10, Port: 5269, Target: "edgepool1.contoso.com."},
		libdns.Address{Name: "xmpp", TTL: 600 * time.Second, IP: netip.MustParseAddr("192.0.2.1")},
		libdns.Address{Name: "xmpp", TTL: 600 * time.Second, IP: netip.MustParseAddr("2001:db8::1")},
		libdns.RR{Name: "www", TTL: time.Hour, Type: "TXT", Data: "untouched"},
	)
	return p
}

func TestNewZone(t *testing.T) {
	t.Parallel()
	p := memdns.New(testZone)
	for _, name := range []string{"", ".", "contoso..com.", "_x.com.", "contoso"} {
		if _, err := NewZone(name, p, ZoneOptions{}); !errors.Is(err, ErrInvalidInput) {
			t.Errorf("NewZone(%q) error = %v, want ErrInvalidInput", name, err)
		}
	}
	if _, err := NewZone(testZone, nil, ZoneOptions{}); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("nil provider: %v", err)
	}
	if _, err := NewZone(testZone, p, ZoneOptions{DefaultTTL: 500 * time.Millisecond}); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("sub-second default TTL: %v", err)
	}
	for _, name := range []string{"Contoso.COM.", "contoso.com"} { // with or without the trailing dot
		z, err := NewZone(name, p, ZoneOptions{})
		if err != nil || z.Name() != testZone {
			t.Fatalf("NewZone(%q) = %v, %v", name, z, err)
		}
	}
	var ie *InputError
	if _, err := NewZone(testZone, p, ZoneOptions{DefaultTTL: -time.Second}); !errors.As(err, &ie) || ie.Field != "ZoneOptions.DefaultTTL" {
		t.Errorf("negative default TTL: %v", err)
	}
}

func TestSetSRV(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	p := seeded()
	z := newTestZone(t, p)
	ch, err := z.SetSRV(ctx, "contoso.com", srv("edgepool2.contoso.com.", 10))
	if err != nil {
		t.Fatal(err)
	}
	want := "± MODIFY _xmpp-server._tcp.contoso.com. SRV (10 0 5269 edgepool1.contoso.com. ttl=3600) -> (10 0 5269 edgepool2.contoso.com. ttl=3600)"
	if ch.String() != want {
		t.Errorf("change:\n%s\nwant:\n%s", ch, want)
	}
	got, err := z.GetSRV(ctx, "contoso.com.")
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(SRVSet{Domain: testZone, TTL: time.Hour, Records: []SRV{srv("edgepool2.contoso.com.", 10)}}, got); d != "" {
		t.Errorf("GetSRV (-want +got):\n%s", d)
	}
	// Same again: nothing to do, nothing written.
	before := p.Calls("SetRecords")
	ch, err = z.SetSRV(ctx, "contoso.com", srv("edgepool2.contoso.com.", 10))
	if err != nil || !ch.Empty() || p.Calls("SetRecords") != before {
		t.Errorf("no-op SetSRV: %v, %v, %d writes", ch, err, p.Calls("SetRecords")-before)
	}
	// A new domain in the zone gets the default TTL.
	ch, err = z.SetSRV(ctx, "fabrikam.contoso.com", srv("edgepool2.contoso.com.", 10))
	if err != nil {
		t.Fatal(err)
	}
	if want := "+ CREATE _xmpp-server._tcp.fabrikam.contoso.com. SRV 10 0 5269 edgepool2.contoso.com. ttl=300"; ch.String() != want {
		t.Errorf("create: %s", ch)
	}
	// The record the zone holds is what libdns expects: relative name,
	// service and transport split.
	recs, _ := p.GetRecords(ctx, testZone)
	found := false
	for _, r := range recs {
		if s, ok := r.(libdns.SRV); ok && s.Name == "fabrikam" && s.Service == "xmpp-server" && s.Transport == "tcp" {
			found = true
		}
	}
	if !found {
		t.Errorf("no libdns.SRV for fabrikam in %v", recs)
	}
}

func TestSetAddrsReplacesBothFamilies(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	p := seeded()
	z := newTestZone(t, p)
	ch, err := z.SetAddrs(ctx, "xmpp.contoso.com", netip.MustParseAddr("192.0.2.2"))
	if err != nil {
		t.Fatal(err)
	}
	want := "± MODIFY xmpp.contoso.com. A (192.0.2.1 ttl=600) -> (192.0.2.2 ttl=600)\n" +
		"- DELETE xmpp.contoso.com. AAAA 2001:db8::1 ttl=600"
	if ch.String() != want {
		t.Errorf("change:\n%s\nwant:\n%s", ch, want)
	}
	got, err := z.GetAddrs(ctx, "xmpp.contoso.com")
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]netip.Addr{netip.MustParseAddr("192.0.2.2")}, got.IPs, cmp.Comparer(func(a, b netip.Addr) bool { return a == b })); d != "" {
		t.Error(d)
	}
	if p.Calls("SetRecords") != 1 || p.Calls("DeleteRecords") != 1 {
		t.Errorf("writes: %d SetRecords, %d DeleteRecords", p.Calls("SetRecords"), p.Calls("DeleteRecords"))
	}
	// Untouched records stay.
	recs, _ := p.GetRecords(ctx, testZone)
	if len(recs) != 3 {
		t.Errorf("zone now holds %d records: %v", len(recs), recs)
	}
}

func TestPlanTTL(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	p := memdns.New(testZone)
	p.Put(testZone,
		libdns.Address{Name: "a", TTL: 0, IP: netip.MustParseAddr("192.0.2.1")},
		libdns.Address{Name: "b", TTL: 30 * 24 * time.Hour, IP: netip.MustParseAddr("192.0.2.1")},
		libdns.Address{Name: "c", TTL: 90 * time.Second, IP: netip.MustParseAddr("192.0.2.1")},
	)
	z, err := NewZone(testZone, p, ZoneOptions{DefaultTTL: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	ip := []netip.Addr{netip.MustParseAddr("192.0.2.2")}
	ch, err := z.Plan(ctx,
		AddrSet{Host: "a.contoso.com", IPs: ip},                 // provider reports 0: default
		AddrSet{Host: "b.contoso.com", IPs: ip},                 // out of bounds: default
		AddrSet{Host: "c.contoso.com", IPs: ip},                 // kept
		AddrSet{Host: "d.contoso.com", IPs: ip},                 // new: default
		AddrSet{Host: "e.contoso.com", TTL: time.Hour, IPs: ip}, // given
	)
	if err != nil {
		t.Fatal(err)
	}
	var got []time.Duration
	for _, s := range ch.Desired {
		if s.Type == "A" {
			got = append(got, s.TTL)
		}
	}
	want := []time.Duration{time.Minute, time.Minute, 90 * time.Second, time.Minute, time.Hour}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("TTLs (-want +got):\n%s", d)
	}
	if err := z.Apply(ctx, ch); err != nil {
		t.Fatal(err)
	}
}
