package xmppdns

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/libdns/libdns"
)

const testZone = "contoso.com."

func newTestZone(t *testing.T, p Provider) *Zone {
	t.Helper()
	z, err := NewZone(testZone, p)
	if err != nil {
		t.Fatal(err)
	}
	return z
}

func srv(target string, prio uint16) SRV {
	return SRV{Target: target, Port: DefaultPort, Priority: prio}
}

func seeded() *memProvider {
	p := newMemProvider(testZone)
	p.put(testZone,
		libdns.SRV{Service: "xmpp-server", Transport: "tcp", Name: "@", TTL: time.Hour, Priority: 10, Port: 5269, Target: "edgepool1.contoso.com."},
		libdns.Address{Name: "xmpp", TTL: 600 * time.Second, IP: netip.MustParseAddr("192.0.2.1")},
		libdns.Address{Name: "xmpp", TTL: 600 * time.Second, IP: netip.MustParseAddr("2001:db8::1")},
		libdns.RR{Name: "www", TTL: time.Hour, Type: "TXT", Data: "untouched"},
	)
	return p
}

func TestNewZone(t *testing.T) {
	t.Parallel()
	p := newMemProvider(testZone)
	for _, name := range []string{"contoso.com", "", ".", "contoso..com.", "_x.com."} {
		if _, err := NewZone(name, p); !errors.Is(err, ErrInvalidInput) {
			t.Errorf("NewZone(%q) error = %v, want ErrInvalidInput", name, err)
		}
	}
	if _, err := NewZone(testZone, nil); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("nil provider: %v", err)
	}
	if _, err := NewZone(testZone, p, WithDefaultTTL(500*time.Millisecond)); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("sub-second default TTL: %v", err)
	}
	z, err := NewZone("Contoso.COM.", p)
	if err != nil || z.Name() != testZone {
		t.Fatalf("NewZone = %v, %v", z, err)
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
	before := p.count("SetRecords")
	ch, err = z.SetSRV(ctx, "contoso.com", srv("edgepool2.contoso.com.", 10))
	if err != nil || !ch.Empty() || p.count("SetRecords") != before {
		t.Errorf("no-op SetSRV: %v, %v, %d writes", ch, err, p.count("SetRecords")-before)
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
	if p.count("SetRecords") != 1 || p.count("DeleteRecords") != 1 {
		t.Errorf("writes: %d SetRecords, %d DeleteRecords", p.count("SetRecords"), p.count("DeleteRecords"))
	}
	// Untouched records stay.
	recs, _ := p.GetRecords(ctx, testZone)
	if len(recs) != 3 {
		t.Errorf("zone now holds %d records: %v", len(recs), recs)
	}
}

func TestApplyBatchesOneSetRecordsPerZone(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	p := seeded()
	z := newTestZone(t, p)
	var desired []Desired
	for i := range 50 {
		desired = append(desired, SRVSet{Domain: fmt.Sprintf("d%d.contoso.com", i), Records: []SRV{srv("edgepool2.contoso.com.", 10)}})
	}
	desired = append(desired, AddrSet{Host: "xmpp.contoso.com", IPs: []netip.Addr{netip.MustParseAddr("192.0.2.2"), netip.MustParseAddr("2001:db8::2")}})
	ch, err := z.Plan(ctx, desired...)
	if err != nil {
		t.Fatal(err)
	}
	if len(ch.Corrections) != 52 {
		t.Fatalf("%d corrections", len(ch.Corrections))
	}
	if err := z.Apply(ctx, ch); err != nil {
		t.Fatal(err)
	}
	if n := p.count("SetRecords"); n != 1 {
		t.Errorf("%d SetRecords calls, want 1", n)
	}
	if n := p.count("DeleteRecords"); n != 0 {
		t.Errorf("%d DeleteRecords calls, want 0", n)
	}
}

func TestApplyConflict(t *testing.T) {
	t.Parallel()
	someoneElse := func(p *memProvider) {
		p.putLocked(testZone, libdns.Address{Name: "xmpp", TTL: 600 * time.Second, IP: netip.MustParseAddr("198.51.100.7")})
	}
	for name, wrap := range map[string]func(*memProvider) Provider{
		"read-compare-write": func(p *memProvider) Provider { return p },
		"conditional":        func(p *memProvider) Provider { return condProvider{p} },
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			p := seeded()
			z := newTestZone(t, wrap(p))
			ch, err := z.Plan(ctx, AddrSet{Host: "xmpp.contoso.com", IPs: []netip.Addr{netip.MustParseAddr("192.0.2.2")}})
			if err != nil {
				t.Fatal(err)
			}
			if name == "conditional" {
				p.beforeWrite = someoneElse // between the check and the write
			} else {
				p.put(testZone, libdns.Address{Name: "xmpp", TTL: 600 * time.Second, IP: netip.MustParseAddr("198.51.100.7")})
			}
			err = z.Apply(ctx, ch)
			var ce *ConflictError
			if !errors.Is(err, ErrConflict) || !errors.As(err, &ce) {
				t.Fatalf("Apply error = %v, want *ConflictError", err)
			}
			if ce.Found.Type != "A" || !ce.Found.SameData(RRset{Data: []string{"198.51.100.7"}}) {
				t.Errorf("Found = %+v", ce.Found)
			}
			p.beforeWrite = nil
			got, _ := z.GetAddrs(ctx, "xmpp.contoso.com")
			if len(got.IPs) != 2 || got.IPs[0] != netip.MustParseAddr("198.51.100.7") {
				t.Errorf("someone else's value was overwritten: %v", got.IPs)
			}
		})
	}
}

