package dnstest

import (
	"fmt"

	"github.com/miekg/dns"
)

// BIND's checks of a zone's records (check-names, which named applies with
// "fail" to the zones it is primary for, and the load-time rules of
// lib/dns/master.c), written here without the SDK's name rules: a double
// shares no code with the side it fakes.

// isHostname reports whether name (absolute) is a host name as BIND's
// dns_name_ishostname says: every label of letters, digits and hyphens, not
// starting or ending with a hyphen; with wildcard, the first label may be
// "*". The root is a host name.
func isHostname(name string, wildcard bool) bool {
	labels := dns.SplitDomainName(name)
	for i, l := range labels {
		if wildcard && i == 0 && l == "*" {
			continue
		}
		for j := 0; j < len(l); j++ {
			c := l[j]
			switch {
			case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
			case c == '-' && j > 0 && j < len(l)-1:
			default:
				return false
			}
		}
	}
	return true
}

// checkNames applies BIND's check-names to rr (class IN): the owners of
// A, AAAA and MX records and the host names in MX, NS, SRV and SOA data
// must be host names. SRV owners (_service._proto) and TXT or CNAME records
// are not checked, as in BIND.
func checkNames(rr dns.RR) error {
	h := rr.Header()
	switch h.Rrtype {
	case dns.TypeA, dns.TypeAAAA, dns.TypeMX:
		if !isHostname(h.Name, true) {
			return fmt.Errorf("dnstest: record %q: bad owner name (check-names), as BIND refuses", rr.String())
		}
	}
	var target string
	switch r := rr.(type) {
	case *dns.MX:
		target = r.Mx
	case *dns.NS:
		target = r.Ns
	case *dns.SRV:
		target = r.Target
	case *dns.SOA:
		target = r.Ns
	default:
		return nil
	}
	if !isHostname(target, false) {
		return fmt.Errorf("dnstest: record %q: bad name %s (check-names), as BIND refuses", rr.String(), target)
	}
	return nil
}

// checkSingletons refuses what BIND refuses to load or keep: more than one
// CNAME or DNAME at a name, a CNAME next to other data (RFC 1034 §3.6.2),
// a SOA anywhere but at the apex.
func checkSingletons(origin string, sets map[rrKey][]dns.RR) error {
	for k, rrs := range sets {
		switch k.rtype {
		case dns.TypeSOA:
			if k.name != origin {
				return fmt.Errorf("dnstest: SOA record %s not at the top of zone %s, as BIND refuses", k.name, origin)
			}
		case dns.TypeCNAME, dns.TypeDNAME:
			if len(rrs) > 1 {
				return fmt.Errorf("dnstest: %s has more than one %s (a singleton type), as BIND refuses", k.name, dns.TypeToString[k.rtype])
			}
		}
		if k.rtype != dns.TypeCNAME {
			continue
		}
		for o := range sets {
			if o.name == k.name && o.rtype != dns.TypeCNAME {
				return fmt.Errorf("dnstest: %s has a CNAME and other data (%s), as BIND refuses", k.name, dns.TypeToString[o.rtype])
			}
		}
	}
	return nil
}

// noData reports whether rr carries no record data: a bare header (what a
// zero-length RDATA unpacks to), an ANY placeholder, or a record parsed from
// text without its data ("x IN NS", which the zone parser returns as the
// type's zero value, for dynamic updates). BIND refuses to load or add one.
func noData(rr dns.RR) bool {
	switch rr.(type) {
	case *dns.RR_Header, *dns.ANY:
		return true
	}
	newRR, ok := dns.TypeToRR[rr.Header().Rrtype]
	if !ok {
		return false
	}
	zero := newRR()
	*zero.Header() = *rr.Header()
	return zero.String() == rr.String()
}
