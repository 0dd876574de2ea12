package memdns_test

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/libdns/libdns"
	"github.com/xmppfed/edgefailover/xmppdns/memdns"
)

const zone = "example.test."

func addr(name, ip string) libdns.Address {
	return libdns.Address{Name: name, TTL: time.Minute, IP: netip.MustParseAddr(ip)}
}

func data(t *testing.T, p *memdns.Provider) []string {
	t.Helper()
	recs, err := p.GetRecords(context.Background(), zone)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range recs {
		rr := r.RR()
		out = append(out, fmt.Sprintf("%s %s %s %s", rr.Name, rr.Type, rr.TTL, rr.Data))
	}
	slices.Sort(out)
	return out
}

func TestRefusesWhatLibdnsCallsInvalid(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	p := memdns.New(zone)
	for name, recs := range map[string][]libdns.Record{
		"empty name":     {addr("", "192.0.2.1")},
		"absolute name":  {addr("a.example.test.", "192.0.2.1")},
		"bad data":       {libdns.RR{Name: "a", Type: "A", Data: "not-an-ip"}},
		"one bad of two": {addr("a", "192.0.2.1"), libdns.RR{Name: "b", Type: "SRV", Data: "1 2"}},
	} {
		if _, err := p.SetRecords(ctx, zone, recs); err == nil {
			t.Errorf("%s: SetRecords accepted %v", name, recs)
		}
	}
	if _, err := p.SetRecords(ctx, "other.test.", []libdns.Record{addr("a", "192.0.2.1")}); err == nil {
		t.Error("SetRecords wrote to a zone that does not exist")
	}
	if got := data(t, p); len(got) != 0 {
		t.Errorf("a refused call changed the zone: %v", got)
	}
	if n := p.Calls("SetRecords"); n != 5 {
		t.Errorf("Calls(SetRecords) = %d, want 5 (failed calls count)", n)
	}
}

func TestSetDeleteAppendSemantics(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	p := memdns.New(zone)
	p.Put(zone, addr("a", "192.0.2.1"), addr("a", "192.0.2.2"), addr("b", "192.0.2.3"))

	// SetRecords replaces the whole (a, A) RRset and leaves b alone; names are
	// stored in lower case and TTLs truncated to seconds.
	in := addr("A", "192.0.2.9")
	in.TTL = 90*time.Second + 300*time.Millisecond
	if _, err := p.SetRecords(ctx, zone, []libdns.Record{in}); err != nil {
		t.Fatal(err)
	}
	want := []string{"a A 1m30s 192.0.2.9", "b A 1m0s 192.0.2.3"}
	if got := data(t, p); !slices.Equal(got, want) {
		t.Errorf("after SetRecords %v, want %v", got, want)
	}

	// DeleteRecords: empty Type, TTL and Data match anything; only what was
	// deleted is returned.
	del, err := p.DeleteRecords(ctx, zone, []libdns.Record{libdns.RR{Name: "b"}, libdns.RR{Name: "c"}})
	if err != nil || len(del) != 1 || del[0].RR().Data != "192.0.2.3" {
		t.Errorf("DeleteRecords = %v, %v", del, err)
	}
	if _, ok := del[0].(libdns.Address); !ok {
		t.Errorf("deleted record returned as %T, want libdns.Address", del[0])
	}

	// AppendRecords adds only data not present yet.
	a := memdns.Appender{Provider: p}
	added, err := a.AppendRecords(ctx, zone, []libdns.Record{addr("a", "192.0.2.9"), addr("a", "192.0.2.10")})
	if err != nil || len(added) != 1 || added[0].RR().Data != "192.0.2.10" {
		t.Errorf("AppendRecords = %v, %v", added, err)
	}
}

func TestConditional(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	p := memdns.New(zone)
	p.Put(zone, addr("a", "192.0.2.1"))
	for _, opaque := range []bool{false, true} {
		c := memdns.Conditional{Provider: p, Opaque: opaque}
		err := c.SetRRsetIf(ctx, zone, "a", "A", nil, []libdns.Record{addr("a", "192.0.2.5")})
		var ce *memdns.ConflictError
		if opaque != errors.Is(err, memdns.ErrConditionFailed) || opaque == errors.As(err, &ce) {
			t.Errorf("opaque=%v: stale SetRRsetIf = %v", opaque, err)
		}
	}
	c := memdns.Conditional{Provider: p}
	if err := c.SetRRsetIf(ctx, zone, "A", "A", []libdns.Record{addr("a", "192.0.2.1")}, nil); err != nil {
		t.Fatalf("delete if current: %v", err)
	}
	if got, err := c.GetRRset(ctx, zone, "a", "A"); err != nil || len(got) != 0 {
		t.Errorf("GetRRset after the delete = %v, %v", got, err)
	}
}

