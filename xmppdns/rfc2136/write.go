package rfc2136

import (
	"context"
	"errors"
	"fmt"

	"github.com/libdns/libdns"
	"github.com/miekg/dns"
)

// SetRecords makes the input records the whole RRset of each (name, type)
// they name and touches nothing else, as libdns.RecordSetter documents. All
// records of one RRset must share one TTL. The change is atomic: one UPDATE
// that deletes each RRset and adds its new records, so either all of it is
// applied or none. It returns the records as set.
//
// The NS set at the apex, which servers never delete as a whole, is replaced
// by reading it and sending the difference under a prerequisite that it did
// not change meanwhile (redone if it did).
//
// Runs: one signed UPDATE (plus one query per apex NS set).
func (p *Provider) SetRecords(ctx context.Context, zone string, recs []libdns.Record) ([]libdns.Record, error) {
	c, z, err := p.begin(zone)
	if err != nil {
		return nil, err
	}
	rrs, keys, sets, err := c.prepareWrite(ctx, z, recs)
	if err != nil || len(keys) == 0 {
		return nil, err
	}
	apexNS := setKey{z, dns.TypeNS}
	if _, ok := sets[apexNS]; !ok {
		m := new(dns.Msg)
		m.SetUpdate(z)
		m.Answer = cnameGuards(keys)
		for _, k := range keys {
			m.RemoveRRset([]dns.RR{&dns.ANY{Hdr: dns.RR_Header{Name: k.name, Rrtype: k.rtype}}})
			m.Insert(copies(sets[k]))
		}
		err := c.update(ctx, m)
		if errors.Is(err, ErrYXRRSet) { // the only prerequisites here are the CNAME guards
			return nil, fmt.Errorf("%w: %w", ErrCNAME, err)
		}
		if err != nil {
			return nil, err
		}
		return fromDNSAll(z, rrs), nil
	}
	err = retryConflicts(ctx, func() error {
		ts, err := c.readTransitions(ctx, keys, func(k setKey, cur []dns.RR) []dns.RR { return sets[k] })
		if err != nil {
			return err
		}
		return c.conditional(ctx, z, ts)
	})
	if err != nil {
		return nil, err
	}
	return fromDNSAll(z, rrs), nil
}

// AppendRecords adds the input records to the zone and returns those it
// created; records whose data is already present are neither changed nor
// returned. It never changes existing records: a record joining an existing
// RRset takes that RRset's TTL (an RRset has one TTL), and the returned record
// shows it. The change is atomic: one UPDATE conditional on the RRsets read
// just before (redone if they changed meanwhile, so concurrent appends all
// land).
//
// Runs: one query per RRset, then one signed UPDATE.
func (p *Provider) AppendRecords(ctx context.Context, zone string, recs []libdns.Record) ([]libdns.Record, error) {
	c, z, err := p.begin(zone)
	if err != nil {
		return nil, err
	}
	_, keys, sets, err := c.prepareWrite(ctx, z, recs)
	if err != nil || len(keys) == 0 {
		return nil, err
	}
	var created []dns.RR
	err = retryConflicts(ctx, func() error {
		created = nil
		ts, err := c.readTransitions(ctx, keys, func(k setKey, cur []dns.RR) []dns.RR {
			add := sets[k]
			if len(cur) > 0 {
				add = withTTL(minus(add, cur), cur[0].Header().Ttl)
			}
			created = append(created, add...)
			return append(copies(cur), add...)
		})
		if err != nil || len(created) == 0 {
			return err
		}
		return c.conditional(ctx, z, ts)
	})
	if err != nil {
		return nil, err
	}
	return fromDNSAll(z, created), nil
}

// readTransitions reads the current RRset of each key and pairs it with the
// records next returns for it.
func (c config) readTransitions(ctx context.Context, keys []setKey, next func(setKey, []dns.RR) []dns.RR) ([]transition, error) {
	ts := make([]transition, 0, len(keys))
	for _, k := range keys {
		cur, err := c.rrset(ctx, k.name, k.rtype)
		if err != nil {
			return nil, err
		}
		ts = append(ts, transition{key: k, expected: cur, records: next(k, cur)})
	}
	return ts, nil
}

// prepareWrite converts and groups the records of a write into RRsets and
// refuses one that would mix a CNAME with other data.
func (c config) prepareWrite(ctx context.Context, zone string, recs []libdns.Record) ([]dns.RR, []setKey, map[setKey][]dns.RR, error) {
	rrs, err := convertAll(zone, recs)
	if err != nil {
		return nil, nil, nil, err
	}
	keys, sets, err := group(rrs)
	if err != nil || len(keys) == 0 {
		return nil, nil, nil, err
	}
	if err := c.checkCNAMEs(ctx, cnameKeys(keys)); err != nil {
		return nil, nil, nil, err
	}
	return rrs, keys, sets, nil
}
