package xmppdns

import (
	"slices"
	"strings"

	"github.com/miekg/dns"
	"github.com/xmppfed/edgefailover/internal/dnsname"
)

// Candidate is one host:port a remote XMPP server would try to reach a
// domain, in the order it would try them.
type Candidate struct {
	Host     string `json:"host"` // lower case, no trailing dot
	Port     uint16 `json:"port"`
	Priority uint16 `json:"priority"`
	Weight   uint16 `json:"weight"`
	FromSRV  bool   `json:"from_srv"` // false for the fallback to the domain itself
}

// srvAnswers returns the SRV records that answer qname in m, following a
// CNAME chain inside the answer section (bounded, loops ignored).
func srvAnswers(qname string, m *dns.Msg) []*dns.SRV {
	name := qname
	for range 8 {
		next := ""
		for _, rr := range m.Answer {
			if c, ok := rr.(*dns.CNAME); ok && strings.EqualFold(c.Hdr.Name, name) {
				next = c.Target
				break
			}
		}
		if next == "" {
			break
		}
		name = next
	}
	var out []*dns.SRV
	for _, rr := range m.Answer {
		if s, ok := rr.(*dns.SRV); ok && strings.EqualFold(s.Hdr.Name, name) {
			out = append(out, s)
		}
	}
	return out
}

// usable turns SRV records into candidates in answer order, dropping the
// ones a server could not dial: target "." (when mixed with others), port 0,
// or a target that is not a host name.
func usable(srvs []*dns.SRV) []Candidate {
	var out []Candidate
	for _, s := range srvs {
		if s.Target == "." || s.Port == 0 {
			continue
		}
		host, err := dnsname.ParseFQDN(s.Target)
		if err != nil {
			continue
		}
		out = append(out, Candidate{Host: host, Port: s.Port, Priority: s.Priority, Weight: s.Weight, FromSRV: true})
	}
	return out
}

// order sorts candidates as RFC 2782 prescribes: ascending priority; within
// one priority, repeatedly pick a record at random with probability
// proportional to its weight, records of weight 0 placed first so that they
// have a small chance when others weigh more. n(k) must return a uniform
// integer in [0, k).
func order(cs []Candidate, n func(uint64) uint64) []Candidate {
	cs = slices.Clone(cs)
	slices.SortStableFunc(cs, func(a, b Candidate) int { return int(a.Priority) - int(b.Priority) })
	out := make([]Candidate, 0, len(cs))
	for len(cs) > 0 {
		end := 1
		for end < len(cs) && cs[end].Priority == cs[0].Priority {
			end++
		}
		group := slices.Clone(cs[:end])
		cs = cs[end:]
		slices.SortStableFunc(group, func(a, b Candidate) int {
			return boolInt(a.Weight != 0) - boolInt(b.Weight != 0)
		})
		for len(group) > 0 {
			var sum uint64
			for _, c := range group {
				sum += uint64(c.Weight)
			}
			r := n(sum + 1)
			var run uint64
			pick := len(group) - 1
			for i, c := range group {
				run += uint64(c.Weight)
				if run >= r {
					pick = i
					break
				}
			}
			out = append(out, group[pick])
			group = slices.Delete(group, pick, pick+1)
		}
	}
	return out
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
