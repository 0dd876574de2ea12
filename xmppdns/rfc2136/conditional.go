package rfc2136

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/libdns/libdns"
	"github.com/miekg/dns"
)

// transition replaces one RRset, on condition that it still holds expected.
type transition struct {
	key      setKey
	expected []dns.RR // empty: the RRset must not exist
	records  []dns.RR // empty: the RRset is deleted
}

// conditionalUpdate builds one UPDATE holding every transition: value-
// dependent prerequisites (or "RRset does not exist"), then the records to
// add and the records to remove. Under the prerequisites this equals
// replacing each RRset, and, unlike "delete RRset", it also works for the NS
// set at the apex, which servers never delete as a whole.
func conditionalUpdate(zone string, ts []transition) *dns.Msg {
	m := new(dns.Msg)
	m.SetUpdate(zone)
	var adding []setKey
	for _, t := range ts {
		if len(t.records) > 0 {
			adding = append(adding, t.key)
		}
	}
	m.Answer = cnameGuards(adding)
	for _, t := range ts {
		if len(t.expected) == 0 {
			m.RRsetNotUsed([]dns.RR{&dns.ANY{Hdr: dns.RR_Header{Name: t.key.name, Rrtype: t.key.rtype}}})
		} else {
			m.Used(copies(t.expected))
		}
	}
	for _, t := range ts {
		add := minus(t.records, t.expected)
		if len(t.records) > 0 && len(t.expected) > 0 && t.records[0].Header().Ttl != t.expected[0].Header().Ttl {
			add = t.records // a new TTL: re-adding every record sets it on the RRset
		}
		if len(add) > 0 {
			m.Insert(copies(add))
		}
		if del := minus(t.expected, t.records); len(del) > 0 {
			m.Remove(copies(del))
		}
	}
	return m
}

// conditional sends conditionalUpdate and turns a failed prerequisite into
// a *ConflictError.
func (c config) conditional(ctx context.Context, zone string, ts []transition) error {
	for _, t := range ts {
		if t.key.name == zone && t.key.rtype == dns.TypeNS && len(t.records) == 0 {
			return invalid("records", "NS", "the NS set at the apex of %s cannot be emptied", zone)
		}
	}
	err := c.update(ctx, conditionalUpdate(zone, ts))
	var rc *RcodeError
	if errors.As(err, &rc) && rc.TSIGError == 0 {
		switch rc.Rcode {
		case dns.RcodeYXRrset:
			// A CNAME guard or an expected state failed: tell them apart.
			var keys []setKey
			for _, t := range ts {
				if len(t.records) > 0 {
					keys = append(keys, t.key)
				}
			}
			if cerr := c.checkCNAMEs(ctx, keys); errors.Is(cerr, ErrCNAME) {
				return fmt.Errorf("%w (%w)", cerr, rc)
			}
			return &ConflictError{Zone: zone, Err: rc}
		case dns.RcodeNXRrset, dns.RcodeYXDomain, dns.RcodeNameError:
			return &ConflictError{Zone: zone, Err: rc}
		}
	}
	return err
}

// conflictAttempts bounds how often a read-then-write is redone when the
// RRsets changed between the read and the write.
const conflictAttempts = 5

// retryConflicts runs f again while it reports a conflict, at most
// conflictAttempts times, with a short random pause.
func retryConflicts(ctx context.Context, f func() error) error {
	var err error
	for attempt := range conflictAttempts {
		if attempt > 0 {
			if err := sleep(ctx, time.Duration(5+rand.IntN(20*attempt))*time.Millisecond); err != nil {
				return err
			}
		}
		if err = f(); !errors.Is(err, ErrConflict) {
			return err
		}
	}
	return err
}

// SetRRsetIf makes records the whole RRset (name, rtype) of zone, but only if
// that RRset still holds exactly expected (data compared, TTL ignored; an
// empty expected means the RRset must not exist). Empty records delete the
// RRset. Every record must have that name and type. When the RRset differs
// the error matches ErrConflict and nothing is written, so a repoint never
// overwrites a change someone made meanwhile.
//
// Runs: one signed UPDATE with value-dependent prerequisites (RFC 2136 §2.4).
func (p *Provider) SetRRsetIf(ctx context.Context, zone, name, rtype string, expected, records []libdns.Record) error {
	c, z, err := p.begin(zone)
	if err != nil {
		return err
	}
	owner, err := absName(name, z)
	if err != nil {
		return err
	}
	t, err := parseType(rtype, true)
	if err != nil {
		return err
	}
	ts, err := transitions(z, expected, records, &setKey{owner, t})
	if err != nil {
		return err
	}
	if len(ts) == 0 {
		ts = []transition{{key: setKey{owner, t}}}
	}
	if t == dns.TypeCNAME && len(records) > 0 {
		if err := c.checkCNAMEs(ctx, []setKey{{owner, t}}); err != nil {
			return err
		}
	}
	return c.conditional(ctx, z, ts)
}

// SetRecordsIf applies several conditional RRset replacements to one zone
// in one atomic UPDATE. The RRsets concerned are the (name, type) pairs found
// in expected or records; each must hold exactly its expected records (none:
// must not exist) and becomes its records (none: deleted). On any mismatch
// the error matches ErrConflict and nothing is written.
//
// Runs: one signed UPDATE with value-dependent prerequisites.
func (p *Provider) SetRecordsIf(ctx context.Context, zone string, expected, records []libdns.Record) error {
	c, z, err := p.begin(zone)
	if err != nil {
		return err
	}
	ts, err := transitions(z, expected, records, nil)
	if err != nil || len(ts) == 0 {
		return err
	}
	var adds []setKey
	for _, t := range ts {
		if t.key.rtype == dns.TypeCNAME && len(t.records) > 0 {
			adds = append(adds, t.key)
		}
	}
	if err := c.checkCNAMEs(ctx, adds); err != nil {
		return err
	}
	return c.conditional(ctx, z, ts)
}

// transitions pairs expected and new records by RRset. With only set, every
// record must belong to that RRset.
func transitions(zone string, expected, records []libdns.Record, only *setKey) ([]transition, error) {
	exp, err := convertAll(zone, expected)
	if err != nil {
		return nil, err
	}
	rec, err := convertAll(zone, records)
	if err != nil {
		return nil, err
	}
	expKeys, expSets, err := group(exp)
	if err != nil {
		return nil, err
	}
	recKeys, recSets, err := group(rec)
	if err != nil {
		return nil, err
	}
	var ts []transition
	seen := map[setKey]bool{}
	for _, k := range append(expKeys, recKeys...) {
		if only != nil && k != *only {
			return nil, invalid("records", k.name+" "+dns.TypeToString[k.rtype], "does not belong to the RRset %s %s", only.name, dns.TypeToString[only.rtype])
		}
		if !seen[k] {
			seen[k] = true
			ts = append(ts, transition{key: k, expected: expSets[k], records: recSets[k]})
		}
	}
	return ts, nil
}
