package xmppdns

import (
	"context"
	"slices"
	"strings"

	"github.com/miekg/dns"
	"github.com/xmppfed/edgefailover/internal/dnsname"
)

// FindZone returns the apex of the zone that holds name (absolute, lower
// case), asking the Resolvers for the SOA of name, then of each parent in
// turn, until one answers with the SOA of that name; an SOA in the
// authority section of a negative answer names the apex at once.
func (a *Authoritative) FindZone(ctx context.Context, name string) (string, error) {
	n, err := dnsname.ParseOwner(name)
	if err != nil {
		return "", &InputError{Field: "name", Value: name, Reason: nameReason(err)}
	}
	for cand := n + "."; cand != "."; cand = parent(cand) {
		m, err := a.recurse(ctx, cand, dns.TypeSOA)
		if err != nil {
			return "", err
		}
		if apex := apexFromMsg(cand, m); apex != "" {
			return apex, nil
		}
	}
	return "", &QueryError{Server: strings.Join(a.Resolvers, ","), Name: n + ".", Type: "SOA", Rcode: -1, Err: ErrNoAnswer}
}

// apexFromMsg returns the zone apex a reply to "cand SOA" reveals, or "".
func apexFromMsg(cand string, m *dns.Msg) string {
	for _, rr := range m.Answer {
		if soa, ok := rr.(*dns.SOA); ok && strings.EqualFold(soa.Hdr.Name, cand) {
			return strings.ToLower(cand)
		}
	}
	for _, rr := range m.Ns {
		if soa, ok := rr.(*dns.SOA); ok && soa.Hdr.Name != "." && dnsname.IsSubdomain(cand, soa.Hdr.Name) {
			if _, err := dnsname.ParseOwner(soa.Hdr.Name); err == nil {
				return lowerAbs(soa.Hdr.Name)
			}
		}
	}
	return ""
}

// Nameservers returns every address of every name server of zone: the NS
// set as the Resolvers give it, each host mapped through Addrs or looked up
// (A and AAAA, port 53). A host without an address is listed with an empty
// Addr, so a check reports it rather than forgetting it.
func (a *Authoritative) Nameservers(ctx context.Context, zone string) ([]Nameserver, error) {
	z, err := dnsname.ParseOwner(zone)
	if err != nil {
		return nil, &InputError{Field: "zone", Value: zone, Reason: nameReason(err)}
	}
	m, err := a.recurse(ctx, z+".", dns.TypeNS)
	if err != nil {
		return nil, err
	}
	var hosts []string
	for _, rr := range m.Answer {
		if ns, ok := rr.(*dns.NS); ok && strings.EqualFold(ns.Hdr.Name, z+".") {
			hosts = append(hosts, lowerAbs(ns.Ns))
		}
	}
	slices.Sort(hosts)
	hosts = slices.Compact(hosts)
	if len(hosts) == 0 {
		return nil, &QueryError{Server: strings.Join(a.Resolvers, ","), Name: z + ".", Type: "NS", Rcode: -1, Err: ErrNoAnswer}
	}
	var out []Nameserver
	for _, h := range hosts {
		if addr, ok := a.override(h); ok {
			out = append(out, Nameserver{Host: h, Addr: addr})
			continue
		}
		n := len(out)
		types := []uint16{dns.TypeA, dns.TypeAAAA}
		if a.NoIPv6 {
			types = types[:1]
		}
		for _, t := range types {
			m, err := a.recurse(ctx, h, t)
			if err != nil {
				if ctx.Err() != nil {
					return nil, err
				}
				continue
			}
			for _, rr := range m.Answer {
				switch v := rr.(type) {
				case *dns.A:
					out = append(out, Nameserver{Host: h, Addr: hostPort53(v.A.String())})
				case *dns.AAAA:
					out = append(out, Nameserver{Host: h, Addr: hostPort53(v.AAAA.String())})
				}
			}
		}
		if len(out) == n {
			out = append(out, Nameserver{Host: h})
		}
	}
	return out, nil
}

func (a *Authoritative) override(host string) (string, bool) {
	for k, v := range a.Addrs {
		if dnsname.Equal(k, host) {
			return v, true
		}
	}
	return "", false
}

// recurse asks the Resolvers in order, recursion desired, and returns the
// first NOERROR or NXDOMAIN reply.
func (a *Authoritative) recurse(ctx context.Context, name string, qtype uint16) (*dns.Msg, error) {
	if len(a.Resolvers) == 0 {
		return nil, inputErr("Authoritative.Resolvers", "", "at least one resolver address is needed")
	}
	q := newQuerier(a.Exchange, a.Timeout, a.Retries)
	var last error
	for _, r := range a.Resolvers {
		m, err := q.ask(ctx, r, name, qtype, true)
		if err != nil {
			last = err
			continue
		}
		if m.Rcode != dns.RcodeSuccess && m.Rcode != dns.RcodeNameError {
			last = &QueryError{Server: r, Name: name, Type: dns.TypeToString[qtype], Rcode: m.Rcode}
			continue
		}
		return m, nil
	}
	return nil, last
}

func parent(name string) string {
	i := strings.IndexByte(name, '.')
	if i < 0 || i == len(name)-1 {
		return "."
	}
	return name[i+1:]
}
