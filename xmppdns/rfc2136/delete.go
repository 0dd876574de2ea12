package rfc2136

import (
	"context"
	"time"

	"github.com/libdns/libdns"
	"github.com/miekg/dns"
)

// matcher is one DeleteRecords input: a name and optional type, TTL and data.
type matcher struct {
	name   string
	rtype  uint16 // dns.TypeANY: any type
	ttl    uint32
	anyTTL bool
	data   dns.RR // nil: any data
	text   string // with any type: the libdns Data to match, "" for any
	zone   string
}

func (m matcher) matches(rr dns.RR) bool {
	h := rr.Header()
	switch {
	case m.rtype != dns.TypeANY && h.Rrtype != m.rtype,
		!m.anyTTL && h.Ttl != m.ttl,
		m.data != nil && !sameData(m.data, rr),
		m.text != "" && fromDNS(m.zone, rr).RR().Data != m.text:
		return false
	}
	return true
}

// DeleteRecords deletes the records of the zone that match an input record
// exactly (name, type, TTL and data; an empty Type, a zero TTL or empty Data
// match any; Data given without a Type is compared with each record's libdns
// Data text) and returns exactly the records it deleted. It reads the RRsets
// concerned first and deletes under a prerequisite that they did not change
// meanwhile (redone if they did), so the result is accurate. A match on any
// type never deletes the SOA or the NS set at the apex; deleting the whole
// apex NS set is refused.
//
// Runs: one query per name and type (type ANY over TCP when Type is empty;
// servers that answer ANY minimally per RFC 8482 are not supported for that
// case), then one signed UPDATE when something matched.
func (p *Provider) DeleteRecords(ctx context.Context, zone string, recs []libdns.Record) ([]libdns.Record, error) {
	c, z, err := p.begin(zone)
	if err != nil {
		return nil, err
	}
	ms, err := matchers(z, recs)
	if err != nil || len(ms) == 0 {
		return nil, err
	}
	var deleted []dns.RR
	err = retryConflicts(ctx, func() error {
		deleted = nil
		ts, err := c.deletions(ctx, z, ms)
		if err != nil {
			return err
		}
		for _, t := range ts {
			deleted = append(deleted, minus(t.expected, t.records)...)
		}
		if len(deleted) == 0 {
			return nil
		}
		return c.conditional(ctx, z, ts)
	})
	if err != nil {
		return nil, err
	}
	return fromDNSAll(z, deleted), nil
}

// matchers validates the DeleteRecords input.
func matchers(zone string, recs []libdns.Record) ([]matcher, error) {
	var out []matcher
	for _, rec := range recs {
		if rec == nil {
			return nil, invalid("record", "<nil>", "nil record")
		}
		r := rec.RR()
		owner, err := absName(r.Name, zone)
		if err != nil {
			return nil, err
		}
		m := matcher{name: owner, rtype: dns.TypeANY, anyTTL: r.TTL == 0, ttl: uint32(r.TTL / time.Second)}
		if r.Type != "" {
			if m.rtype, err = parseType(r.Type, true); err != nil {
				return nil, err
			}
		}
		if r.Data != "" {
			if m.rtype == dns.TypeANY { // compared as text with each record's libdns Data
				m.text, m.zone = r.Data, zone
				out = append(out, m)
				continue
			}
			if m.data, err = toDNS(zone, r); err != nil {
				return nil, err
			}
		}
		out = append(out, m)
	}
	return out, nil
}

// deletions reads the RRsets the matchers concern and returns, for each
// RRset with a match, the transition from its current records to those left.
func (c config) deletions(ctx context.Context, zone string, ms []matcher) ([]transition, error) {
	type q struct {
		name  string
		rtype uint16
	}
	cur := map[setKey][]dns.RR{}
	var order []setKey
	asked := map[q]bool{}
	for _, m := range ms {
		if asked[q{m.name, m.rtype}] || asked[q{m.name, dns.TypeANY}] {
			continue
		}
		asked[q{m.name, m.rtype}] = true
		rrs, err := c.rrset(ctx, m.name, m.rtype)
		if err != nil {
			return nil, err
		}
		for _, rr := range rrs {
			k := keyOf(rr)
			if _, ok := cur[k]; !ok {
				order = append(order, k)
			}
			if !containsRR(cur[k], rr) {
				cur[k] = append(cur[k], rr)
			}
		}
	}
	var ts []transition
	for _, k := range order {
		if k.rtype == dns.TypeSOA && k.name == zone {
			continue
		}
		var left []dns.RR
		for _, rr := range cur[k] {
			hit := false
			for _, m := range ms {
				if m.name != k.name || !m.matches(rr) {
					continue
				}
				if k.name == zone && k.rtype == dns.TypeNS && m.rtype == dns.TypeANY {
					continue // a match on any type keeps the apex NS set
				}
				hit = true
			}
			if !hit {
				left = append(left, rr)
			}
		}
		if len(left) < len(cur[k]) {
			ts = append(ts, transition{key: k, expected: cur[k], records: left})
		}
	}
	return ts, nil
}
