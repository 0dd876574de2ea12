package rfc2136

import (
	"context"
	"fmt"

	"github.com/libdns/libdns"
	"github.com/miekg/dns"
)

// GetRRset returns the records of one RRset (name relative to zone, "@" for
// the apex; rtype such as "SRV") by asking the server directly, without a
// zone transfer. An absent RRset (NXDOMAIN or NODATA) gives no records and no
// error. Records come back as libdns types (libdns.SRV, libdns.Address...).
//
// Runs: one query, RD=0 (UDP, TCP when truncated), retried on SERVFAIL or
// no answer.
func (p *Provider) GetRRset(ctx context.Context, zone, name, rtype string) ([]libdns.Record, error) {
	c, z, err := p.begin(zone)
	if err != nil {
		return nil, err
	}
	owner, err := absName(name, z)
	if err != nil {
		return nil, err
	}
	t, err := parseType(rtype, false)
	if err != nil {
		return nil, err
	}
	rrs, err := c.rrset(ctx, owner, t)
	if err != nil {
		return nil, err
	}
	return fromDNSAll(z, rrs), nil
}

// rrset returns the records of (owner, qtype) from the answer section (the
// authority section of a referral for owner's NS set); with qtype ANY, every
// record of owner.
func (c config) rrset(ctx context.Context, owner string, qtype uint16) ([]dns.RR, error) {
	r, err := c.query(ctx, owner, qtype)
	if err != nil {
		return nil, err
	}
	section := r.Answer
	if isReferral(r, owner, qtype) {
		section = r.Ns // the delegation's NS set, the zone's own data
	}
	var out []dns.RR
	for _, rr := range section {
		h := rr.Header()
		if h.Class == dns.ClassINET && dns.CanonicalName(h.Name) == owner && (qtype == dns.TypeANY || h.Rrtype == qtype) {
			out = append(out, rr)
		}
	}
	return out, nil
}

// GetRecords returns every record of the zone (SOA once, no DNSSEC records)
// by a TSIG-signed zone transfer (AXFR over TCP). RFC 2136 gives no other way
// to list a zone: when the server does not grant the key transfer rights, the
// error matches ErrListUnsupported (and the server's rcode, e.g. ErrRefused
// or ErrNotAuth). Use GetRRset to read the RRsets you know by name.
func (p *Provider) GetRecords(ctx context.Context, zone string) ([]libdns.Record, error) {
	c, z, err := p.begin(zone)
	if err != nil {
		return nil, err
	}
	rrs, err := c.axfr(ctx, z)
	if err != nil {
		return nil, err
	}
	out := make([]libdns.Record, 0, len(rrs))
	for _, rr := range rrs {
		switch rr.Header().Rrtype {
		case dns.TypeRRSIG, dns.TypeNSEC, dns.TypeNSEC3, dns.TypeNSEC3PARAM, dns.TypeDNSKEY, dns.TypeCDS, dns.TypeCDNSKEY:
			continue
		}
		out = append(out, fromDNS(z, rr))
	}
	return out, nil
}

// listErr marks an AXFR refusal as ErrListUnsupported while keeping the rcode.
type listErr struct{ err error }

func (e *listErr) Error() string   { return fmt.Sprintf("%v: %v", ErrListUnsupported, e.err) }
func (e *listErr) Unwrap() []error { return []error{ErrListUnsupported, e.err} }
