package xmppdns

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/miekg/dns"
)

// fakeDNS is an injectable ExchangeFunc answering from a table of records,
// for tests of reply interpretation without sockets. Names are matched
// case-insensitively; a name with no record of any type is NXDOMAIN, a
// name with records of other types NODATA. rcode forces a failure rcode per
// server address; asked counts questions per address.
type fakeDNS struct {
	mu     sync.Mutex
	rrs    []dns.RR
	rcode  map[string]int
	asked  map[string]int
	answer func(q dns.Question, r *dns.Msg) // optional override
}

func newFakeDNS(records ...string) *fakeDNS {
	f := &fakeDNS{rcode: map[string]int{}, asked: map[string]int{}}
	for _, s := range records {
		rr, err := dns.NewRR(s)
		if err != nil {
			panic(fmt.Sprintf("%q: %v", s, err))
		}
		f.rrs = append(f.rrs, rr)
	}
	return f
}

func (f *fakeDNS) exchange(ctx context.Context, m *dns.Msg, network, addr string) (*dns.Msg, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.asked[addr]++
	r := new(dns.Msg)
	r.SetReply(m)
	r.Authoritative = true
	if rc, ok := f.rcode[addr]; ok {
		r.Rcode = rc
		return r, nil
	}
	q := m.Question[0]
	if f.answer != nil {
		f.answer(q, r)
		return r, nil
	}
	exists := false
	for _, rr := range f.rrs {
		if !strings.EqualFold(rr.Header().Name, q.Name) {
			continue
		}
		exists = true
		if rr.Header().Rrtype == q.Qtype || rr.Header().Rrtype == dns.TypeCNAME {
			r.Answer = append(r.Answer, dns.Copy(rr))
		}
	}
	if !exists {
		r.Rcode = dns.RcodeNameError
	}
	return r, nil
}