func TestApplyNotApplied(t *testing.T) {
	t.Parallel()
	for name, wrap := range map[string]func(*memProvider) Provider{
		"plain":       func(p *memProvider) Provider { return p },
		"conditional": func(p *memProvider) Provider { return condProvider{p} },
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			p := seeded()
			p.lie = true
			z := newTestZone(t, wrap(p))
			_, err := z.SetSRV(context.Background(), "contoso.com", srv("edgepool2.contoso.com.", 10))
			var na *NotAppliedError
			if !errors.Is(err, ErrNotApplied) || !errors.As(err, &na) {
				t.Fatalf("error = %v, want *NotAppliedError", err)
			}
			if len(na.Got) != 1 || na.Got[0].Data[0] != "10 0 5269 edgepool1.contoso.com." {
				t.Errorf("Got = %+v", na.Got)
			}
		})
	}
}

func TestApplyHonoursContext(t *testing.T) {
	t.Parallel()
	p := seeded()
	z := newTestZone(t, p)
	ch, err := z.Plan(context.Background(), SRVSet{Domain: "contoso.com", Records: []SRV{srv("edgepool2.contoso.com.", 10)}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := z.Apply(ctx, ch); !errors.Is(err, context.Canceled) {
		t.Errorf("Apply on a cancelled context = %v", err)
	}
	if p.count("SetRecords") != 0 {
		t.Error("wrote on a cancelled context")
	}
}

func TestSnapshotRestore(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	p := seeded()
	z := newTestZone(t, p)
	keys := []Key{
		{Name: "_xmpp-server._tcp.contoso.com", Type: "SRV"},
		{Name: "_xmpp-server._tcp.fabrikam.contoso.com", Type: "SRV"},
		{Name: "XMPP.contoso.com.", Type: "A"},
		{Name: "xmpp.contoso.com", Type: "AAAA"},
	}
	snap, err := z.Snapshot(ctx, keys...)
	if err != nil {
		t.Fatal(err)
	}
	before, _ := p.GetRecords(ctx, testZone)
	pools, _ := Prioritized("edgepool2.contoso.com.", "edgepool1.contoso.com.")
	ch, err := z.Plan(ctx,
		SRVSet{Domain: "contoso.com", Records: pools},
		SRVSet{Domain: "fabrikam.contoso.com", TTL: time.Minute, Records: pools},
		AddrSet{Host: "xmpp.contoso.com", IPs: []netip.Addr{netip.MustParseAddr("192.0.2.2")}})
	if err != nil {
		t.Fatal(err)
	}
	if err := z.Apply(ctx, ch); err != nil {
		t.Fatal(err)
	}
	// The snapshot survives JSON (a journal on disk).
	b, err := json.Marshal(snap)
	if err != nil {
		t.Fatal(err)
	}
	var back Snapshot
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	undo, err := z.Restore(ctx, &back)
	if err != nil {
		t.Fatal(err)
	}
	if len(undo.Corrections) != 4 {
		t.Errorf("undo:\n%s", undo)
	}
	after, _ := p.GetRecords(ctx, testZone)
	rrs := func(recs []libdns.Record) map[libdns.RR]bool {
		m := map[libdns.RR]bool{}
		for _, r := range recs {
			m[r.RR()] = true
		}
		return m
	}
	if d := cmp.Diff(rrs(before), rrs(after)); d != "" {
		t.Errorf("restore did not give the zone back (-before +after):\n%s", d)
	}
	// ch.Before() holds the four RRsets ch touched; the zone is back to
	// them, so restoring it again changes nothing.
	if n := len(ch.Before().Sets); n != 4 {
		t.Errorf("Before() has %d sets", n)
	}
	if again, err := z.Restore(ctx, ch.Before()); err != nil || !again.Empty() {
		t.Errorf("second restore: %v, %v", again, err)
	}
	if _, err := z.Restore(ctx, &Snapshot{Zone: "fabrikam.com."}); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("restore of another zone: %v", err)
	}
}

func TestDeleteNeedsDeleter(t *testing.T) {
	t.Parallel()
	p := seeded()
	type getSetOnly struct {
		libdns.RecordGetter
		libdns.RecordSetter
	}
	z := newTestZone(t, getSetOnly{p, p})
	_, err := z.SetAddrs(context.Background(), "xmpp.contoso.com", netip.MustParseAddr("192.0.2.9"))
	if !errors.Is(err, ErrUnsupported) {
		t.Fatalf("error = %v, want ErrUnsupported", err)
	}
	if p.count("SetRecords") != 0 {
		t.Error("wrote before finding it could not finish")
	}
}

func TestChangeJSONRoundTrip(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	p := seeded()
	z := newTestZone(t, p)
	ch, err := z.Plan(ctx, AddrSet{Host: "xmpp.contoso.com", TTL: time.Minute, IPs: []netip.Addr{netip.MustParseAddr("192.0.2.2")}})
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(ch)
	if err != nil {
		t.Fatal(err)
	}
	var back Change
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(ch, &back); d != "" {
		t.Fatalf("round trip (-want +got):\n%s", d)
	}
	// A tampered change is refused before anything is written.
	bad := back
	bad.Corrections = append([]Correction(nil), back.Corrections...)
	bad.Corrections[0].New.Data = []string{"not-an-ip"}
	if err := z.Apply(ctx, &bad); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("tampered change: %v", err)
	}
	bad.Corrections[0] = back.Corrections[0]
	bad.Corrections[0].Op = OpCreate
	if err := z.Apply(ctx, &bad); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("wrong op: %v", err)
	}
	if p.count("SetRecords")+p.count("DeleteRecords") != 0 {
		t.Fatal("tampered change was written")
	}
	if err := z.Apply(ctx, &back); err != nil {
		t.Fatal(err)
	}
}
