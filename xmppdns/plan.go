package xmppdns

import (
	"context"
	"fmt"
	"net/netip"
)

// Desired is a desired state of some RRsets of a zone: an SRVSet, an
// AddrSet, or a raw RRset as a Snapshot holds them. A raw RRset without Data
// is to be absent: that is how Restore deletes what a change created (an
// SRVSet, by contrast, never leaves a domain without a target).
type Desired interface {
	rrsets(z *Zone) ([]RRset, error)
}

var (
	_ Desired = SRVSet{}
	_ Desired = AddrSet{}
	_ Desired = RRset{}
)

// rrsets validates a raw RRset: name in the zone, a handled type, a TTL in
// bounds and data that parses as the type.
func (s RRset) rrsets(z *Zone) ([]RRset, error) {
	k, err := z.checkKey(s.Key())
	if err != nil {
		return nil, err
	}
	if err := checkTTL("RRset.TTL", s.TTL); err != nil {
		return nil, err
	}
	out := RRset{Name: k.Name, Type: k.Type, TTL: s.TTL, Data: normalizeData(k.Type, s.Data)}
	if !out.Exists() {
		out.TTL = 0
		return []RRset{out}, nil
	}
	switch k.Type {
	case "SRV":
		srvs := make([]SRV, 0, len(out.Data))
		for _, d := range out.Data {
			srv, err := parseSRVData(d)
			if err != nil {
				return nil, inputErr("RRset.Data", d, "not SRV data (priority weight port target)")
			}
			srvs = append(srvs, srv)
		}
		if _, err := checkSRVs("RRset.Data", srvs); err != nil {
			return nil, err
		}
	default:
		for _, d := range out.Data {
			ip, err := netip.ParseAddr(d)
			if err != nil || ip.Is4() != (k.Type == "A") {
				return nil, inputErr("RRset.Data", d, "not %s data", k.Type)
			}
		}
	}
	return []RRset{out}, nil
}

// Plan validates desired, reads the RRsets it names (one read) and returns
// the corrections that would make the zone hold them. It writes nothing.
// Two desired states naming the same RRset are refused.
func (z *Zone) Plan(ctx context.Context, desired ...Desired) (*Change, error) {
	var want []RRset
	seen := make(map[Key]bool)
	for i, d := range desired {
		if d == nil {
			return nil, inputErr(fmt.Sprintf("desired[%d]", i), "nil", "a desired state is required")
		}
		sets, err := d.rrsets(z)
		if err != nil {
			return nil, err
		}
		for _, s := range sets {
			if seen[s.Key()] {
				return nil, inputErr(fmt.Sprintf("desired[%d]", i), s.Name+" "+s.Type, "named twice in one plan")
			}
			seen[s.Key()] = true
			want = append(want, s)
		}
	}
	keys := make([]Key, len(want))
	for i, s := range want {
		keys[i] = s.Key()
	}
	cur, err := z.read(ctx, keys)
	if err != nil {
		return nil, err
	}
	ch := &Change{Zone: z.name, Desired: want}
	for i := range want {
		if want[i].Exists() && want[i].TTL == 0 {
			want[i].TTL = z.defaultTTL
			// Keep the current TTL unless it is one this package would
			// refuse (a provider may report 0 for its own default).
			if cur[i].Exists() && cur[i].TTL != 0 && checkTTL("", cur[i].TTL) == nil {
				want[i].TTL = cur[i].TTL
			}
		}
		if cr, ok := diff(cur[i], want[i]); ok {
			ch.Corrections = append(ch.Corrections, cr)
		}
	}
	return ch, nil
}
