package rfc2136

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/miekg/dns"
)

// tsigRoom is the room kept in a message for its TSIG record.
const tsigRoom = 200

// readAttempts is how many times a query is sent when the server does not
// answer or answers SERVFAIL. Updates are sent once: resending one whose
// answer was lost could report a conflict with itself.
const readAttempts = 3

// query asks (name, qtype) with RD=0 and returns the authoritative answer
// (NOERROR or NXDOMAIN), or the referral that answers the NS set of a
// delegation (see isReferral). Over UDP a truncated answer is asked again
// over TCP.
func (c config) query(ctx context.Context, name string, qtype uint16) (*dns.Msg, error) {
	m := new(dns.Msg)
	m.SetQuestion(name, qtype)
	m.RecursionDesired = false
	m.SetEdns0(dns.DefaultMsgSize, false)
	network := "udp"
	if c.net == "tcp" || qtype == dns.TypeANY {
		network = "tcp" // ANY answers are large
	}
	var last error
	for attempt := range readAttempts {
		if attempt > 0 {
			if err := sleep(ctx, time.Duration(attempt)*50*time.Millisecond); err != nil {
				return nil, fmt.Errorf("%w (no retry: %w)", last, err)
			}
		}
		r, err := c.exchange(ctx, m, network, nil)
		if err == nil && r.Truncated && network == "udp" {
			r, err = c.exchange(ctx, m, "tcp", nil)
		}
		if err == nil {
			err = checkRcode("query", c.server, name, r, dns.RcodeSuccess, dns.RcodeNameError)
		}
		if err == nil && !r.Authoritative && !isReferral(r, name, qtype) {
			return nil, fmt.Errorf("%w: %s %s at %s", ErrNotAuthoritative, name, dns.TypeToString[qtype], c.server)
		}
		if err == nil {
			return r, nil
		}
		last = err
		if ctx.Err() != nil || !(errors.Is(err, ErrTransport) || errors.Is(err, ErrServFail)) {
			break
		}
	}
	return nil, last
}

// update sends a signed UPDATE once and checks its answer.
func (c config) update(ctx context.Context, m *dns.Msg) error {
	size := m.Len()
	if size > dns.MaxMsgSize-tsigRoom {
		return invalid("records", fmt.Sprintf("%d records", len(m.Ns)), "the UPDATE would be %d octets, over the 64 KiB a DNS message holds; split the call", size)
	}
	network := "tcp"
	if c.net == "udp" && size <= dns.MinMsgSize-tsigRoom {
		network = "udp"
	}
	// A truncated answer still carries the rcode; resending the update over
	// TCP could apply it twice, so it is not resent. A GSS-TSIG context the
	// server forgot (BADKEY: refused unread) is negotiated again, once.
	return c.signed(ctx, func(s signer) error {
		r, err := c.exchange(ctx, m, network, &s)
		if err == nil {
			err = checkRcode("update", c.server, m.Question[0].Name, r, dns.RcodeSuccess)
		}
		return err
	})
}

// exchange sends m (signed with sign when it is not nil) and returns the
// answer. It returns the answer even when its TSIG does not verify if the
// answer carries a TSIG error (the server's unsigned BADSIG/BADKEY/BADTIME
// reply).
func (c config) exchange(ctx context.Context, m *dns.Msg, network string, sign *signer) (*dns.Msg, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m = m.Copy()
	m.Id = dns.Id()
	cl := &dns.Client{Net: network, Timeout: c.timeout}
	if sign != nil {
		sign.sign(m, cl)
	}
	xctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	r, _, err := cl.ExchangeContext(xctx, m, c.server)
	if err != nil && r != nil && r.Id == m.Id && (r.Rcode != dns.RcodeSuccess || hasTSIGError(r)) && isTSIGErr(err) {
		// A failure answer whose signature cannot be checked (BIND's unsigned
		// BADSIG/BADKEY answers; miekg refuses to verify any NOTAUTH): it can
		// only make the call fail, never succeed, so its rcode is reported.
		return r, nil
	}
	switch {
	case err == nil:
	case isTSIGErr(err):
		return nil, fmt.Errorf("%w: %s from %s: %w", ErrResponseSig, m.Question[0].Name, c.server, err)
	case ctxEnded(ctx) != nil: // the caller's context ended: say so, and that no answer came
		return nil, fmt.Errorf("%w: %s to %s: %w", ErrTransport, m.Question[0].Name, c.server, ctxEnded(ctx))
	default:
		return nil, fmt.Errorf("%w: %s over %s to %s: %w", ErrTransport, m.Question[0].Name, network, c.server, err)
	}
	if sign != nil && r.IsTsig() == nil && r.Rcode == dns.RcodeSuccess {
		return nil, fmt.Errorf("%w: %s from %s: a signed request got an unsigned NOERROR answer", ErrResponseSig, m.Question[0].Name, c.server)
	}
	return r, nil
}

// checkRcode returns nil when r's rcode is one of ok, else an *RcodeError.
func checkRcode(op, server, name string, r *dns.Msg, ok ...int) error {
	tsigErr := 0
	if t := r.IsTsig(); t != nil {
		tsigErr = int(t.Error)
	}
	if tsigErr == 0 {
		for _, rc := range ok {
			if r.Rcode == rc {
				return nil
			}
		}
	}
	return &RcodeError{Op: op, Server: server, Name: name, Rcode: r.Rcode, TSIGError: tsigErr}
}

// sleep waits d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

func hasTSIGError(r *dns.Msg) bool {
	t := r.IsTsig()
	return t != nil && t.Error != 0
}

// isTSIGErr reports whether err is miekg's verdict on an answer's TSIG.
func isTSIGErr(err error) bool {
	for _, e := range []error{dns.ErrSig, dns.ErrSecret, dns.ErrTime, dns.ErrKeyAlg, dns.ErrAuth, dns.ErrNoSig} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// ctxEnded returns ctx's error, or context.DeadlineExceeded once its deadline
// has passed even if its timer has not fired yet: the socket deadline, set to
// the same instant, may fire first, and the failure is then the context's.
func ctxEnded(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if dl, ok := ctx.Deadline(); ok && !time.Now().Before(dl) {
		return context.DeadlineExceeded
	}
	return nil
}
