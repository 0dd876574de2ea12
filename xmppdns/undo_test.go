package xmppdns

import (
	"context"
	"errors"
	"github.com/xmppfed/edgefailover/xmppdns/memdns"
	"net/netip"
	"testing"
	"time"

	"github.com/libdns/libdns"
)

func TestUndo(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	p := seeded()
	z := newTestZone(t, memdns.Conditional{Provider: p})
	original, _ := p.GetRecords(ctx, testZone)
	pools, _ := Prioritized("edgepool2.contoso.com.", "edgepool1.contoso.com.")
	ch, err := z.Plan(ctx,
		SRVSet{Domain: "contoso.com", Records: pools},
		SRVSet{Domain: "fabrikam.contoso.com", Records: pools},
		AddrSet{Host: "xmpp.contoso.com", TTL: time.Minute, IPs: []netip.Addr{netip.MustParseAddr("192.0.2.2")}})
	if err != nil {
		t.Fatal(err)
	}
	// The third of four conditional writes (A) finds someone else's value:
	// the two SRV sets are written, A and AAAA are not.
	writes := 0
	p.SetHooks(memdns.Hooks{BeforeWrite: func(put func(...libdns.Record)) {
		if writes++; writes == 3 {
			put(libdns.Address{Name: "xmpp", TTL: time.Minute, IP: netip.MustParseAddr("198.51.100.7")})
		}
	}})
	if err := z.Apply(ctx, ch); !errors.Is(err, ErrConflict) {
		t.Fatalf("Apply = %v, want a conflict", err)
	}
	p.SetHooks(memdns.Hooks{})

	undo, err := z.Undo(ctx, ch)
	var ce *ConflictError
	if !errors.As(err, &ce) || ce.Found.Type != "A" || ce.Found.Data[0] != "198.51.100.7" {
		t.Fatalf("Undo error = %v, want the A conflict reported", err)
	}
	if len(undo.Corrections) != 2 {
		t.Fatalf("undo:\n%s", undo)
	}
	// Both SRV sets are back, someone else's A record is kept.
	got, _ := z.GetSRV(ctx, "contoso.com")
	if len(got.Records) != 1 || got.Records[0].Target != "edgepool1.contoso.com." {
		t.Errorf("SRV after undo: %+v", got)
	}
	if got, _ := z.GetSRV(ctx, "fabrikam.contoso.com"); len(got.Records) != 0 {
		t.Errorf("created SRV set not deleted: %+v", got)
	}
	addrs, _ := z.GetAddrs(ctx, "xmpp.contoso.com")
	if len(addrs.IPs) != 2 || addrs.IPs[0] != netip.MustParseAddr("198.51.100.7") {
		t.Errorf("someone else's A record was undone: %v", addrs.IPs)
	}

	// Again: only the conflict remains, nothing is written.
	n := p.Calls("SetRRsetIf")
	again, err := z.Undo(ctx, ch)
	if !errors.Is(err, ErrConflict) || !again.Empty() || p.Calls("SetRRsetIf") != n {
		t.Errorf("second undo: %v, %v", again, err)
	}

	// Once the other writer's record is put back, the zone is the original.
	p.Put(testZone, libdns.Address{Name: "xmpp", TTL: 600 * time.Second, IP: netip.MustParseAddr("192.0.2.1")})
	if after, _ := p.GetRecords(ctx, testZone); len(after) != len(original) {
		t.Errorf("zone has %d records, had %d", len(after), len(original))
	}
}

func TestUndoAfterSuccess(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	p := seeded()
	z := newTestZone(t, p)
	ch, err := z.SetAddrs(ctx, "xmpp.contoso.com", netip.MustParseAddr("192.0.2.2"))
	if err != nil {
		t.Fatal(err)
	}
	undo, err := z.Undo(ctx, ch)
	if err != nil || len(undo.Corrections) != 2 {
		t.Fatalf("Undo = %v, %v", undo, err)
	}
	got, _ := z.GetAddrs(ctx, "xmpp.contoso.com")
	if len(got.IPs) != 2 || got.TTL != 600*time.Second {
		t.Errorf("after undo: %+v", got)
	}
	if _, err := z.Undo(ctx, nil); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("Undo(nil) = %v", err)
	}
}
