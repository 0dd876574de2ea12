package rfc2136

import (
	"context"
	"errors"
	"time"

	"github.com/miekg/dns"
)

// tsigFudge is the TSIG fudge in seconds (RFC 8945 §10 recommends 300).
const tsigFudge = 300

// signer signs requests and verifies answers with the provider's key: an
// HMAC secret, or a negotiated GSS-TSIG context.
type signer struct {
	key, alg, secret string
	gss              *gssContext
	verifyOnly       dns.TsigProvider // set: m is not signed, a signed answer is checked by it
}

// signer returns the key to sign with now, negotiating a GSS-TSIG context
// first when the provider uses Kerberos and has none.
func (c config) signer(ctx context.Context) (signer, error) {
	if c.krb == nil {
		return signer{key: c.key, alg: c.alg, secret: c.secret}, nil
	}
	g, err := c.krb.context(ctx, c)
	if err != nil {
		return signer{}, err
	}
	return signer{key: g.keyName, alg: GSSAlgorithm, gss: g}, nil
}

// sign adds the TSIG record to m and the key to cl.
func (s signer) sign(m *dns.Msg, cl *dns.Client) {
	if s.verifyOnly != nil {
		cl.TsigProvider = s.verifyOnly
		return
	}
	m.SetTsig(s.key, s.alg, tsigFudge, time.Now().Unix())
	if s.gss != nil {
		cl.TsigProvider = s.gss
		return
	}
	cl.TsigSecret = map[string]string{s.key: s.secret}
}

// generate signs m for a transfer and returns its wire form and MAC.
func (s signer) generate(m *dns.Msg) ([]byte, string, error) {
	m.SetTsig(s.key, s.alg, tsigFudge, time.Now().Unix())
	if s.gss != nil {
		return dns.TsigGenerateWithProvider(m, s.gss, "", false)
	}
	return dns.TsigGenerate(m, s.secret, "", false)
}

// verify checks one message of a transfer against the previous MAC.
func (s signer) verify(wire []byte, requestMAC string, timersOnly bool) error {
	if s.gss != nil {
		return dns.TsigVerifyWithProvider(wire, s.gss, requestMAC, timersOnly)
	}
	return dns.TsigVerify(wire, s.secret, requestMAC, timersOnly)
}

// signed runs call with the key to sign with now and, when the server
// answers BADKEY for a GSS-TSIG context it forgot (the request refused
// unread), once more after a new negotiation.
func (c config) signed(ctx context.Context, call func(signer) error) error {
	for attempt := 0; ; attempt++ {
		s, err := c.signer(ctx)
		if err != nil {
			return err
		}
		err = call(s)
		if attempt == 0 && s.staleContext(err) {
			c.krb.forget(c, s.gss)
			continue
		}
		return err
	}
}

// staleContext reports whether an answer says the server no longer knows
// the GSS-TSIG context (BADKEY), so that a new one may be negotiated and the
// request sent again: the server refused it before looking at it.
func (s signer) staleContext(err error) bool {
	return s.gss != nil && errors.Is(err, ErrBadKey)
}
