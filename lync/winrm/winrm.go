package winrm

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"io"
	"log/slog"
	"sync"
	"time"

	"github.com/xmppfed/edgefailover/internal/pwsh"

	"github.com/xmppfed/edgefailover/lync"
)

// Mode says how a *WinRM runs scripts.
type Mode int

// Modes of a *WinRM.
const (
	// ModeAuto opens a persistent session and falls back to one process per
	// script only when the persistent mode cannot work on the host (a
	// *PersistentError; see the package doc). The default.
	ModeAuto Mode = iota
	// ModePersistent uses the persistent session only; on a host where it
	// cannot work, calls fail with a *PersistentError.
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

// WinRM is the lync.Runner of one Windows host over WS-Management
// (github.com/masterzen/winrm): a persistent PowerShell session with the
// management shell module imported once, or one process per script as a
// fallback (see the package doc for when). It is safe for concurrent use;
// scripts of one *WinRM run one at a time. Close it when done: Close ends
// the call in flight and deletes every shell the runner opened, within
// CloseTimeout.
type WinRM struct {
	ep   Endpoint
	opts Options
	p    *poster
	log  *slog.Logger
	sem  chan struct{} // one script at a time

	life       context.Context // ends with Close, cause lync.ErrClosed; parent of every session
	endLife    context.CancelCauseFunc
	cleanup    context.Context // ends at Close's deadline; bounds every clean-up
	endCleanup context.CancelFunc

	// guarded by sem
	sess     *session
	marker   *pwsh.Marker     // markers of per-script processes
	module   string           // detected module, kept across sessions
	fellBack time.Time        // when ModeAuto last gave up on a persistent session
	fallback *PersistentError // why

	mu        sync.Mutex
	waiting   bool           // Close waits for bg: clean-ups run synchronously
	bg        sync.WaitGroup // background clean-ups (shell deletions)
	closeOnce sync.Once
	closeErr  error
}

var _ lync.Runner = (*WinRM)(nil)

// NewWinRM validates ep and returns a runner for it. Nothing is sent until
// the first Run or Prepare.
func NewWinRM(ep Endpoint, o Options) (*WinRM, error) {
	ep, err := ep.withDefaults()
	if err != nil {
		return nil, err
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
	w := &WinRM{ep: ep, opts: o, p: newPoster(ep, log), log: log, sem: make(chan struct{}, 1)}
	w.life, w.endLife = context.WithCancelCause(context.Background())
	w.cleanup, w.endCleanup = context.WithCancel(context.Background())
	return w, nil
}

// OperationTimeout returns the endpoint's WS-Management OperationTimeout:
// how long one operation may last, so how long a script that blocks on the
// host may take before its output must come back.
func (w *WinRM) OperationTimeout() time.Duration { return w.ep.OperationTimeout }

// Host returns the host name of the endpoint.
func (w *WinRM) Host() string { return w.ep.Host }

// acquire takes the per-host lock under ctx. The context it returns has a
// deadline (CallTimeout when ctx has none) and ends when the runner is
// closed; release gives the lock back.
func (w *WinRM) acquire(ctx context.Context) (_ context.Context, release func(), _ error) {
	if w.life.Err() != nil {
		return nil, nil, w.errClosed("run")
	}
	cctx, cancel := context.WithCancelCause(ctx)
	stop := context.AfterFunc(w.life, func() { cancel(lync.ErrClosed) })
	end := func() { stop(); cancel(nil) }
	if _, ok := ctx.Deadline(); !ok {
		var cancelTimeout context.CancelFunc
		cctx, cancelTimeout = context.WithTimeout(cctx, w.opts.CallTimeout)
		end = func() { cancelTimeout(); stop(); cancel(nil) }
	}
	select {
	case w.sem <- struct{}{}:
	case <-cctx.Done():
		end()
		return nil, nil, w.closedOr(&lync.TransportError{Host: w.ep.Host, Op: "wait for session", Err: cctx.Err()})
	}
	if w.life.Err() != nil {
		<-w.sem
		end()
		return nil, nil, w.errClosed("run")
	}
	return cctx, func() { w.release(); end() }, nil
}

// Run implements lync.Runner.
func (w *WinRM) Run(ctx context.Context, script string) (json.RawMessage, error) {
	ctx, release, err := w.acquire(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	res, err := w.run(ctx, script)
	return res, w.closedOr(err)
}

// run runs script in the persistent session, or as a process of its own
// when the runner falls back. Called with w.sem held.
func (w *WinRM) run(ctx context.Context, script string) (json.RawMessage, error) {
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
			return w.closedOr(err)
		}
	}
	_, err = w.processModule(ctx)
	return w.closedOr(err)
}

// UsingFallback reports whether scripts run one process each, because of
// ModePerScript or because ModeAuto found that the persistent mode cannot
// work on this host (a *PersistentError; ModeAuto tries a persistent
// session again after 10 minutes).
func (w *WinRM) UsingFallback(ctx context.Context) (bool, error) {
	_, release, err := w.acquire(ctx)
	if err != nil {
		return false, err
	}
	defer release()
	return w.perScript(), nil
}

func newMarker(r io.Reader) (*pwsh.Marker, error) { return pwsh.NewMarker(r) }
