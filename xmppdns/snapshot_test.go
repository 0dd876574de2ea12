package xmppdns

import (
	"context"
	"encoding/json"
	"errors"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/libdns/libdns"
)

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
	if !strings.Contains(string(b), `"new":{"name":"xmpp.contoso.com.","type":"A","ttl":60,"data":["192.0.2.2"]}`) {
		t.Errorf("JSON form: %s", b)
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
	if p.Calls("SetRecords")+p.Calls("DeleteRecords") != 0 {
		t.Fatal("tampered change was written")
	}
	if err := z.Apply(ctx, &back); err != nil {
		t.Fatal(err)
	}
}
