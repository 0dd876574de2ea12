package xmppdns

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net"
	"sync"
	"time"

	"github.com/miekg/dns"
	"github.com/xmppfed/edgefailover/internal/dnsname"
)

// Resolver resolves a domain the way a remote XMPP server does before it
// connects (RFC 6120 §3.2.1, RFC 2782), through recursive resolvers. Set
// its fields before first use; a Resolver is then safe for concurrent use.
type Resolver struct {
	// Servers are the recursive resolvers (ip:port), asked in order until
	// one answers NOERROR or NXDOMAIN. Required.
	Servers []string
	// Exchange sends the queries; nil means the package's Exchange.
	Exchange ExchangeFunc
	// Timeout bounds each attempt; 0 means DefaultTimeout.
	Timeout time.Duration
	// Retries is the number of attempts after the first for each question;
	// 0 means DefaultRetries, negative means none.
	Retries int
	// Rand chooses among records of equal priority; nil uses the runtime's
	// random source. Set it (e.g. rand.New(rand.NewPCG(1, 2))) for a
	// deterministic order in tests.
	Rand *rand.Rand

	mu sync.Mutex // guards Rand
}

// Candidates returns the host:port pairs a remote server would try for
// domain, in order:
//
//   - the SRV set of _xmpp-server._tcp.<domain>, lowest priority first,
//     weighted random among equal priorities; CNAMEs in the answer are
//     followed; records with target "." (when mixed), port 0 or a target
//     that is not a host name are left out;
//   - a single SRV record with target "." gives ErrServiceNotAvailable;
//   - no SRV answer at all (NXDOMAIN or NODATA) gives the fallback, the
//     domain itself on DefaultPort with FromSRV false;
//   - an SRV answer whose records are all unusable gives an error matching
//     ErrMalformed, without fallback.
//
// When SRV targets are published but none can be reached, RFC 6120 says the
// server SHOULD NOT fall back to the domain: dialing is the caller's, and it
// should not add the domain itself after the candidates fail.
//
// Errors are for failures to ask: an invalid domain (*InputError), no
// resolver answering or all answering SERVFAIL/REFUSED (*QueryError).
func (r *Resolver) Candidates(ctx context.Context, domain string) ([]Candidate, error) {
	d, err := dnsname.ParseFQDN(domain)
	if err != nil {
		return nil, &InputError{Field: "domain", Value: domain, Reason: nameReason(err)}
	}
	if err := checkSRVDomain("domain", domain, d); err != nil {
		return nil, err
	}
	if len(r.Servers) == 0 {
		return nil, inputErr("Resolver.Servers", "", "at least one resolver address is needed")
	}
	q := newQuerier(r.Exchange, r.Timeout, r.Retries)
	qname := SRVName(d)
	var last error
	for _, srv := range r.Servers {
		m, err := q.ask(ctx, srv, qname, dns.TypeSRV, true)
		if err != nil {
			last = err
			continue
		}
		if m.Rcode != dns.RcodeSuccess && m.Rcode != dns.RcodeNameError {
			last = &QueryError{Server: srv, Name: qname, Type: "SRV", Rcode: m.Rcode}
			continue
		}
		return candidatesFromMsg(d, qname, m, r.intN)
	}
	return nil, last
}

// candidatesFromMsg interprets a NOERROR or NXDOMAIN answer to qname.
func candidatesFromMsg(domain, qname string, m *dns.Msg, n func(uint64) uint64) ([]Candidate, error) {
	srvs := srvAnswers(qname, m)
	if m.Rcode == dns.RcodeNameError || len(srvs) == 0 {
		return []Candidate{{Host: domain, Port: DefaultPort}}, nil
	}
	if len(srvs) == 1 && srvs[0].Target == "." {
		return nil, ErrServiceNotAvailable
	}
	cs := usable(srvs)
	if len(cs) == 0 {
		return nil, fmt.Errorf("xmppdns: %s: no usable SRV target: %w", qname, ErrMalformed)
	}
	return order(cs, n), nil
}

// ResolvConf returns the name servers of a resolv.conf file (e.g.
// "/etc/resolv.conf") as ip:port addresses, for Resolver.Servers.
func ResolvConf(path string) ([]string, error) {
	cc, err := dns.ClientConfigFromFile(path)
	if err != nil {
		return nil, fmt.Errorf("xmppdns: reading %s: %w", path, err)
	}
	out := make([]string, 0, len(cc.Servers))
	for _, s := range cc.Servers {
		out = append(out, net.JoinHostPort(s, cc.Port))
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("xmppdns: %s names no server: %w", path, ErrNoAnswer)
	}
	return out, nil
}

func (r *Resolver) intN(k uint64) uint64 {
	if r.Rand == nil {
		return rand.Uint64N(k)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.Rand.Uint64N(k)
}
