package lync

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"io"
	"log/slog"
	"sync"
	"time"

	"github.com/xmppfed/edgefailover/internal/pwsh"
)

// Mode says how a *WinRM runs scripts.
type Mode int

// Modes of a *WinRM.
const (
	// ModeAuto opens a persistent session and falls back to one process per
	// script when the session cannot start (the default).
	ModeAuto Mode = iota
	// ModePersistent uses the persistent session only.
	ModePersistent
	// ModePerScript runs every script as its own -EncodedCommand process.
	ModePerScript
)

// String returns the name of the mode.
func (m Mode) String() string {
	switch m {
	case ModeAuto:
		return "auto"
	case ModePersistent:
		return "persistent"
	case ModePerScript:
		return "per-script"
	}
	return "Mode(invalid)"
}

// Options tunes a *WinRM. The zero value gives the defaults noted.
type Options struct {
	Logger      *slog.Logger  // default: discard
	Mode        Mode          // default ModeAuto
	CallTimeout time.Duration // deadline of a Run whose ctx has none; default 5m
	IdleTimeout time.Duration // a session idle this long is rebuilt; default 10m
	// StartTimeout bounds the start of a persistent session up to its first
	// result; when it passes, ModeAuto falls back. Default 1m.
	StartTimeout time.Duration
	Rand         io.Reader // source of frame markers; default crypto/rand
}

// WinRM is the Runner of one Windows host over WS-Management
// (github.com/masterzen/winrm): a persistent PowerShell session with the
// management shell module imported once, or one process per script as a
// fallback. It is safe for concurrent use; scripts of one *WinRM run one at a
// time. Close it when done.
type WinRM struct {
	ep   Endpoint
	opts Options
	p    *poster
	log  *slog.Logger
	sem  chan struct{} // one script at a time

	// guarded by sem
	sess     *session
	marker   *pwsh.Marker // markers of per-script processes
	module   string       // detected module, kept across sessions
	fellBack time.Time    // when ModeAuto last gave up on a persistent session
	closed   bool

	wg sync.WaitGroup // background shell deletions
}

var _ Runner = (*WinRM)(nil)

// NewWinRM validates ep and returns a runner for it. Nothing is sent until
// the first Run or Prepare.
func NewWinRM(ep Endpoint, opts *Options) (*WinRM, error) {
	ep, err := ep.withDefaults()
	if err != nil {
		return nil, err
	}
	var o Options
	if opts != nil {
		o = *opts
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.CallTimeout <= 0 {
		o.CallTimeout = 5 * time.Minute
	}
	if o.IdleTimeout <= 0 {
		o.IdleTimeout = 10 * time.Minute
	}
	if o.StartTimeout <= 0 {
		o.StartTimeout = time.Minute
	}
	if o.Rand == nil {
		o.Rand = rand.Reader
	}
	if o.Mode < ModeAuto || o.Mode > ModePerScript {
		return nil, inputError("Mode", "", "unknown mode", nil)
	}
	log := o.Logger.With("host", ep.Host)
	return &WinRM{ep: ep, opts: o, p: newPoster(ep, log), log: log, sem: make(chan struct{}, 1)}, nil
}

// Host returns the host name of the endpoint.
func (w *WinRM) Host() string { return w.ep.Host }

// acquire takes the per-host lock under ctx and gives ctx a deadline.
func (w *WinRM) acquire(ctx context.Context) (context.Context, context.CancelFunc, error) {
	cancel := context.CancelFunc(func() {})
	if _, ok := ctx.Deadline(); !ok {
		ctx, cancel = context.WithTimeout(ctx, w.opts.CallTimeout)
	}
	select {
	case w.sem <- struct{}{}:
	case <-ctx.Done():
		cancel()
		return nil, nil, &TransportError{Host: w.ep.Host, Op: "wait for session", Err: ctx.Err()}
	}
	if w.closed {
		<-w.sem
		cancel()
		return nil, nil, &TransportError{Host: w.ep.Host, Op: "run", Err: ErrClosed}
	}
	return ctx, func() { <-w.sem; cancel() }, nil
}

// Run implements Runner.
func (w *WinRM) Run(ctx context.Context, script string) (json.RawMessage, error) {
	ctx, release, err := w.acquire(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	if w.perScript() {
		return w.runProcess(ctx, script)
	}
	s, err := w.session(ctx)
	if err != nil {
		if w.perScript() {
			return w.runProcess(ctx, script)
		}
		return nil, err
	}
	res, err := s.run(ctx, script)
	if err != nil && s.broken() {
		w.drop(s)
	}
	return res, err
}

// Prepare opens the persistent session and imports the module ahead of the
// first Run (or, in per-script mode, detects the module), so that later calls
// pay no start-up cost.
func (w *WinRM) Prepare(ctx context.Context) error {
	ctx, release, err := w.acquire(ctx)
	if err != nil {
		return err
	}
	defer release()
	if !w.perScript() {
		if _, err := w.session(ctx); err == nil || !w.perScript() {
			return err
		}
	}
	_, err = w.processModule(ctx)
	return err
}

// UsingFallback reports whether scripts run one process each, because of
// ModePerScript or because a persistent session could not start (ModeAuto
// then tries a persistent session again after 10 minutes).
func (w *WinRM) UsingFallback(ctx context.Context) (bool, error) {
	_, release, err := w.acquire(ctx)
	if err != nil {
		return false, err
	}
	defer release()
	return w.perScript(), nil
}

// retryPersistent is how long ModeAuto runs one process per script after a
// persistent session failed to start, before it tries one again.
const retryPersistent = 10 * time.Minute

// perScript reports whether scripts run one process each now. Called with
// w.sem held.
func (w *WinRM) perScript() bool {
	if w.opts.Mode == ModePerScript {
		return true
	}
	return !w.fellBack.IsZero() && time.Since(w.fellBack) < retryPersistent
}

// Close ends the session (closing stdin, signalling the process and deleting
// the shell, bounded by a few seconds), waits for background clean-ups and
// closes idle connections. Later calls fail with ErrClosed.
func (w *WinRM) Close() error {
	w.sem <- struct{}{}
	w.closed = true
	s := w.sess
	w.sess = nil
	<-w.sem
	if s != nil {
		s.close()
	}
	w.wg.Wait()
	w.p.client.CloseIdleConnections()
	return nil
}

func newMarker(r io.Reader) (*pwsh.Marker, error) { return pwsh.NewMarker(r) }
