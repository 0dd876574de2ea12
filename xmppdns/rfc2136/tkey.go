package rfc2136

import (
	"context"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"sync/atomic"
	"time"

	"github.com/jcmturner/gokrb5/v8/client"
	"github.com/miekg/dns"
)

// tkeyLifetime is the lifetime asked for a negotiated context (servers may
// shorten it; AD keeps contexts for the ticket's life).
const tkeyLifetime = time.Hour

// gssStats counts what the Kerberos configuration cost.
type gssStats struct {
	negotiations atomic.Int64 // contexts negotiated
	tkeys        atomic.Int64 // TKEY queries sent
}

// KerberosStats counts the GSS-TSIG negotiations of a Kerberos value.
type KerberosStats struct {
	Negotiations  int64 // security contexts established
	TKEYExchanges int64 // TKEY queries sent (one per context with Kerberos)
}

// Stats returns the negotiations so far, for metrics: more than one per
// server and ticket lifetime means contexts are being lost.
func (k *Kerberos) Stats() KerberosStats {
	return KerberosStats{Negotiations: k.stats.negotiations.Load(), TKEYExchanges: k.stats.tkeys.Load()}
}

// gssKey names a cached context: one per server and SPN.
func gssKey(server, spn string) string { return server + " " + spn }

// context returns a usable security context with c's server, negotiating
// one (RFC 3645 §3.1: TKEY mode 3) when there is none or it is about to
// expire. Calls that find none while another call negotiates wait for that
// negotiation and take its context; if it fails, one of them negotiates.
func (k *Kerberos) context(ctx context.Context, c config) (*gssContext, error) {
	id := gssKey(c.server, c.spn)
	for {
		k.mu.Lock()
		if g := k.sessions[id]; g.usable(time.Now()) {
			k.mu.Unlock()
			return g, nil
		}
		wait, busy := k.pending[id]
		if !busy {
			done := make(chan struct{})
			if k.pending == nil {
				k.pending = map[string]chan struct{}{}
			}
			k.pending[id] = done
			k.mu.Unlock()
			return k.negotiateFor(ctx, c, id, done)
		}
		k.mu.Unlock()
		select {
		case <-wait:
		case <-ctx.Done():
			return nil, fmt.Errorf("%w: waiting for a negotiation with %s: %w", ErrKerberos, c.server, ctx.Err())
		}
	}
}

// negotiateFor negotiates the context id, keeps it when it is established,
// and wakes the calls waiting for it (done).
func (k *Kerberos) negotiateFor(ctx context.Context, c config, id string, done chan struct{}) (*gssContext, error) {
	g, err := k.negotiate(ctx, c)
	k.mu.Lock()
	defer k.mu.Unlock()
	delete(k.pending, id)
	close(done)
	if err != nil {
		return nil, err
	}
	if k.sessions == nil {
		k.sessions = map[string]*gssContext{}
	}
	k.sessions[id] = g
	return g, nil
}

// forget drops g (the server answered BADKEY: it no longer knows it).
func (k *Kerberos) forget(c config, g *gssContext) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if id := gssKey(c.server, c.spn); k.sessions[id] == g {
		delete(k.sessions, id)
	}
}

// krbClient returns the Kerberos client, made once per Kerberos value (its
// ticket-granting ticket and service tickets are cached there).
func (k *Kerberos) krbClient() (*client.Client, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.cl != nil {
		return k.cl, nil
	}
	cl, err := k.client()
	if err != nil {
		return nil, err
	}
	k.cl = cl
	return cl, nil
}

