package winrm

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bodgit/ntlmssp"

	"github.com/xmppfed/edgefailover/lync"
)

// ntlmIdle is how long an idle connection is kept. Windows (HTTP.sys) drops
// idle connections after 2 minutes; a connection it dropped would fail the
// next request, so ours are dropped first.
const ntlmIdle = 60 * time.Second

// ctxPool sends the requests of an AuthNTLM endpoint, and of an
// AuthKerberos endpoint over plain HTTP, over connections of its own, each
// holding the security context its handshake set up: NTLM authenticates a
// connection, not a request, and over plain HTTP every message on the
// connection is sealed with that context (MS-WSMV 2.2.9.1, MS-NLMP 3.4;
// RFC 4121 for Kerberos, krbconn.go). A connection carries one request at a
// time; concurrent requests (a Receive long poll and a Send) use
// connections of their own. It dials with the Endpoint's Dial and speaks
// TLS with its TLS settings. Safe for concurrent use.
//
// It replaces masterzen/winrm's Encryption, which runs a new handshake for
// every message on an http.Client of its own (ignoring Dial, TLS settings
// and timeouts), keeps the context of the message in flight in shared
// fields (so concurrent posts sign with each other's keys), and, when its
// handshake fails, posts the message again with unencrypted ClientNTLM.
type ctxPool struct {
	ep   Endpoint
	seal bool // plain HTTP: seal every message
	tls  *tls.Config
	dial func(ctx context.Context, network, addr string) (net.Conn, error)

	krb        *authorizer  // AuthKerberos: the client that gets the tickets
	handshakes atomic.Int64 // logins run (one per connection)

	mu   sync.Mutex
	idle []*ctxConn
}

// secContext seals and unseals the messages of one connection: an NTLM
// session (github.com/bodgit/ntlmssp) or a Kerberos context (krbwrap.go).
// Wrap returns the sealed message and its signature (the token header with
// Kerberos); Unwrap checks and opens them.
type secContext interface {
	Wrap(msg []byte) (sealed, sig []byte, err error)
	Unwrap(sealed, sig []byte) ([]byte, error)
}

// ctxConn is one connection and its security context.
type ctxConn struct {
	c     net.Conn
	br    *bufio.Reader
	sess  secContext // nil until logged in
	since time.Time  // idle since
}

func newCtxPool(e Endpoint, tlsCfg *tls.Config, dial func(ctx context.Context, network, addr string) (net.Conn, error), krb *authorizer) *ctxPool {
	return &ctxPool{ep: e, seal: e.PlainHTTP, tls: tlsCfg, dial: dial, krb: krb}
}

// answer is an HTTP answer read in full.
type answer struct {
	status int
	header http.Header
	body   []byte
}

// roundTrip posts body (a SOAP message) under ctx, which must have a
// deadline: on an idle connection of the pool, or on a new one after a
// handshake. The answer comes unsealed; a 401 after login closes the
// connection.
func (p *ctxPool) roundTrip(ctx context.Context, body []byte) (*answer, error) {
	c := p.take()
	var first *answer
	if c == nil {
		var err error
		if p.ep.Auth == AuthKerberos {
			c, err = p.loginKerberos(ctx)
		} else {
			c, first, err = p.login(ctx, body)
		}
		if err != nil {
			return nil, err
		}
	}
	a := first
	if a == nil {
		var err error
		if a, err = p.send(ctx, c, body); err != nil {
			c.c.Close()
			return nil, err
		}
	}
	if a.status == http.StatusUnauthorized {
		c.c.Close()
		return a, nil
	}
	if p.seal { // every answer comes sealed, faults too
		clear, err := p.unseal(c, a)
		if err != nil {
			c.c.Close()
			return nil, err
		}
		a.body = clear
		a.header.Set("Content-Type", soapType)
	}
	if strings.EqualFold(a.header.Get("Connection"), "close") {
		c.c.Close()
	} else {
		p.put(c)
	}
	return a, nil
}

