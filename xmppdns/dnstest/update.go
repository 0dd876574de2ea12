package dnstest

import (
	"github.com/miekg/dns"
)

// update applies an RFC 2136 UPDATE atomically and returns the rcode. key is
// the verified TSIG key, or nil for an unsigned message.
func (s *Server) update(r *dns.Msg, key *Key) int {
	// RFC 2136 §3.1: the zone section holds exactly one SOA question.
	if len(r.Question) != 1 || r.Question[0].Qtype != dns.TypeSOA || r.Question[0].Qclass != dns.ClassINET {
		return dns.RcodeFormatError
	}
	origin := dns.CanonicalName(r.Question[0].Name)
	var z *Zone
	for _, c := range s.zones {
		if c.origin == origin {
			z = c
		}
	}
	switch {
	case z == nil:
		return dns.RcodeNotAuth
	case s.secondary:
		return dns.RcodeRefused // no update forwarding
	case key == nil || len(s.keys) == 0:
		return dns.RcodeRefused // allow-update { key ...; } only
	}
	for _, rr := range append(append([]dns.RR(nil), r.Answer...), r.Ns...) {
		if !dns.IsSubDomain(origin, dns.CanonicalName(rr.Header().Name)) {
			return dns.RcodeNotZone
		}
	}

	z.mu.Lock()
	defer z.mu.Unlock()
	cur := z.current()
	if rc := checkPrereqs(cur, r.Answer); rc != dns.RcodeSuccess {
		return rc
	}
	if rc := prescan(r.Ns); rc != dns.RcodeSuccess {
		return rc
	}
	for _, rr := range r.Ns {
		if rr.Header().Class == dns.ClassINET && checkNames(rr) != nil {
			return dns.RcodeRefused // BIND: check-names failure, the whole update refused
		}
	}
	sets := cur.clone()
	changed := false
	for _, rr := range r.Ns {
		if applyUpdate(sets, origin, rr) {
			changed = true
		}
	}
	if missingNSAddress(origin, sets) != "" {
		return dns.RcodeRefused // BIND: "post update name server sanity check failed"
	}
	if changed && !sameSets(cur.sets, sets) {
		z.commit(sets)
	}
	return dns.RcodeSuccess
}

// checkPrereqs evaluates the prerequisite section (RFC 2136 §3.2).
func checkPrereqs(v *version, prereqs []dns.RR) int {
	want := map[rrKey][]dns.RR{} // value-dependent RRsets
	for _, rr := range prereqs {
		h := rr.Header()
		name := dns.CanonicalName(h.Name)
		if h.Ttl != 0 {
			return dns.RcodeFormatError
		}
		switch h.Class {
		case dns.ClassANY:
			if h.Rdlength != 0 {
				return dns.RcodeFormatError
			}
			if h.Rrtype == dns.TypeANY {
				if !v.nameOwns(name) {
					return dns.RcodeNameError
				}
			} else if len(v.sets[rrKey{name, h.Rrtype}]) == 0 {
				return dns.RcodeNXRrset
			}
		case dns.ClassNONE:
			if h.Rdlength != 0 {
				return dns.RcodeFormatError
			}
			if h.Rrtype == dns.TypeANY {
				if v.nameOwns(name) {
					return dns.RcodeYXDomain
				}
			} else if len(v.sets[rrKey{name, h.Rrtype}]) != 0 {
				return dns.RcodeYXRrset
			}
		case dns.ClassINET:
			want = addRR(want, rr)
		default:
			return dns.RcodeFormatError
		}
	}
	for k, rrs := range want {
		if !sameRRset(v.sets[k], rrs) {
			return dns.RcodeNXRrset
		}
	}
	return dns.RcodeSuccess
}

// prescan checks the update section before anything changes (RFC 2136 §3.4.1).
func prescan(updates []dns.RR) int {
	for _, rr := range updates {
		h := rr.Header()
		switch h.Class {
		case dns.ClassINET:
			switch h.Rrtype {
			case dns.TypeANY, dns.TypeAXFR, dns.TypeIXFR, dns.TypeMAILA, dns.TypeMAILB, dns.TypeOPT, dns.TypeTSIG:
				return dns.RcodeFormatError
			}
			if noData(rr) {
				return dns.RcodeFormatError // a record to add needs data, as BIND says
			}
		case dns.ClassANY:
			if h.Ttl != 0 || h.Rdlength != 0 {
				return dns.RcodeFormatError
			}
		case dns.ClassNONE:
			if h.Ttl != 0 || h.Rrtype == dns.TypeANY {
				return dns.RcodeFormatError
			}
		default:
			return dns.RcodeFormatError
		}
	}
	return dns.RcodeSuccess
}

// applyUpdate applies one update RR (RFC 2136 §3.4.2) and reports whether it
// could have changed anything. SOA and NS at the apex are never deleted.
func applyUpdate(sets map[rrKey][]dns.RR, origin string, rr dns.RR) bool {
	h := rr.Header()
	name := dns.CanonicalName(h.Name)
	apexProtected := func(t uint16) bool { return name == origin && (t == dns.TypeSOA || t == dns.TypeNS) }
	switch h.Class {
	case dns.ClassINET:
		if h.Rrtype == dns.TypeSOA {
			return false // serials are managed by the server
		}
		if cnameConflict(sets, name, h.Rrtype) {
			return false // RFC 2136 §3.4.2.2: CNAME and other data never mix
		}
		if h.Rrtype == dns.TypeCNAME || h.Rrtype == dns.TypeDNAME {
			delete(sets, rrKey{name, h.Rrtype}) // §3.4.2.2: a singleton is replaced, not joined
		}
		addRR(sets, rr)
	case dns.ClassANY:
		for k := range sets {
			if k.name == name && (h.Rrtype == dns.TypeANY || k.rtype == h.Rrtype) && !apexProtected(k.rtype) {
				delete(sets, k)
			}
		}
	case dns.ClassNONE:
		k := rrKey{name, h.Rrtype}
		if apexProtected(h.Rrtype) && (h.Rrtype == dns.TypeSOA || len(sets[k]) <= 1) {
			return false
		}
		c := dns.Copy(rr)
		c.Header().Class = dns.ClassINET
		removeRR(sets, c)
	}
	return true
}

// sameRRset reports whether a and b hold the same data (TTL ignored).
func sameRRset(a, b []dns.RR) bool {
	if len(a) != len(b) {
		return false
	}
	for _, x := range a {
		found := false
		for _, y := range b {
			if dns.IsDuplicate(x, y) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// sameSets reports whether two zone maps hold the same records and TTLs.
func sameSets(a, b map[rrKey][]dns.RR) bool {
	if len(a) != len(b) {
		return false
	}
	for k, x := range a {
		y := b[k]
		if !sameRRset(x, y) || (len(x) > 0 && x[0].Header().Ttl != y[0].Header().Ttl) {
			return false
		}
	}
	return true
}

// cnameConflict reports whether adding a record of rtype at name would mix
// a CNAME with other data.
func cnameConflict(sets map[rrKey][]dns.RR, name string, rtype uint16) bool {
	for k := range sets {
		if k.name != name || k.rtype == rtype {
			continue
		}
		if rtype == dns.TypeCNAME || k.rtype == dns.TypeCNAME {
			return true
		}
	}
	return false
}
