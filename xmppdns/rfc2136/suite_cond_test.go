package rfc2136_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/libdns/libdns"
	"github.com/miekg/dns"
	"github.com/xmppfed/edgefailover/xmppdns/rfc2136"
)

// runSuiteConditional checks conditional writes and concurrency.
func runSuiteConditional(t *testing.T, tg target) {
	ctx := context.Background()
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
}