// send posts body on the logged-in connection c, sealed when p seals.
func (p *ctxPool) send(ctx context.Context, c *ctxConn, body []byte) (*answer, error) {
	ctype := soapType
	if p.seal {
		sealed, sig, err := c.sess.Wrap(body)
		if err != nil {
			return nil, &EncryptionError{Op: "seal", Err: err}
		}
		body, ctype = frameSealed(len(body), sig, sealed), encContentType
	}
	return exchange(ctx, c, p.ep, "", ctype, body)
}

// unseal opens an answer that must come sealed: anything in clear, even an
// error page, is refused.
func (p *ctxPool) unseal(c *ctxConn, a *answer) ([]byte, error) {
	if !encryptedType(a.header.Get("Content-Type")) {
		return nil, &EncryptionError{Op: "unseal", Err: fmt.Errorf("HTTP %d answer not encrypted (Content-Type %q)",
			a.status, a.header.Get("Content-Type"))}
	}
	part, err := parseSealed(a.body)
	if err != nil {
		return nil, &EncryptionError{Op: "unseal", Err: err}
	}
	clear, err := c.sess.Unwrap(part.sealed, part.sig)
	if err != nil {
		return nil, &EncryptionError{Op: "unseal", Err: err}
	}
	if len(clear) != part.length {
		return nil, &EncryptionError{Op: "unseal", Err: errors.New("length differs from OriginalContent")}
	}
	return clear, nil
}

// login dials a connection and runs the NTLM handshake on it: NEGOTIATE,
// CHALLENGE, then AUTHENTICATE, exactly once. Over plain HTTP the
// AUTHENTICATE goes with an empty body (as pywinrm does) and the message
// follows sealed; over HTTPS it carries the message, whose answer login
// returns.
func (p *ctxPool) login(ctx context.Context, body []byte) (*ctxConn, *answer, error) {
	c, err := p.connect(ctx)
	if err != nil {
		return nil, nil, err
	}
	ok := false
	defer func() {
		if !ok {
			c.c.Close()
		}
	}()
	user, domain := splitAccount(p.ep.Credentials.Username)
	nc, err := ntlmssp.NewClient(ntlmssp.SetUserInfo(user, string(p.ep.Credentials.Password)),
		ntlmssp.SetDomain(domain), ntlmssp.SetVersion(ntlmssp.DefaultVersion()))
	if err != nil {
		return nil, nil, fmt.Errorf("ntlm: %w", err)
	}
	neg, err := nc.Authenticate(nil, nil)
	if err != nil {
		return nil, nil, fmt.Errorf("ntlm: %w", err)
	}
	p.handshakes.Add(1)
	a, err := exchange(ctx, c, p.ep, "Negotiate "+base64.StdEncoding.EncodeToString(neg), soapType, nil)
	if err != nil {
		return nil, nil, err
	}
	challenge, found := negotiateToken(a.header.Values("WWW-Authenticate"))
	if a.status != http.StatusUnauthorized || !found {
		if a.status == http.StatusUnauthorized {
			return nil, nil, &SchemeError{Scheme: "Negotiate", Offered: offeredSchemes(a.header.Values("WWW-Authenticate"))}
		}
		return nil, nil, &lync.ProtocolError{Op: "NTLM handshake", Err: fmt.Errorf("HTTP %d to a NEGOTIATE message", a.status)}
	}
	auth, err := nc.Authenticate(challenge, nil)
	if err != nil {
		return nil, nil, &lync.ProtocolError{Op: "NTLM handshake", Err: err}
	}
	first := body
	if p.seal {
		first = nil
	}
	a, err = exchange(ctx, c, p.ep, "Negotiate "+base64.StdEncoding.EncodeToString(auth), soapType, first)
	if err != nil {
		return nil, nil, err
	}
	if a.status == http.StatusUnauthorized {
		return nil, nil, lync.ErrUnauthorized // the password or account was refused: no second round
	}
	sess := nc.SecuritySession()
	if sess == nil || !nc.Complete() {
		return nil, nil, &lync.ProtocolError{Op: "NTLM handshake", Err: errors.New("no security context")}
	}
	c.sess = sess
	if p.seal && a.status != http.StatusOK {
		return nil, nil, &lync.ProtocolError{Op: "NTLM handshake", Err: fmt.Errorf("HTTP %d to AUTHENTICATE", a.status)}
	}
	ok = true
	if p.seal {
		return c, nil, nil
	}
	return c, a, nil
}

