package lync

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/masterzen/winrm"

	"github.com/xmppfed/edgefailover/internal/pwsh"
)

// stdinChunk bounds one Send (REFERENCE.md §2: keep writes at or under 100 KB).
const stdinChunk = 64 << 10

// closeTimeout bounds the polite end of a session or a shell deletion.
const closeTimeout = 5 * time.Second

// session is one persistent `powershell.exe -Command -` on one shell
// (REFERENCE.md §2). Its requests run under ctx, which ends when the session
// is closed or broken; a call whose context ends mid-script breaks it.
type session struct {
	w        *WinRM
	ctx      context.Context
	cancel   context.CancelCauseFunc
	bt       *boundTransport
	shell    *winrm.Shell
	shellID  string
	cmd      *winrm.Command
	marker   *pwsh.Marker
	stdout   chan []byte   // closed when stdout ends
	done     chan struct{} // closed when the command ended
	stderr   *tailBuffer
	lastUsed time.Time
}

// startError marks a session that could not start for a reason a
// one-process-per-script run may not share (ModeAuto then falls back).
type startError struct{ err error }

func (e *startError) Error() string { return e.err.Error() }
func (e *startError) Unwrap() error { return e.err }

// session returns the open session, rebuilding it when broken or idle. In
// ModeAuto a session that cannot start switches the runner to fallback.
// Called with w.sem held.
func (w *WinRM) session(ctx context.Context) (*session, error) {
	if s := w.sess; s != nil {
		if !s.broken() && time.Since(s.lastUsed) < w.opts.IdleTimeout {
			return s, nil
		}
		w.log.Debug("rebuilding session", "broken", s.broken())
		w.drop(s)
	}
	s, err := w.openSession(ctx)
	var se *startError
	if errors.As(err, &se) {
		if w.opts.Mode == ModeAuto {
			w.log.Warn("persistent session cannot start; running one process per script", "err", se.err)
			w.fellBack = time.Now()
		}
		return nil, se.err
	}
	if err != nil {
		return nil, err
	}
	w.sess = s
	return s, nil
}

// drop forgets s and ends it in the background.
func (w *WinRM) drop(s *session) {
	if w.sess == s {
		w.sess = nil
	}
	w.wg.Add(1)
	go func() { defer w.wg.Done(); s.close() }()
}

func (w *WinRM) openSession(ctx context.Context) (*session, error) {
	marker, err := newMarker(w.opts.Rand)
	if err != nil {
		return nil, fmt.Errorf("lync: frame marker: %w", err)
	}
	sctx, cancel := context.WithCancelCause(context.Background())
	s := &session{w: w, ctx: sctx, cancel: cancel, marker: marker, stderr: &tailBuffer{max: 4096},
		stdout: make(chan []byte, 16), done: make(chan struct{}), lastUsed: time.Now()}
	s.bt = newBoundTransport(sctx, w.p)
	stop := context.AfterFunc(ctx, func() { cancel(ctx.Err()) })
	defer stop()
	fail := func(op string, err error) (*session, error) {
		err = s.failure(ctx, op, err)
		cancel(err)
		if s.shellID != "" {
			w.deleteShell(s.shellID)
		}
		return nil, err
	}
	wc, err := w.newClient(s.bt)
	if err != nil {
		return fail("open session", err)
	}
	if s.shell, s.shellID, err = w.createShell(wc, s.bt); err != nil {
		return fail("Create", err)
	}
	if s.cmd, err = s.shell.ExecuteWithContext(sctx, pwsh.PersistentCommandLine); err != nil {
		var f *WSManFault
		if _, err = fail("Command", err); errors.As(err, &f) && ctx.Err() == nil {
			return nil, &startError{err} // the host refused the long-lived command
		}
		return nil, err
	}
	w.log.Debug("session started", "shell", s.shellID)
	go s.pump()
	stderrDone := make(chan struct{})
	go func() { _, _ = io.Copy(s.stderr, s.cmd.Stderr); close(stderrDone) }()
	go s.watch(stderrDone)

	// The first result proves the session works; until then a failure that is
	// not the caller's makes ModeAuto fall back.
	sctxStart, cancelStart := context.WithTimeout(ctx, w.opts.StartTimeout)
	defer cancelStart()
	if w.module == "" {
		m, err := detectModule(sctxStart, w.ep.Host, s.run)
		if err != nil {
			return s.startFailed(ctx, err)
		}
		w.module = m
	}
	imp, err := importScript(w.module)
	if err == nil {
		_, err = s.run(sctxStart, imp)
	}
	if err != nil {
		return s.startFailed(ctx, err)
	}
	w.log.Debug("module imported", "module", w.module)
	return s, nil
}

// startFailed ends s after a failed start and says whether to fall back.
func (s *session) startFailed(ctx context.Context, err error) (*session, error) {
	s.cancel(err)
	s.w.deleteShell(s.shellID)
	// Fall back only when the process itself failed: it exited, or gave no
	// result within StartTimeout. Transport errors, the caller's deadline and
	// host answers (module missing, import failed) are returned as they are.
	var he *HostError
	startTimeout := errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil
	if errors.As(err, &he) || startTimeout {
		return nil, &startError{err}
	}
	return nil, err
}
