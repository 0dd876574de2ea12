package xmppdns

import (
	"context"
	"errors"
	"github.com/xmppfed/edgefailover/xmppdns/memdns"
	"maps"
	"net/netip"
	"slices"
	"testing"
)

// repoint plans the failover of the seeded zone: the SRV set and the A set
// change, the AAAA set goes away (the new pool has no IPv6). The AddrSet
// comes first, so the deletion is not last in the change.
func repoint(t *testing.T, z *Zone) *Change {
	t.Helper()
	ch, err := z.Plan(context.Background(),
		AddrSet{Host: "xmpp.contoso.com", IPs: []netip.Addr{netip.MustParseAddr("192.0.2.2")}},
		SRVSet{Domain: "contoso.com", Records: []SRV{srv("edgepool2.contoso.com.", 10)}})
	if err != nil {
		t.Fatal(err)
	}
	return ch
}

// holds returns "name type: holding" for each state.
func holds(t *testing.T, err error) map[string]Holding {
	t.Helper()
	var pe *PartialError
	if !errors.As(err, &pe) || !errors.Is(err, ErrPartial) {
		t.Fatalf("error %v, want a *PartialError", err)
	}
	out := map[string]Holding{}
	for _, s := range pe.States {
		out[s.Correction.New.Type] = s.Holds
	}
	return out
}

func TestApplyWithoutOptionalInterfacesWritesNewBeforeRemovingOld(t *testing.T) {
	t.Parallel()
	boom := errors.New("provider failed")
	tests := []struct {
		name      string
		provider  func(*memdns.Provider) Provider
		failOn    string // the method that fails
		wantOrder []string
		wantHolds map[string]Holding
	}{
		{"libdns getter, setter, deleter: delete fails", func(p *memdns.Provider) Provider { return p }, "DeleteRecords",
			[]string{"SetRecords", "DeleteRecords"}, map[string]Holding{"SRV": HoldsNew, "A": HoldsNew, "AAAA": HoldsOld}},
		{"with an appender: set fails", func(p *memdns.Provider) Provider { return memdns.Appender{Provider: p} }, "SetRecords",
			[]string{"AppendRecords", "SetRecords"}, map[string]Holding{"SRV": HoldsBoth, "A": HoldsBoth, "AAAA": HoldsOld}},
		{"with an appender: delete fails", func(p *memdns.Provider) Provider { return memdns.Appender{Provider: p} }, "DeleteRecords",
			[]string{"AppendRecords", "SetRecords", "DeleteRecords"}, map[string]Holding{"SRV": HoldsNew, "A": HoldsNew, "AAAA": HoldsOld}},
		{"conditional per RRset: the deletion fails", func(p *memdns.Provider) Provider { return memdns.Conditional{Provider: p} }, "SetRRsetIf AAAA",
			[]string{"SetRRsetIf A", "SetRRsetIf SRV", "SetRRsetIf AAAA"}, map[string]Holding{"SRV": HoldsNew, "A": HoldsNew, "AAAA": HoldsOld}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := seeded()
			z := newTestZone(t, tc.provider(p))
			ch := repoint(t, z)
			p.SetHooks(memdns.Hooks{FailOn: func(method, rtype string) error {
				if m := method; m == tc.failOn || m+" "+rtype == tc.failOn {
					return boom
				}
				return nil
			}})
			err := z.Apply(context.Background(), ch)
			if !errors.Is(err, boom) {
				t.Fatalf("Apply = %v, want the provider's error", err)
			}
			if got := holds(t, err); !maps.Equal(got, tc.wantHolds) {
				t.Errorf("left %v, want %v (%v)", got, tc.wantHolds, err)
			}
			if !slices.Equal(p.Writes(), tc.wantOrder) {
				t.Errorf("calls %v, want %v", p.Writes(), tc.wantOrder)
			}
			// Finishing the job: the same change, planned again, applies.
			p.SetHooks(memdns.Hooks{})
			again, err := z.Plan(context.Background(), ch.Desired[0], ch.Desired[1])
			if err != nil {
				t.Fatal(err)
			}
			if err := z.Apply(context.Background(), again); err != nil {
				t.Fatalf("re-applying after the partial write: %v", err)
			}
		})
	}
}

func TestApplyFailureThatChangedNothingIsNotPartial(t *testing.T) {
	t.Parallel()
	boom := errors.New("provider failed")
	p := seeded()
	z := newTestZone(t, memdns.Appender{Provider: p})
	ch := repoint(t, z)
	p.SetHooks(memdns.Hooks{FailOn: func(method, _ string) error { return boom }})
	err := z.Apply(context.Background(), ch)
	if !errors.Is(err, boom) || errors.Is(err, ErrPartial) {
		t.Fatalf("Apply = %v, want the provider's error and no PartialError", err)
	}
}
