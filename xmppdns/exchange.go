package xmppdns

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/miekg/dns"
)

// ExchangeFunc sends one DNS message to addr ("ip:port") over network ("udp"
// or "tcp") and returns the reply. It must honour ctx, whose deadline bounds
// the exchange. Tests inject one to answer without a network.
type ExchangeFunc func(ctx context.Context, m *dns.Msg, network, addr string) (*dns.Msg, error)

// Exchange is the default ExchangeFunc: github.com/miekg/dns's Client.
func Exchange(ctx context.Context, m *dns.Msg, network, addr string) (*dns.Msg, error) {
	c := &dns.Client{Net: network}
	if dl, ok := ctx.Deadline(); ok {
		c.Timeout = time.Until(dl)
	}
	r, _, err := c.ExchangeContext(ctx, m, addr)
	return r, err
}

// Defaults of the query settings of Authoritative and Resolver.
const (
	DefaultTimeout = 2 * time.Second // per attempt, per transport
	DefaultRetries = 2               // attempts after the first, per question
)

// errMismatch reports a reply that does not answer the question asked.
var errMismatch = errors.New("reply does not match the query")

type querier struct {
	exchange ExchangeFunc
	timeout  time.Duration
	retries  int
}

func newQuerier(ex ExchangeFunc, timeout time.Duration, retries int) querier {
	if ex == nil {
		ex = Exchange
	}
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	switch {
	case retries == 0:
		retries = DefaultRetries
	case retries < 0:
		retries = 0
	}
	return querier{exchange: ex, timeout: timeout, retries: retries}
}

// ask queries addr for (name, qtype): UDP first, TCP when the UDP reply is
// truncated or times out, up to 1+retries attempts. Any reply that matches
// the question is returned, whatever its rcode; the caller judges it.
func (q querier) ask(ctx context.Context, addr, name string, qtype uint16, rd bool) (*dns.Msg, error) {
	var last error
	for range q.retries + 1 {
		if err := ctx.Err(); err != nil {
			return nil, &QueryError{Server: addr, Name: name, Type: dns.TypeToString[qtype], Rcode: -1, Err: err}
		}
		r, err := q.once(ctx, "udp", addr, name, qtype, rd)
		if err == nil && !r.Truncated {
			return r, nil
		}
		if err == nil || isTimeout(err) {
			r, err = q.once(ctx, "tcp", addr, name, qtype, rd)
			if err == nil {
				return r, nil
			}
		}
		last = err
	}
	return nil, &QueryError{Server: addr, Name: name, Type: dns.TypeToString[qtype], Rcode: -1, Err: last}
}

func (q querier) once(ctx context.Context, network, addr, name string, qtype uint16, rd bool) (*dns.Msg, error) {
	ctx, cancel := context.WithTimeout(ctx, q.timeout)
	defer cancel()
	m := new(dns.Msg)
	m.SetQuestion(name, qtype)
	m.RecursionDesired = rd
	m.SetEdns0(1232, false)
	r, err := q.exchange(ctx, m, network, addr)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", network, addr, err)
	}
	if r == nil || r.Id != m.Id || !r.Response || len(r.Question) != 1 ||
		!strings.EqualFold(r.Question[0].Name, name) || r.Question[0].Qtype != qtype {
		return nil, fmt.Errorf("%s %s: %w", network, addr, errMismatch)
	}
	return r, nil
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout())
}

func rcodeName(rc int) string {
	if s, ok := dns.RcodeToString[rc]; ok {
		return s
	}
	return strconv.Itoa(rc)
}
