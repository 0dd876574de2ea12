package winrm

import (
	"context"
	"crypto/tls"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/masterzen/winrm"
	"github.com/masterzen/winrm/soap"

	"github.com/xmppfed/edgefailover/lync"
)

// maxBody bounds what is read of one HTTP answer.
const maxBody = 8 << 20

// poster sends WS-Management requests of one endpoint. It is shared by all
// sessions of a runner and safe for concurrent use.
type poster struct {
	ep     Endpoint
	url    string
	client *http.Client // Basic, Kerberos, certificate
	pool   *ctxPool     // AuthNTLM, and AuthKerberos over HTTP: connections with their security contexts
	auth   *authorizer
	log    *slog.Logger
}

func newPoster(ep Endpoint, log *slog.Logger) *poster {
	p := &poster{ep: ep, url: ep.url(), auth: &authorizer{e: ep}, log: log}
	if ep.Auth == AuthNTLM || (ep.Auth == AuthKerberos && ep.PlainHTTP) {
		var cfg *tls.Config
		if !ep.PlainHTTP {
			cfg = tlsConfig(ep)
		}
		p.pool = newCtxPool(ep, cfg, dialer(ep), p.auth)
	} else {
		p.client = &http.Client{Transport: newRoundTripper(ep)}
	}
	return p
}

// boundTransport is the winrm.Transporter of one winrm.Client. Every request
// runs under ctx (the session's or the call's), so cancelling ctx aborts the
// requests in flight and fails the later ones at once. It paces the Receive
// loop (longpoll.go) and remembers the CommandId the host gave, so that the
// command can be terminated by another client.
type boundTransport struct {
	p    *poster
	ctx  context.Context
	pace *pacer

	mu        sync.Mutex
	firstErr  error  // first error other than the long poll: the root cause
	commandID string // from the CommandResponse
}

var _ winrm.Transporter = (*boundTransport)(nil)

func newBoundTransport(ctx context.Context, p *poster) *boundTransport {
	return &boundTransport{p: p, ctx: ctx, pace: newPacer(p.ep.OperationTimeout)}
}

// Transport implements winrm.Transporter; the HTTP transport is already built.
func (t *boundTransport) Transport(*winrm.Endpoint) error { return nil }

// longPollError is what the masterzen/winrm Receive loop gets for a
// w:TimedOut answer: its text holds "OperationTimeout", which that loop
// takes as "poll again".
type longPollError struct{ f *WSManFault }

func (e *longPollError) Error() string {
	return "WS-Management Receive: OperationTimeout elapsed without output"
}

// opaqueError hides the text of a Receive failure from the masterzen/winrm
// loop, which would otherwise re-poll forever on any text containing
// "OperationTimeout" or on a *url.Error timeout.
type opaqueError struct{ err error }

func (e *opaqueError) Error() string { return "lync: Receive failed" }
func (e *opaqueError) Unwrap() error { return e.err }

// Post implements winrm.Transporter.
func (t *boundTransport) Post(_ *winrm.Client, msg *soap.SoapMessage) (string, error) {
	body := msg.String()
	action := wsmanAction(body)
	start := time.Now()
	out, err := t.p.post(t.ctx, action, body)
	if action == "Receive" {
		return t.received(out, err, time.Since(start))
	}
	t.mu.Lock()
	if err != nil && t.firstErr == nil {
		t.firstErr = err
	}
	if err == nil && action == "Command" && t.commandID == "" {
		t.commandID, _ = winrm.ParseExecuteCommandResponse(out)
	}
	t.mu.Unlock()
	if err == nil && (action == "Send" || action == "Command") {
		t.pace.reset(true)
	}
	return out, err
}

