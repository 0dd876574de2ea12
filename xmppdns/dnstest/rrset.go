package dnstest

import (
	"sort"
	"strings"

	"github.com/miekg/dns"
)

// addRR adds a copy of rr (owner in canonical form) to sets. A record whose
// data is already present is not added twice; the TTL of the added record
// becomes the TTL of the whole RRset, as BIND does.
func addRR(sets map[rrKey][]dns.RR, rr dns.RR) map[rrKey][]dns.RR {
	c := dns.Copy(rr)
	c.Header().Name = dns.CanonicalName(c.Header().Name)
	c.Header().Class = dns.ClassINET
	k := rrKey{c.Header().Name, c.Header().Rrtype}
	old := sets[k]
	out := make([]dns.RR, 0, len(old)+1)
	dup := false
	for _, o := range old {
		o = dns.Copy(o)
		o.Header().Ttl = c.Header().Ttl
		if dns.IsDuplicate(o, c) {
			dup = true
		}
		out = append(out, o)
	}
	if !dup {
		out = append(out, c)
	}
	sets[k] = out
	return sets
}

// maxTTL is the largest TTL (RFC 2181 §8: 2^31-1 seconds).
const maxTTL = 1<<31 - 1

// loadRR adds rr to sets as BIND loads a zone file: a TTL above maxTTL
// becomes 0, and a record joining an RRset takes the RRset's TTL ("TTL set
// to prior TTL"), where an update (addRR) gives its TTL to the whole RRset.
func loadRR(sets map[rrKey][]dns.RR, rr dns.RR) map[rrKey][]dns.RR {
	c := dns.Copy(rr)
	if c.Header().Ttl > maxTTL {
		c.Header().Ttl = 0
	}
	if old := sets[rrKey{dns.CanonicalName(c.Header().Name), c.Header().Rrtype}]; len(old) > 0 {
		c.Header().Ttl = old[0].Header().Ttl
	}
	return addRR(sets, c)
}

// removeRR deletes the record with the data of rr from its RRset.
func removeRR(sets map[rrKey][]dns.RR, rr dns.RR) {
	c := dns.Copy(rr)
	c.Header().Name = dns.CanonicalName(c.Header().Name)
	c.Header().Class = dns.ClassINET
	k := rrKey{c.Header().Name, c.Header().Rrtype}
	var out []dns.RR
	for _, o := range sets[k] {
		if !dns.IsDuplicate(o, c) {
			out = append(out, o)
		}
	}
	if len(out) == 0 {
		delete(sets, k)
		return
	}
	sets[k] = out
}

// clone returns a copy of v's map; the records themselves are shared, which
// is safe because no code changes a record after it entered a version.
func (v *version) clone() map[rrKey][]dns.RR {
	m := make(map[rrKey][]dns.RR, len(v.sets))
	for k, rrs := range v.sets {
		m[k] = rrs
	}
	return m
}

// records returns copies of all records, SOA first, then by name and type.
func (v *version) records() []dns.RR {
	keys := make([]rrKey, 0, len(v.sets))
	for k := range v.sets {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if (a.rtype == dns.TypeSOA) != (b.rtype == dns.TypeSOA) {
			return a.rtype == dns.TypeSOA
		}
		if a.name != b.name {
			return a.name < b.name
		}
		return a.rtype < b.rtype
	})
	var out []dns.RR
	for _, k := range keys {
		out = append(out, copyRRs(v.sets[k])...)
	}
	return out
}

// nameExists reports whether name owns records or is an empty non-terminal.
func (v *version) nameExists(name string) bool {
	for k := range v.sets {
		if k.name == name || strings.HasSuffix(k.name, "."+name) {
			return true
		}
	}
	return false
}

// nameOwns reports whether name owns at least one record.
func (v *version) nameOwns(name string) bool {
	for k := range v.sets {
		if k.name == name {
			return true
		}
	}
	return false
}

// soa returns the zone's SOA record.
func (v *version) soa(origin string) *dns.SOA {
	return v.sets[rrKey{origin, dns.TypeSOA}][0].(*dns.SOA)
}

func copyRRs(rrs []dns.RR) []dns.RR {
	if len(rrs) == 0 {
		return nil
	}
	out := make([]dns.RR, len(rrs))
	for i, rr := range rrs {
		out[i] = dns.Copy(rr)
	}
	return out
}