func TestHooks(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	boom := errors.New("boom")
	p := memdns.New(zone)

	p.SetHooks(memdns.Hooks{Lie: true})
	if _, err := p.SetRecords(ctx, zone, []libdns.Record{addr("a", "192.0.2.1")}); err != nil {
		t.Fatal(err)
	}
	if got := data(t, p); len(got) != 0 {
		t.Errorf("a lying write stored %v", got)
	}

	p.SetHooks(memdns.Hooks{BeforeWrite: func(put func(...libdns.Record)) { put(addr("other", "192.0.2.7")) }})
	if _, err := p.SetRecords(ctx, zone, []libdns.Record{addr("a", "192.0.2.1")}); err != nil {
		t.Fatal(err)
	}
	if got := data(t, p); len(got) != 2 {
		t.Errorf("BeforeWrite's change and the write: %v", got)
	}

	p.SetHooks(memdns.Hooks{FailWrites: boom})
	if _, err := p.DeleteRecords(ctx, zone, []libdns.Record{libdns.RR{Name: "a"}}); !errors.Is(err, boom) {
		t.Errorf("FailWrites: %v", err)
	}
	p.SetHooks(memdns.Hooks{FailOn: func(method, rtype string) error {
		if method == "SetRRsetIf" && rtype == "AAAA" {
			return boom
		}
		return nil
	}})
	c := memdns.Conditional{Provider: p}
	if err := c.SetRRsetIf(ctx, zone, "a", "AAAA", nil, []libdns.Record{addr("a", "2001:db8::1")}); !errors.Is(err, boom) {
		t.Errorf("FailOn: %v", err)
	}
	if got := data(t, p); len(got) != 2 {
		t.Errorf("failed writes changed the zone: %v", got)
	}
	want := []string{"SetRecords", "SetRecords", "DeleteRecords", "SetRRsetIf AAAA"}
	if got := p.Writes(); !slices.Equal(got, want) {
		t.Errorf("Writes = %v, want %v", got, want)
	}
}

func TestContextAndConcurrency(t *testing.T) {
	t.Parallel()
	p := memdns.New(zone)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := p.SetRecords(ctx, zone, []libdns.Record{addr("a", "192.0.2.1")}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled SetRecords = %v", err)
	}
	a := memdns.Appender{Provider: p}
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Go(func() {
			ip := netip.AddrFrom4([4]byte{192, 0, 2, byte(i + 1)})
			if _, err := a.AppendRecords(context.Background(), zone, []libdns.Record{libdns.Address{Name: "a", TTL: time.Minute, IP: ip}}); err != nil {
				t.Error(err)
			}
			if _, err := a.GetRecords(context.Background(), zone); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if got := data(t, p); len(got) != 20 {
		t.Errorf("%d records after 20 concurrent appends", len(got))
	}
}

func TestListZones(t *testing.T) {
	t.Parallel()
	var p memdns.Provider // the zero value holds no zone
	p.AddZone("b.test.")
	p.AddZone("a.test.")
	zs, err := p.ListZones(context.Background())
	if err != nil || len(zs) != 2 || zs[0].Name != "a.test." {
		t.Errorf("ListZones = %v, %v", zs, err)
	}
}

// TestSetRRsetIfOutsideRRset: a record outside the named RRset is rejected
// and changes nothing, as the rfc2136 provider rejects it.
func TestSetRRsetIfOutsideRRset(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	p := memdns.New(zone)
	p.Put(zone, addr("a", "192.0.2.1"))
	c := memdns.Conditional{Provider: p}
	cur := []libdns.Record{addr("a", "192.0.2.1")}
	if err := c.SetRRsetIf(ctx, zone, "a", "A", cur, []libdns.Record{addr("b", "192.0.2.9")}); err == nil {
		t.Error("SetRRsetIf wrote a record of another RRset")
	}
	if got, _ := c.GetRRset(ctx, zone, "b", "A"); len(got) != 0 {
		t.Errorf("RRset b A = %v after a rejected write", got)
	}
	if got, _ := c.GetRRset(ctx, zone, "a", "A"); len(got) != 1 {
		t.Errorf("RRset a A = %v after a rejected write", got)
	}
}
