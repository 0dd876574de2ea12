package rfc2136

import "github.com/miekg/dns"

// isReferral reports whether r, a non-authoritative answer to (name,
// qtype), is the server's referral for a delegation at name: NOERROR, no
// answer, and an NS set owned by name itself in the authority section. The
// NS set of a zone cut belongs to the parent zone (RFC 1034 §4.2.1) but
// servers answer it by referral, so this is how a delegation is read. A
// referral to a cut above name, or for another type, is not an answer.
func isReferral(r *dns.Msg, name string, qtype uint16) bool {
	if r.Authoritative || r.Rcode != dns.RcodeSuccess || len(r.Answer) > 0 || (qtype != dns.TypeNS && qtype != dns.TypeANY) {
		return false
	}
	for _, rr := range r.Ns {
		if h := rr.Header(); h.Rrtype == dns.TypeNS && h.Class == dns.ClassINET && dns.CanonicalName(h.Name) == name {
			return true
		}
	}
	return false
}