// negotiateToken finds the token of a "Negotiate <base64>" challenge.
func negotiateToken(values []string) ([]byte, bool) {
	for _, v := range values {
		name, tok, ok := strings.Cut(strings.TrimSpace(v), " ")
		if ok && strings.EqualFold(name, "Negotiate") {
			b, err := base64.StdEncoding.DecodeString(strings.TrimSpace(tok))
			return b, err == nil && len(b) > 0
		}
	}
	return nil, false
}

// connect dials the endpoint, with TLS unless plain HTTP.
func (p *ctxPool) connect(ctx context.Context) (*ctxConn, error) {
	addr := net.JoinHostPort(p.ep.Host, strconv.Itoa(p.ep.Port))
	c, err := p.dial(ctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	if !p.seal {
		tc := tls.Client(c, p.tls)
		if err := tc.HandshakeContext(ctx); err != nil {
			c.Close()
			return nil, err
		}
		c = tc
	}
	return &ctxConn{c: c, br: bufio.NewReader(c)}, nil
}

// exchange writes one POST on c and reads its answer, under ctx. When ctx
// ends before exchange returns, it fails with ctx's error and c is spoiled
// (the caller closes it).
func exchange(ctx context.Context, c *ctxConn, ep Endpoint, authz, ctype string, body []byte) (*answer, error) {
	if dl, ok := ctx.Deadline(); ok {
		_ = c.c.SetDeadline(dl)
	}
	stop := context.AfterFunc(ctx, func() { _ = c.c.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	fail := func(err error) (*answer, error) {
		if cerr := ctx.Err(); cerr != nil {
			return nil, cerr
		}
		if dl, ok := ctx.Deadline(); ok && errors.Is(err, os.ErrDeadlineExceeded) && !time.Now().Before(dl) {
			return nil, context.DeadlineExceeded // the connection's deadline is ctx's
		}
		return nil, err
	}
	req, err := http.NewRequest(http.MethodPost, ep.url(), bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", ctype)
	req.Header.Set("User-Agent", "edgefailover")
	if authz != "" {
		req.Header.Set("Authorization", authz)
	}
	req.ContentLength = int64(len(body))
	if len(body) == 0 {
		req.Body = http.NoBody
	}
	if err := req.Write(c.c); err != nil {
		return fail(err)
	}
	resp, err := http.ReadResponse(c.br, req)
	if err != nil {
		return fail(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return fail(fmt.Errorf("reading answer: %w", err))
	}
	if !stop() {
		// ctx ended meanwhile: its AfterFunc may set a past deadline on c at
		// any time, so c must not serve another request.
		return fail(ctx.Err())
	}
	h := resp.Header
	if resp.Close {
		h.Set("Connection", "close")
	}
	return &answer{status: resp.StatusCode, header: h, body: data}, nil
}

// take returns an idle connection young enough to use, or nil.
func (p *ctxPool) take() *ctxConn {
	p.mu.Lock()
	defer p.mu.Unlock()
	for len(p.idle) > 0 {
		c := p.idle[len(p.idle)-1]
		p.idle = p.idle[:len(p.idle)-1]
		if time.Since(c.since) < ntlmIdle {
			return c
		}
		c.c.Close()
	}
	return nil
}

// put keeps c for the next request (at most 4 idle connections).
func (p *ctxPool) put(c *ctxConn) {
	_ = c.c.SetDeadline(time.Time{})
	c.since = time.Now()
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.idle) >= 4 {
		c.c.Close()
		return
	}
	p.idle = append(p.idle, c)
}

// closeIdle closes the idle connections.
func (p *ctxPool) closeIdle() {
	p.mu.Lock()
	idle := p.idle
	p.idle = nil
	p.mu.Unlock()
	for _, c := range idle {
		c.c.Close()
	}
}

// splitAccount splits "DOMAIN\user" and "user@domain" into the user and
// domain an NTLM AUTHENTICATE carries; a bare "user" has no domain (a local
// account of the host).
func splitAccount(s string) (user, domain string) {
	if d, u, ok := strings.Cut(s, `\`); ok {
		return u, d
	}
	if u, d, ok := strings.Cut(s, "@"); ok {
		return u, d
	}
	return s, ""
}
