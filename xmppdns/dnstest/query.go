package dnstest

import (
	"github.com/miekg/dns"
)

// query fills resp with the authoritative answer to r.
func (s *Server) query(r, resp *dns.Msg, network string, signed bool) {
	if len(r.Question) != 1 {
		resp.Rcode = dns.RcodeFormatError
		return
	}
	q := r.Question[0]
	name := dns.CanonicalName(q.Name)
	z := s.zoneFor(name)
	if z == nil && q.Qtype == dns.TypeAXFR && network == "tcp" {
		resp.Rcode = dns.RcodeNotAuth // as BIND: not authoritative for the zone asked
		return
	}
	if z == nil || (q.Qclass != dns.ClassINET && q.Qclass != dns.ClassANY) {
		resp.Rcode = dns.RcodeRefused // not authoritative, no recursion: as BIND
		return
	}
	v := s.view(z)
	if q.Qtype != dns.TypeAXFR && q.Qtype != dns.TypeIXFR && referral(v, z.origin, name, q.Qtype, resp) {
		return
	}
	resp.Authoritative = true
	answered := false
	switch q.Qtype {
	case dns.TypeAXFR:
		if network != "tcp" || !signed {
			resp.Authoritative = false
			resp.Rcode = dns.RcodeRefused // transfers need TCP and a key
			return
		}
		if name != z.origin {
			resp.Authoritative = false
			resp.Rcode = dns.RcodeNotAuth
			return
		}
		soa := v.soa(z.origin)
		resp.Answer = append(v.records(), dns.Copy(soa))
		return
	case dns.TypeIXFR:
		resp.Authoritative = false
		resp.Rcode = dns.RcodeNotImplemented
		return
	case dns.TypeANY:
		for k, rrs := range v.sets {
			if k.name == name {
				resp.Answer = append(resp.Answer, copyRRs(rrs)...)
			}
		}
	default:
		// Follow CNAMEs inside the zone, as BIND does (at most 8 links).
		for range 8 {
			if rrs := v.sets[rrKey{name, q.Qtype}]; len(rrs) > 0 || q.Qtype == dns.TypeCNAME {
				resp.Answer = append(resp.Answer, copyRRs(rrs)...)
				answered = len(rrs) > 0
				break
			}
			cname := v.sets[rrKey{name, dns.TypeCNAME}]
			if len(cname) == 0 {
				break
			}
			resp.Answer = append(resp.Answer, copyRRs(cname)...)
			name = dns.CanonicalName(cname[0].(*dns.CNAME).Target)
			if !dns.IsSubDomain(z.origin, name) {
				return // out of zone: the client follows it
			}
		}
	}
	if answered || (q.Qtype == dns.TypeANY && len(resp.Answer) > 0) {
		switch {
		case name == z.origin && q.Qtype == dns.TypeNS:
			resp.Extra = glue(v, z.origin, resp.Answer)
		case !r.RecursionDesired: // BIND's minimal-responses no-auth-recursive
			resp.Ns = copyRRs(v.sets[rrKey{z.origin, dns.TypeNS}])
			if q.Qtype != dns.TypeANY {
				resp.Extra = glue(v, z.origin, resp.Ns)
			}
		}
		return
	}
	if !v.nameExists(name) {
		resp.Rcode = dns.RcodeNameError
	}
	soa := dns.Copy(v.soa(z.origin)).(*dns.SOA)
	soa.Hdr.Ttl = min(soa.Hdr.Ttl, soa.Minttl) // RFC 2308 §3
	resp.Ns = []dns.RR{soa}
}

// glue returns the addresses of the in-zone targets of ns.
func glue(v *version, origin string, ns []dns.RR) []dns.RR {
	var out []dns.RR
	for _, rr := range ns {
		t := dns.CanonicalName(rr.(*dns.NS).Ns)
		if dns.IsSubDomain(origin, t) {
			out = append(out, copyRRs(v.sets[rrKey{t, dns.TypeA}])...)
			out = append(out, copyRRs(v.sets[rrKey{t, dns.TypeAAAA}])...)
		}
	}
	return out
}

// referral answers a name at or below a zone cut (an NS RRset below the
// apex) as BIND does: not authoritative, no answer, the cut's NS set in the
// authority section and its in-zone addresses as glue. DS at the cut is
// the parent's own data and is answered normally.
func referral(v *version, origin, name string, qtype uint16, resp *dns.Msg) bool {
	for n := name; n != origin && dns.IsSubDomain(origin, n); {
		if ns := v.sets[rrKey{n, dns.TypeNS}]; len(ns) > 0 && !(n == name && qtype == dns.TypeDS) {
			resp.Ns = copyRRs(ns)
			resp.Extra = glue(v, origin, ns)
			return true
		}
		i, end := dns.NextLabel(n, 0)
		if end {
			break
		}
		n = n[i:]
	}
	return false
}
