package xmppdns

import (
	"context"
	"fmt"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/miekg/dns"
	"github.com/xmppfed/edgefailover/internal/dnsname"
)

// Authoritative checks RRsets on every authoritative server of their zone,
// as ACME clients check a DNS-01 challenge: find the zone apex by walking
// SOA queries up the labels, read its NS set, resolve each name server's
// addresses, then ask every address directly without recursion. Set its
// fields before first use; it is then safe for concurrent use.
type Authoritative struct {
	// Resolvers (ip:port) answer the SOA walk, the NS set and the name
	// servers' addresses (recursion desired), asked in order. Required
	// unless every step is answered otherwise: point them at a resolver that
	// sees the public view when the zone is split-horizon.
	Resolvers []string
	// Addrs maps a name server's host name to the ip:port to ask it at,
	// instead of looking its addresses up (firewalled or split-horizon name
	// servers, servers on test ports). Keys are matched case-insensitively,
	// with or without the trailing dot.
	Addrs map[string]string
	// Exchange sends the queries; nil means the package's Exchange.
	Exchange ExchangeFunc
	// Timeout bounds each attempt; 0 means DefaultTimeout.
	Timeout time.Duration
	// Retries is the number of attempts after the first for each question;
	// 0 means DefaultRetries, negative means none.
	Retries int
	// NoIPv6 asks name servers only at their IPv4 addresses, for hosts
	// without IPv6 connectivity (AAAA addresses would only time out).
	NoIPv6 bool
}

// Check asks every authoritative server of the zone of expected[0] for
// every expected RRset (all must lie in that zone) and reports, per server
// and per RRset, what it answered and whether that matches. An RRset
// without Data is expected absent (NXDOMAIN or NODATA). TTLs are not
// compared. Servers that fail to answer are reported in the Report; the
// error is for failing to find the zone or its name servers.
func (a *Authoritative) Check(ctx context.Context, expected ...RRset) (*Report, error) {
	zone, servers, want, err := a.prepare(ctx, expected)
	if err != nil {
		return nil, err
	}
	return a.poll(ctx, zone, servers, want), nil
}

// WaitConverged checks the expected RRsets every interval until every
// authoritative server matches, and returns that report. The zone and its
// servers are found once. When ctx ends first it returns the last report
// with ctx's error.
func (a *Authoritative) WaitConverged(ctx context.Context, interval time.Duration, expected ...RRset) (*Report, error) {
	if interval <= 0 {
		return nil, inputErr("interval", interval.String(), "must be positive")
	}
	zone, servers, want, err := a.prepare(ctx, expected)
	if err != nil {
		return nil, err
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		rep := a.poll(ctx, zone, servers, want)
		if rep.Converged {
			return rep, nil
		}
		select {
		case <-ctx.Done():
			return rep, fmt.Errorf("xmppdns: waiting for %d servers of %s to converge: %w", len(servers), zone, ctx.Err())
		case <-t.C:
		}
	}
}

func (a *Authoritative) prepare(ctx context.Context, expected []RRset) (string, []Nameserver, []RRset, error) {
	if len(expected) == 0 {
		return "", nil, nil, inputErr("expected", "", "at least one RRset is needed")
	}
	want := make([]RRset, len(expected))
	for i, e := range expected {
		n, err := dnsname.ParseOwner(e.Name)
		if err != nil {
			return "", nil, nil, &InputError{Field: fmt.Sprintf("expected[%d].Name", i), Value: e.Name, Reason: nameReason(err)}
		}
		if _, ok := dns.StringToType[e.Type]; !ok || e.Type == "" {
			return "", nil, nil, inputErr(fmt.Sprintf("expected[%d].Type", i), e.Type, "unknown RR type")
		}
		want[i] = RRset{Name: n + ".", Type: e.Type, TTL: e.TTL, Data: normalizeData(e.Type, e.Data)}
	}
	zone, err := a.FindZone(ctx, want[0].Name)
	if err != nil {
		return "", nil, nil, err
	}
	for i, w := range want {
		if !dnsname.IsSubdomain(w.Name, zone) {
			return "", nil, nil, inputErr(fmt.Sprintf("expected[%d].Name", i), w.Name, "not in zone %s", zone)
		}
	}
	servers, err := a.Nameservers(ctx, zone)
	if err != nil {
		return "", nil, nil, err
	}
	return zone, servers, want, nil
}

// poll asks every server for every set, all questions at once (a dead
// server costs one question's timeout and retries, not one per set).
func (a *Authoritative) poll(ctx context.Context, zone string, servers []Nameserver, want []RRset) *Report {
	q := newQuerier(a.Exchange, a.Timeout, a.Retries)
	rep := &Report{Zone: zone, Servers: make([]NameserverResult, len(servers)), Converged: len(servers) > 0}
	var wg sync.WaitGroup
	for i, s := range servers {
		res := &rep.Servers[i]
		*res = NameserverResult{Nameserver: s, Sets: make([]SetResult, len(want))}
		for j, w := range want {
			if s.Addr == "" {
				res.Sets[j] = SetResult{Name: w.Name, Type: w.Type, Rcode: -1}
				continue
			}
			wg.Go(func() { res.Sets[j] = askSet(ctx, q, s.Addr, w) })
		}
		if s.Addr == "" {
			res.Err = &QueryError{Server: s.Host, Name: s.Host, Type: "A/AAAA", Rcode: -1, Err: ErrNoAnswer}
		}
	}
	wg.Wait()
	for i := range rep.Servers {
		res := &rep.Servers[i]
		res.Match = res.Err == nil
		for _, sr := range res.Sets {
			res.Match = res.Match && sr.Match
		}
		rep.Converged = rep.Converged && res.Match
	}
	return rep
}

func askSet(ctx context.Context, q querier, addr string, want RRset) SetResult {
	res := SetResult{Name: want.Name, Type: want.Type, Rcode: -1}
	m, err := q.ask(ctx, addr, want.Name, dns.StringToType[want.Type], false)
	if err != nil {
		res.Err = err
		return res
	}
	return setResultFromMsg(want, m)
}

// setResultFromMsg judges one server's reply against the expected RRset.
func setResultFromMsg(want RRset, m *dns.Msg) SetResult {
	res := SetResult{Name: want.Name, Type: want.Type, Rcode: m.Rcode, Authoritative: m.Authoritative}
	qtype := dns.StringToType[want.Type]
	var data []string
	alias := false
	for _, rr := range m.Answer {
		h := rr.Header()
		if !strings.EqualFold(h.Name, want.Name) {
			continue
		}
		switch h.Rrtype {
		case qtype:
			data = append(data, strings.TrimPrefix(rr.String(), h.String()))
		case dns.TypeCNAME:
			alias = true // the name is an alias: its own RRsets do not exist
		}
	}
	res.Seen = normalizeData(want.Type, data)
	got := RRset{Name: want.Name, Type: want.Type, Data: res.Seen}
	switch m.Rcode {
	case dns.RcodeSuccess:
		res.Match = m.Authoritative && !alias && got.SameData(want)
	case dns.RcodeNameError:
		res.Match = m.Authoritative && !want.Exists()
	}
	return res
}

// hostPort53 joins an address with the DNS port.
func hostPort53(ip string) string { return net.JoinHostPort(ip, "53") }
