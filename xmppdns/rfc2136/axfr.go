package rfc2136

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/miekg/dns"
)

// axfr transfers zone over TCP with TSIG and returns its records, the SOA
// once (first).
func (c config) axfr(ctx context.Context, zone string) ([]dns.RR, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	deadline := time.Now().Add(c.timeout)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	dctx, cancel := context.WithDeadline(ctx, deadline)
	defer cancel()
	cl := &dns.Client{Net: "tcp", Timeout: c.timeout}
	conn, err := cl.DialContext(dctx, c.server)
	if err != nil {
		return nil, fmt.Errorf("%w: axfr %s to %s: %w", ErrTransport, zone, c.server, err)
	}
	defer conn.Close()
	stop := context.AfterFunc(dctx, func() { conn.SetDeadline(time.Now()) })
	defer stop()
	_ = conn.SetDeadline(deadline)

	t := &dns.Transfer{Conn: conn, TsigSecret: map[string]string{c.key: c.secret}}
	m := new(dns.Msg)
	m.SetAxfr(zone)
	m.SetTsig(c.key, c.alg, 300, time.Now().Unix())
	if err := t.WriteMsg(m); err != nil {
		return nil, fmt.Errorf("%w: axfr %s to %s: %w", ErrTransport, zone, c.server, err)
	}
	var out []dns.RR
	soas := 0
	for soas < 2 {
		r, err := t.ReadMsg()
		if r != nil && r.Rcode != dns.RcodeSuccess || r != nil && r.IsTsig() != nil && r.IsTsig().Error != 0 {
			return nil, &listErr{checkRcode("axfr", c.server, zone, r)}
		}
		switch {
		case err == nil:
		case errors.Is(err, dns.ErrSig), errors.Is(err, dns.ErrSecret), errors.Is(err, dns.ErrTime):
			return nil, fmt.Errorf("%w: axfr %s from %s: %w", ErrResponseSig, zone, c.server, err)
		case ctx.Err() != nil:
			return nil, fmt.Errorf("%w: axfr %s to %s: %w", ErrTransport, zone, c.server, ctx.Err())
		default:
			return nil, fmt.Errorf("%w: axfr %s to %s: %w", ErrTransport, zone, c.server, err)
		}
		if len(out) == 0 && (len(r.Answer) == 0 || r.Answer[0].Header().Rrtype != dns.TypeSOA) {
			return nil, fmt.Errorf("%w: axfr %s from %s: the transfer does not start with the SOA", ErrTransport, zone, c.server)
		}
		for _, rr := range r.Answer {
			if rr.Header().Rrtype == dns.TypeSOA {
				soas++
				if soas == 2 {
					break
				}
			}
			out = append(out, rr)
		}
		if len(r.Answer) == 0 {
			return nil, fmt.Errorf("%w: axfr %s from %s: empty message in the transfer", ErrTransport, zone, c.server)
		}
	}
	return out, nil
}