// negotiate gets a service ticket (the KDC exchanges run in a goroutine
// bounded by gokrb5's own network timeouts; the call returns when ctx ends)
// and exchanges TKEY records with the server until the context is
// established.
func (k *Kerberos) negotiate(ctx context.Context, c config) (*gssContext, error) {
	cl, err := k.krbClient()
	if err != nil {
		return nil, err
	}
	keyName := fmt.Sprintf("%d.sig-edgefailover.", rand.Uint32())
	type started struct {
		g   *gssContext
		tok []byte
		err error
	}
	done := make(chan started, 1)
	go func() {
		if err := cl.AffirmLogin(); err != nil {
			done <- started{err: fmt.Errorf("%w: login as %s@%s: %w", ErrKerberos, cl.Credentials.UserName(), cl.Credentials.Realm(), err)}
			return
		}
		g, tok, err := initiate(cl, c.spn, keyName)
		done <- started{g, tok, err}
	}()
	var s started
	select {
	case s = <-done:
	case <-ctx.Done():
		return nil, fmt.Errorf("%w: waiting for the KDC: %w", ErrKerberos, ctx.Err())
	}
	if s.err != nil {
		return nil, s.err
	}
	// Kerberos with mutual authentication takes one TKEY exchange: the
	// AP-REQ out, the AP-REP back.
	k.stats.tkeys.Add(1)
	tk, later, err := c.tkey(ctx, keyName, s.tok)
	if err != nil {
		return nil, err
	}
	in, err := hex.DecodeString(tk.Key)
	if err != nil || len(in) == 0 {
		return nil, fmt.Errorf("%w: TKEY answer from %s carries no token", ErrKerberos, c.server)
	}
	if err := s.g.finish(in); err != nil {
		return nil, err
	}
	if err := later.check(s.g); err != nil {
		return nil, fmt.Errorf("%w: the TKEY answer from %s: %w", ErrResponseSig, c.server, err)
	}
	if exp := time.Unix(int64(tk.Expiration), 0); tk.Expiration != 0 && exp.Before(s.g.expiry) {
		s.g.expiry = exp
	}
	k.stats.negotiations.Add(1)
	return s.g, nil
}

// tkey sends one TKEY query (RFC 2930 §4, RFC 3645 §3.1.1: the token in the
// additional section, over TCP) and returns the answer's TKEY record.
func (c config) tkey(ctx context.Context, keyName string, token []byte) (*dns.TKEY, *laterVerify, error) {
	now := time.Now()
	m := new(dns.Msg)
	m.Id = dns.Id()
	m.Question = []dns.Question{{Name: keyName, Qtype: dns.TypeTKEY, Qclass: dns.ClassANY}}
	m.Extra = []dns.RR{&dns.TKEY{
		Hdr:       dns.RR_Header{Name: keyName, Rrtype: dns.TypeTKEY, Class: dns.ClassANY},
		Algorithm: GSSAlgorithm, Mode: 3, // GSS-API negotiation
		Inception: uint32(now.Unix()), Expiration: uint32(now.Add(tkeyLifetime).Unix()),
		KeySize: uint16(len(token)), Key: hex.EncodeToString(token),
	}}
	// BIND and Windows sign the answer that completes the context with that
	// context (RFC 3645 §4.1.3): the signature is kept and checked once the
	// AP-REP it carries established the context.
	later := &laterVerify{}
	r, err := c.exchange(ctx, m, "tcp", &signer{verifyOnly: later})
	if err != nil {
		return nil, nil, err
	}
	tk, err := c.tkeyRecord(r, keyName)
	if err != nil {
		return nil, nil, err
	}
	return tk, later, nil
}

// tkeyRecord checks a TKEY answer and returns its TKEY record.
func (c config) tkeyRecord(r *dns.Msg, keyName string) (*dns.TKEY, error) {
	if err := checkRcode("tkey", c.server, keyName, r, dns.RcodeSuccess); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrKerberos, err)
	}
	for _, rr := range r.Answer {
		if t, ok := rr.(*dns.TKEY); ok && dns.CanonicalName(t.Hdr.Name) == keyName {
			if t.Error != 0 {
				return nil, fmt.Errorf("%w: %w", ErrKerberos, &RcodeError{Op: "tkey", Server: c.server, Name: keyName, Rcode: r.Rcode, TSIGError: int(t.Error)})
			}
			return t, nil
		}
	}
	return nil, fmt.Errorf("%w: the TKEY answer from %s has no TKEY record for %s", ErrKerberos, c.server, keyName)
}

// laterVerify keeps the TSIG of a TKEY answer, signed with a context that is
// established only once the answer is read, to check it then.
type laterVerify struct {
	msg []byte
	t   *dns.TSIG
}

// Generate is never called: TKEY queries are not signed.
func (l *laterVerify) Generate([]byte, *dns.TSIG) ([]byte, error) { return nil, dns.ErrSecret }

// Verify keeps the message and its TSIG.
func (l *laterVerify) Verify(msg []byte, t *dns.TSIG) error {
	l.msg, l.t = append([]byte(nil), msg...), dns.Copy(t).(*dns.TSIG)
	return nil
}

// check verifies the kept signature, if the answer had one.
func (l *laterVerify) check(g *gssContext) error {
	if l.t == nil {
		return nil
	}
	return g.Verify(l.msg, l.t)
}
