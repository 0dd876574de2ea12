package lync

import (
	"context"
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
)

// maxBody bounds what is read of one HTTP answer.
const maxBody = 8 << 20

// Long-poll backoff: a Receive answered w:TimedOut sooner than fastPoll is
// suspicious (a real host holds the poll for OperationTimeout), so the next
// poll waits pollBackoffMin, doubling up to pollBackoffMax. This bounds the
// request rate of a host that faults instantly (masterzen/winrm re-polls in
// a tight loop otherwise).
const (
	fastPoll       = 50 * time.Millisecond
	pollBackoffMin = 10 * time.Millisecond
	pollBackoffMax = time.Second
)

// poster sends WS-Management requests of one endpoint. It is shared by all
// sessions of a runner and safe for concurrent use.
type poster struct {
	ep     Endpoint
	url    string
	client *http.Client
	auth   *authorizer
	log    *slog.Logger
}

func newPoster(ep Endpoint, log *slog.Logger) *poster {
	return &poster{
		ep:     ep,
		url:    ep.url(),
		client: &http.Client{Transport: newRoundTripper(ep)},
		auth:   &authorizer{e: ep},
		log:    log,
	}
}

// boundTransport is the winrm.Transporter of one winrm.Client. Every request
// runs under ctx (the session's or the call's), so cancelling ctx aborts the
// requests in flight and fails the later ones at once.
type boundTransport struct {
	p   *poster
	ctx context.Context

	mu       sync.Mutex
	fast     int   // consecutive fast w:TimedOut answers
	firstErr error // first error other than the long poll: the root cause
}

var _ winrm.Transporter = (*boundTransport)(nil)

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
	var f *WSManFault
	if action == "Receive" && errors.As(err, &f) && f.TimedOut() {
		return "", t.longPoll(f, time.Since(start))
	}
	t.mu.Lock()
	t.fast = 0
	if err != nil && t.firstErr == nil {
		t.firstErr = err
	}
	t.mu.Unlock()
	if err != nil && action == "Receive" {
		return "", &opaqueError{err}
	}
	return out, err
}

// longPoll waits the backoff a fast w:TimedOut deserves, under ctx.
func (t *boundTransport) longPoll(f *WSManFault, took time.Duration) error {
	t.mu.Lock()
	var wait time.Duration
	if took < fastPoll {
		wait = pollBackoffMin << min(t.fast, 10)
		wait = min(wait, pollBackoffMax)
		t.fast++
	} else {
		t.fast = 0
	}
	t.mu.Unlock()
	if wait > 0 {
		timer := time.NewTimer(wait)
		defer timer.Stop()
		select {
		case <-timer.C:
		case <-t.ctx.Done():
			return &opaqueError{&TransportError{Host: t.p.ep.Host, Op: "Receive", Err: t.ctx.Err()}}
		}
	}
	return &longPollError{f}
}

// err returns the first failure other than a long poll, or nil.
func (t *boundTransport) err() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.firstErr
}

// post sends one request and checks the answer: 401 gives ErrUnauthorized,
// any other non-200 answer a *WSManFault, all wrapped in *TransportError.
func (p *poster) post(ctx context.Context, action, body string) (string, error) {
	fail := func(err error) (string, error) {
		return "", &TransportError{Host: p.ep.Host, Op: action, Err: err}
	}
	if err := ctx.Err(); err != nil {
		return fail(err)
	}
	rctx, cancel := context.WithTimeout(ctx, p.ep.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(rctx, http.MethodPost, p.url, strings.NewReader(body))
	if err != nil {
		return fail(err)
	}
	req.Header.Set("Content-Type", "application/soap+xml;charset=UTF-8")
	if err := p.auth.authorize(rctx, req); err != nil {
		return fail(err)
	}
	resp, err := p.client.Do(req)
	if err != nil {
		if cerr := ctx.Err(); cerr != nil {
			return fail(cerr)
		}
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // never hand a *url.Error to the winrm loop (it re-polls on timeouts)
		}
		return fail(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		if cerr := ctx.Err(); cerr != nil {
			return fail(cerr)
		}
		return fail(fmt.Errorf("reading answer: %w", err))
	}
	switch {
	case resp.StatusCode == http.StatusUnauthorized:
		return fail(ErrUnauthorized)
	case resp.StatusCode != http.StatusOK:
		f, perr := parseFault(data)
		if perr != nil {
			f = &WSManFault{}
		}
		f.StatusCode, f.Action = resp.StatusCode, action
		p.log.Debug("wsman fault", "host", p.ep.Host, "action", action, "status", resp.StatusCode, "subcode", f.Subcode)
		return fail(f)
	case !strings.Contains(resp.Header.Get("Content-Type"), "application/soap+xml"):
		return fail(&ProtocolError{Op: action, Err: fmt.Errorf("content type %q", resp.Header.Get("Content-Type"))})
	}
	if err := wellFormed(data); err != nil {
		return fail(&ProtocolError{Op: action, Err: err})
	}
	return string(data), nil
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
