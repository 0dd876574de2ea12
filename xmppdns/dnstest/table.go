package dnstest

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/miekg/dns"
)

// Table answers DNS queries from a fixed table of records without sockets:
// its Exchange method has the shape of a DNS client's exchange function
// (xmppdns.ExchangeFunc), for tests of how a client reads replies. Every
// reply has AA set. Names are matched case-insensitively; a name with no
// record of any type and none below it is NXDOMAIN, a name with records of
// other types only, or with records only below it (an empty non-terminal
// such as _tcp.<domain>), NODATA; a CNAME at the name is answered for every
// type, ANY with every record of the name; a message with other than one
// question is FORMERR. It is safe for concurrent use.
type Table struct {
	rrs []dns.RR // fixed by NewTable

	mu     sync.Mutex
	rcode  map[string]int
	asked  map[string]int
	answer func(q dns.Question, r *dns.Msg)
}

// NewTable returns a Table of records in zone-file presentation format
// ("_xmpp-server._tcp.contoso.com. 300 IN SRV 10 0 5269 edge.contoso.com.").
func NewTable(records ...string) (*Table, error) {
	t := &Table{rcode: map[string]int{}, asked: map[string]int{}}
	for _, s := range records {
		rr, err := dns.NewRR(s)
		if err != nil {
			return nil, fmt.Errorf("dnstest: record %q: %w", s, err)
		}
		if rr == nil {
			return nil, fmt.Errorf("dnstest: record %q: empty", s)
		}
		t.rrs = append(t.rrs, rr)
	}
	return t, nil
}

// Records returns the table's records (not copies; do not modify them).
func (t *Table) Records() []dns.RR { return t.rrs }

// SetRcode makes every later reply to questions sent to addr carry rcode
// and no records (dns.RcodeServerFailure: a failing server).
func (t *Table) SetRcode(addr string, rcode int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.rcode[addr] = rcode
}

// SetAnswer replaces the table lookup: answer fills in the reply r (already
// a NOERROR reply with AA set) to question q. nil restores the table. An
// rcode set for the address still takes precedence. answer runs with the
// Table locked: it must not call the Table's other methods except Records.
func (t *Table) SetAnswer(answer func(q dns.Question, r *dns.Msg)) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.answer = answer
}

// Asked returns how many messages were sent to addr.
func (t *Table) Asked(addr string) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.asked[addr]
}

// Exchange answers m as if addr had received it over network. It fails only
// when ctx is done.
func (t *Table) Exchange(ctx context.Context, m *dns.Msg, network, addr string) (*dns.Msg, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.asked[addr]++
	r := new(dns.Msg)
	r.SetReply(m)
	r.Authoritative = true
	if rc, ok := t.rcode[addr]; ok {
		r.Rcode = rc
		return r, nil
	}
	if len(m.Question) != 1 {
		r.Rcode = dns.RcodeFormatError // as BIND and Server: exactly one question
		return r, nil
	}
	q := m.Question[0]
	if t.answer != nil {
		t.answer(q, r)
		return r, nil
	}
	exists := false
	for _, rr := range t.rrs {
		name := rr.Header().Name
		if !dns.IsSubDomain(q.Name, name) {
			continue
		}
		exists = true // the name owns rr, or is an empty non-terminal above it
		if !strings.EqualFold(name, q.Name) {
			continue
		}
		if rt := rr.Header().Rrtype; rt == q.Qtype || rt == dns.TypeCNAME || q.Qtype == dns.TypeANY {
			r.Answer = append(r.Answer, dns.Copy(rr))
		}
	}
	if !exists {
		r.Rcode = dns.RcodeNameError
	}
	return r, nil
}
