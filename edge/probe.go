package edge

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"
	"time"
)

// Probe checks one XMPP server-to-server address (usually port 5269 of an
// Edge server's external interface) the way a remote server would: it dials
// addr with cfg.Dial, sends the initial stream header for cfg.To from
// cfg.From, reads the answer and, with cfg.StartTLS, negotiates TLS and
// restarts the stream.
//
// What the peer does is reported in the result: a refused or unreachable port
// gives Connected == false with DialError; a silent, slow, closing or
// malformed peer gives a Failure; a stream error (host-unknown, ...) is in
// StreamError. The error is non-nil only for invalid input (*InputError, before
// anything is dialled) or when ctx ends; then the result, if not nil, holds
// what was seen until then. The probe takes at most cfg.Timeout.
func Probe(ctx context.Context, addr string, cfg ProbeConfig) (*ProbeResult, error) {
	if err := checkAddr(addr); err != nil {
		return nil, err
	}
	cfg, err := cfg.normalized()
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("edge: probe %s: %w", addr, err)
	}
	p := &prober{cfg: cfg, start: time.Now()}
	p.res = &ProbeResult{Addr: addr, To: cfg.To, From: cfg.From}
	defer func() { p.res.RoundTrip.Total = time.Since(p.start) }()

	pctx, cancel := context.WithTimeout(ctx, cfg.Timeout)
	defer cancel()
	conn, err := cfg.Dial(pctx, "tcp", addr)
	if err == nil && conn == nil {
		err = errNoConn
	}
	if err != nil {
		if err := ctxDone(ctx); err != nil {
			return p.res, fmt.Errorf("edge: probe %s: %w", addr, err)
		}
		p.res.DialError = err
		return p.res, nil
	}
	defer conn.Close()
	p.res.Connected = true
	if ra := conn.RemoteAddr(); ra != nil {
		p.res.RemoteAddr = ra.String()
	}
	p.res.RoundTrip.Connect = time.Since(p.start)

	deadline, _ := pctx.Deadline()
	if err := conn.SetDeadline(deadline); err != nil {
		p.fail(StageHeader, err)
		return p.res, nil
	}
	// Cancelling ctx unblocks reads and writes at once.
	stop := context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()

	p.run(pctx, conn)
	if err := ctxDone(ctx); err != nil {
		return p.res, fmt.Errorf("edge: probe %s: %w", addr, err)
	}
	return p.res, nil
}

// ctxDone returns ctx's error, counting a deadline that has passed as
// reached even if ctx's timer has not fired yet: the connection deadline
// equal to it may fire first.
func ctxDone(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if d, ok := ctx.Deadline(); ok && !time.Now().Before(d) {
		return context.DeadlineExceeded
	}
	return nil
}

// errNoConn: a DialFunc returned neither a connection nor an error.
var errNoConn = errors.New("edge: dialer returned no connection and no error")

// prober holds the state of one Probe call.
type prober struct {
	cfg   ProbeConfig
	res   *ProbeResult
	start time.Time
}

func (p *prober) fail(stage Stage, err error) {
	p.res.Failure = &StageError{Stage: stage, Err: err}
}

func (p *prober) run(ctx context.Context, conn net.Conn) {
	if err := p.send(conn, p.streamHeader()); err != nil {
		p.fail(StageHeader, err)
		return
	}
	sp := newStreamParser(conn, p.cfg.Limits, func() { p.res.RoundTrip.FirstByte = time.Since(p.start) })
	a, stage, err := readAnswer(sp)
	p.res.Stream, p.res.Features, p.res.StreamError = a.header, a.features, a.streamErr
	if err != nil {
		p.fail(stage, err)
		return
	}
	p.res.RoundTrip.Features = time.Since(p.start)
	if !p.cfg.StartTLS || a.streamErr != nil {
		_ = p.send(conn, "</stream:stream>")
		return
	}
	p.res.TLS = &TLSResult{}
	if a.features == nil || !a.features.StartTLS {
		p.fail(StageStartTLS, ErrStartTLSNotOffered)
		return
	}
	if !p.startTLS(conn, sp) {
		return
	}
	p.secure(ctx, conn, sp.readAhead())
}

// startTLS sends <starttls/> and reads the answer; it reports whether the
// peer said <proceed/>.
func (p *prober) startTLS(conn net.Conn, sp *streamParser) bool {
	if err := p.send(conn, "<starttls xmlns='"+nsTLS+"'/>"); err != nil {
		p.fail(StageStartTLS, err)
		return false
	}
	n, err := sp.next()
	switch {
	case err != nil:
		p.fail(StageStartTLS, err)
	case n.is(nsTLS, "proceed"):
		p.res.TLS.Proceeded = true
		return true
	case n.is(nsTLS, "failure"):
		p.fail(StageStartTLS, ErrStartTLSRefused)
	case n.is(nsStream, "error"):
		p.res.StreamError = parseStreamError(n)
	default:
		p.fail(StageStartTLS, fmt.Errorf("%w: <%s xmlns='%s'> instead of <proceed/>", ErrUnexpectedElement, n.name.Local, n.name.Space))
	}
	return false
}

// streamHeader is the initial stream header of RFC 6120 §4.7 for s2s, with
// dialback declared as XEP-0220 asks. To and From are validated LDH names.
func (p *prober) streamHeader() string {
	return "<?xml version='1.0'?><stream:stream xmlns='" + nsServer +
		"' xmlns:stream='" + nsStream + "' xmlns:db='" + nsDialback +
		"' from='" + p.cfg.From + "' to='" + p.cfg.To + "' version='1.0'>"
}

func (p *prober) send(w io.Writer, s string) error {
	if _, err := io.Copy(w, strings.NewReader(s)); err != nil {
		return netError(err)
	}
	return nil
}

// netError maps a network error to the probe's sentinels, keeping the cause.
func netError(err error) error {
	var ne net.Error
	switch {
	case errors.As(err, &ne) && ne.Timeout():
		return fmt.Errorf("%w: %w", ErrTimeout, err)
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE), errors.Is(err, io.EOF), errors.Is(err, io.ErrClosedPipe):
		return fmt.Errorf("%w: %w", ErrPeerClosed, err)
	}
	return err
}
