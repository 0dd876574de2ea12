package rfc2136

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/miekg/dns"
)

// axfr transfers zone over TCP with TSIG and returns its records, the SOA
// once (first). Every message of the transfer must carry a TSIG that chains
// to the previous one (RFC 8945 §5.3.1), as BIND sends them.
// A GSS-TSIG context the server forgot (BADKEY) is negotiated again, once.
func (c config) axfr(ctx context.Context, zone string) ([]dns.RR, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var rrs []dns.RR
	err := c.signed(ctx, func(sig signer) (err error) {
		rrs, err = c.axfrWith(ctx, zone, sig)
		return err
	})
	return rrs, err
}

// axfrWith is one transfer signed with sig.
func (c config) axfrWith(ctx context.Context, zone string, sig signer) ([]dns.RR, error) {
	deadline := time.Now().Add(c.timeout)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	transport := func(err error) error {
		if ctx.Err() != nil {
			err = ctx.Err()
		}
		return fmt.Errorf("%w: axfr %s to %s: %w", ErrTransport, zone, c.server, err)
	}
	dctx, cancel := context.WithDeadline(ctx, deadline)
	defer cancel()
	conn, err := (&dns.Client{Net: "tcp", Timeout: c.timeout}).DialContext(dctx, c.server)
	if err != nil {
		return nil, transport(err)
	}
	defer conn.Close()
	stop := context.AfterFunc(dctx, func() { conn.SetDeadline(time.Now()) })
	defer stop()
	_ = conn.SetDeadline(deadline)

	m := new(dns.Msg)
	m.SetAxfr(zone)
	wire, mac, err := sig.generate(m)
	if err != nil {
		return nil, transport(err)
	}
	if _, err := conn.Write(wire); err != nil {
		return nil, transport(err)
	}
	var out []dns.RR
	buf := make([]byte, dns.MaxMsgSize)
	for i := 0; ; i++ {
		n, err := conn.Read(buf)
		if err != nil {
			return nil, transport(err)
		}
		r := new(dns.Msg)
		if err := r.Unpack(buf[:n]); err != nil {
			return nil, transport(err)
		}
		if r.Id != m.Id {
			return nil, transport(dns.ErrId)
		}
		if r.Rcode != dns.RcodeSuccess || hasTSIGError(r) {
			return nil, &listErr{checkRcode("axfr", c.server, zone, r)}
		}
		t := r.IsTsig()
		if t == nil {
			return nil, fmt.Errorf("%w: axfr %s from %s: message %d is not signed", ErrResponseSig, zone, c.server, i+1)
		}
		if err := sig.verify(buf[:n], mac, i > 0); err != nil {
			return nil, fmt.Errorf("%w: axfr %s from %s: %w", ErrResponseSig, zone, c.server, err)
		}
		mac = t.MAC
		if len(r.Answer) == 0 || (i == 0 && r.Answer[0].Header().Rrtype != dns.TypeSOA) {
			return nil, transport(errors.New("the transfer does not start with the SOA"))
		}
		for j, rr := range r.Answer {
			if rr.Header().Rrtype == dns.TypeSOA && (i > 0 || j > 0) {
				return out, nil // the closing SOA
			}
			out = append(out, rr)
		}
	}
}
