package rfc2136

import (
	"github.com/libdns/libdns"
	"github.com/miekg/dns"
)

// setKey names one RRset.
type setKey struct {
	name  string // absolute, lower case
	rtype uint16
}

func keyOf(rr dns.RR) setKey {
	return setKey{dns.CanonicalName(rr.Header().Name), rr.Header().Rrtype}
}

// convertAll converts and validates records; nothing is sent.
func convertAll(zone string, recs []libdns.Record) ([]dns.RR, error) {
	out := make([]dns.RR, 0, len(recs))
	for _, rec := range recs {
		if rec == nil {
			return nil, invalid("record", "<nil>", "nil record")
		}
		rr, err := toDNS(zone, rec)
		if err != nil {
			return nil, err
		}
		out = append(out, rr)
	}
	return out, nil
}

// group splits records into RRsets, keeping the order in which each RRset
// first appears, without duplicate data, and checks that all records of an
// RRset share one TTL (RFC 2181 §5.2).
func group(rrs []dns.RR) ([]setKey, map[setKey][]dns.RR, error) {
	var keys []setKey
	sets := map[setKey][]dns.RR{}
	for _, rr := range rrs {
		k := keyOf(rr)
		old, seen := sets[k]
		if !seen {
			keys = append(keys, k)
		}
		if len(old) > 0 && old[0].Header().Ttl != rr.Header().Ttl {
			return nil, nil, invalid("ttl", rr.String(), "the records of one RRset must share one TTL (RFC 2181 §5.2)")
		}
		if !containsRR(old, rr) {
			sets[k] = append(old, rr)
		}
	}
	return keys, sets, nil
}

// containsRR reports whether rrs hold a record with the data of rr (TTL ignored).
func containsRR(rrs []dns.RR, rr dns.RR) bool {
	for _, x := range rrs {
		if sameData(x, rr) {
			return true
		}
	}
	return false
}

// sameData compares two records ignoring TTL and class and the case of the
// owner name.
func sameData(a, b dns.RR) bool {
	a, b = dns.Copy(a), dns.Copy(b)
	a.Header().Class, b.Header().Class = dns.ClassINET, dns.ClassINET
	return dns.IsDuplicate(a, b)
}

// minus returns the records of a whose data is not in b.
func minus(a, b []dns.RR) []dns.RR {
	var out []dns.RR
	for _, x := range a {
		if !containsRR(b, x) {
			out = append(out, x)
		}
	}
	return out
}

// withTTL returns copies of rrs with the given TTL.
func withTTL(rrs []dns.RR, ttl uint32) []dns.RR {
	out := copies(rrs)
	for _, rr := range out {
		rr.Header().Ttl = ttl
	}
	return out
}

// copies returns deep copies: miekg's update helpers change the headers of
// the records they are given.
func copies(rrs []dns.RR) []dns.RR {
	out := make([]dns.RR, len(rrs))
	for i, rr := range rrs {
		out[i] = dns.Copy(rr)
	}
	return out
}
