package rfc2136

import (
	"context"
	"errors"
	"fmt"

	"github.com/miekg/dns"
)

// ErrCNAME reports a write that would put a CNAME and other data at one
// name. Servers silently ignore such an addition (RFC 2136 §3.4.2.2), so
// it is refused instead of being reported as done.
var ErrCNAME = errors.New("rfc2136: a CNAME and other data cannot share a name")

// cnameGuards returns "RRset does not exist" prerequisites for a CNAME at
// every name that gets non-CNAME records, so that a server cannot ignore
// the addition while answering NOERROR.
func cnameGuards(keys []setKey) []dns.RR {
	hasCNAME := map[string]bool{}
	for _, k := range keys {
		if k.rtype == dns.TypeCNAME {
			hasCNAME[k.name] = true
		}
	}
	var out []dns.RR
	seen := map[string]bool{}
	for _, k := range keys {
		if k.rtype == dns.TypeCNAME || hasCNAME[k.name] || seen[k.name] {
			continue
		}
		seen[k.name] = true
		out = append(out, &dns.ANY{Hdr: dns.RR_Header{Name: k.name, Rrtype: dns.TypeCNAME, Class: dns.ClassNONE}})
	}
	return out
}

// checkCNAMEs reads every name that gets a CNAME and refuses the write when
// the name holds other data, or when a name that gets other data holds a
// CNAME (called to explain a failed guard).
func (c config) checkCNAMEs(ctx context.Context, keys []setKey) error {
	checked := map[string]bool{}
	for _, k := range keys {
		if checked[k.name] {
			continue
		}
		checked[k.name] = true
		rrs, err := c.rrset(ctx, k.name, dns.TypeANY)
		if err != nil {
			return err
		}
		for _, rr := range rrs {
			t := rr.Header().Rrtype
			switch {
			case t == dns.TypeRRSIG || t == dns.TypeNSEC || t == dns.TypeNSEC3:
			case (t == dns.TypeCNAME) != (k.rtype == dns.TypeCNAME):
				return fmt.Errorf("%w: %s has %s records, the write adds %s", ErrCNAME, k.name, dns.TypeToString[t], dns.TypeToString[k.rtype])
			}
		}
	}
	return nil
}

// cnameKeys returns the keys that add a CNAME.
func cnameKeys(keys []setKey) []setKey {
	var out []setKey
	for _, k := range keys {
		if k.rtype == dns.TypeCNAME {
			out = append(out, k)
		}
	}
	return out
}