// received handles the answer of a Receive that took took: output goes to
// the loop at once, a w:TimedOut or an empty answer after the pause it
// deserves, and a failure hidden from the loop (opaqueError).
func (t *boundTransport) received(out string, err error, took time.Duration) (string, error) {
	var f *WSManFault
	timedOut := errors.As(err, &f) && f.TimedOut()
	if err != nil && !timedOut {
		t.mu.Lock()
		if t.firstErr == nil {
			t.firstErr = err
		}
		t.mu.Unlock()
		return "", &opaqueError{err}
	}
	if !timedOut && hasOutput(out) {
		t.pace.reset(false)
		return out, nil
	}
	if perr := t.pace.pause(t.ctx, took); perr != nil {
		return "", &opaqueError{&lync.TransportError{Host: t.p.ep.Host, Op: "Receive", Err: perr}}
	}
	if timedOut {
		return "", &longPollError{f}
	}
	return out, nil
}

// err returns the first failure other than a long poll, or nil.
func (t *boundTransport) err() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.firstErr
}

// command returns the CommandId of the command started through t, or "".
func (t *boundTransport) command() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.commandID
}

// post sends one request and checks the answer: 401 gives lync.ErrUnauthorized,
// any other non-200 answer a *WSManFault, all wrapped in *lync.TransportError.
func (p *poster) post(ctx context.Context, action, body string) (string, error) {
	fail := func(err error) (string, error) {
		return "", &lync.TransportError{Host: p.ep.Host, Op: action, Err: err}
	}
	if err := ctx.Err(); err != nil {
		return fail(err)
	}
	rctx, cancel := context.WithTimeout(ctx, p.ep.Timeout)
	defer cancel()
	var a *answer
	var err error
	if p.pool != nil {
		a, err = p.pool.roundTrip(rctx, []byte(body))
	} else {
		a, err = p.do(rctx, body)
	}
	if err != nil {
		if cerr := ctx.Err(); cerr != nil {
			return fail(cerr)
		}
		return fail(err)
	}
	data := a.body
	switch {
	case a.status == http.StatusUnauthorized:
		if s := p.ep.Auth.scheme(); s != "" && !offers(a.header.Values("WWW-Authenticate"), s) && p.pool == nil {
			return fail(&SchemeError{Scheme: s, Offered: offeredSchemes(a.header.Values("WWW-Authenticate"))})
		}
		return fail(lync.ErrUnauthorized)
	case a.status != http.StatusOK:
		f, perr := parseFault(data)
		if perr != nil {
			f = &WSManFault{}
		}
		f.StatusCode, f.Action = a.status, action
		p.log.Debug("wsman fault", "host", p.ep.Host, "action", action, "status", a.status, "subcode", f.Subcode)
		return fail(f)
	case !strings.Contains(a.header.Get("Content-Type"), "application/soap+xml"):
		return fail(&lync.ProtocolError{Op: action, Err: fmt.Errorf("content type %q", a.header.Get("Content-Type"))})
	}
	if err := wellFormed(data); err != nil {
		return fail(&lync.ProtocolError{Op: action, Err: err})
	}
	return string(data), nil
}

// do sends one request through the HTTP client (Basic, Kerberos,
// certificate) and reads its answer.
func (p *poster) do(ctx context.Context, body string) (*answer, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.url, strings.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", soapType)
	if err := p.auth.authorize(ctx, req); err != nil {
		return nil, err
	}
	resp, err := p.client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // never hand a *url.Error to the winrm loop (it re-polls on timeouts)
		}
		return nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return nil, fmt.Errorf("reading answer: %w", err)
	}
	return &answer{status: resp.StatusCode, header: resp.Header, body: data}, nil
}

// wellFormed checks that data is one well-formed XML document.
func wellFormed(data []byte) error {
	d := xml.NewDecoder(strings.NewReader(string(data)))
	seen := false
	for {
		tok, err := d.Token()
		if err == io.EOF {
			if !seen {
				return errors.New("empty XML answer")
			}
			return nil
		}
		if err != nil {
			return err
		}
		if _, ok := tok.(xml.StartElement); ok {
			seen = true
		}
	}
}

// closeIdle closes the idle connections of p.
func (p *poster) closeIdle() {
	if p.client != nil {
		p.client.CloseIdleConnections()
	}
	if p.pool != nil {
		p.pool.closeIdle()
	}
}
