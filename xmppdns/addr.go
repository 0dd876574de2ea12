package xmppdns

import (
	"context"
	"fmt"
	"net/netip"
	"time"
)

// AddrSet is the desired address set of a host (the federation host, e.g.
// xmpp.contoso.com): its A RRset holds the IPv4 addresses of IPs and its
// AAAA RRset the IPv6 ones. A family absent from IPs has its RRset deleted,
// so the host never keeps pointing at the old pool. TTL 0 keeps the current
// TTL, or the zone default for a new set.
type AddrSet struct {
	Host string
	TTL  time.Duration
	IPs  []netip.Addr
}

func (a AddrSet) rrsets(z *Zone) ([]RRset, error) {
	h, err := inZone("AddrSet.Host", a.Host, z.name)
	if err != nil {
		return nil, err
	}
	if err := checkTTL("AddrSet.TTL", a.TTL); err != nil {
		return nil, err
	}
	v4, v6, err := checkAddrs("AddrSet.IPs", a.IPs)
	if err != nil {
		return nil, err
	}
	return []RRset{
		{Name: h, Type: "A", TTL: a.TTL, Data: v4},
		{Name: h, Type: "AAAA", TTL: a.TTL, Data: v6},
	}, nil
}

// GetAddrs reads the A and AAAA RRsets of host. TTL is the A set's TTL, or
// the AAAA set's when there is no A set.
func (z *Zone) GetAddrs(ctx context.Context, host string) (AddrSet, error) {
	h, err := inZone("host", host, z.name)
	if err != nil {
		return AddrSet{}, err
	}
	sets, err := z.read(ctx, []Key{{Name: h, Type: "A"}, {Name: h, Type: "AAAA"}})
	if err != nil {
		return AddrSet{}, err
	}
	out := AddrSet{Host: h}
	for _, s := range sets {
		if out.TTL == 0 {
			out.TTL = s.TTL
		}
		for _, d := range s.Data {
			ip, err := netip.ParseAddr(d)
			if err != nil {
				return AddrSet{}, fmt.Errorf("xmppdns: %s %s %q: %w", s.Name, s.Type, d, ErrMalformed)
			}
			out.IPs = append(out.IPs, ip)
		}
	}
	return out, nil
}

// SetAddrs makes ips the whole address set of host (A and AAAA), as a
// change planned, applied conditionally and read back (see Apply). It
// returns the applied change, whose Before snapshot undoes it.
func (z *Zone) SetAddrs(ctx context.Context, host string, ips ...netip.Addr) (*Change, error) {
	ch, err := z.Plan(ctx, AddrSet{Host: host, IPs: ips})
	if err != nil {
		return nil, err
	}
	return ch, z.Apply(ctx, ch)
}
