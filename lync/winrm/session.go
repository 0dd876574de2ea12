package winrm

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/masterzen/winrm"

	"github.com/xmppfed/edgefailover/internal/pwsh"
)

// stdinChunk bounds one Send (REFERENCE.md §2: keep writes at or under 100 KB).
const stdinChunk = 64 << 10

// session is one persistent `powershell.exe -Command -` on one shell
// (REFERENCE.md §2). Its requests run under ctx, a child of the runner's
// life, which ends when the session is closed or broken; a call whose
// context ends mid-script breaks it.
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
	pumped   chan struct{} // closed when pump returned
	done     chan struct{} // closed when the command ended
	stderr   *tailBuffer
	lastUsed time.Time
	endOnce  sync.Once
	endErr   error
}

// session returns the open session, rebuilding it when broken or idle. In
// ModeAuto a *PersistentError (the persistent mode cannot work on this
// host) switches the runner to one process per script; any other failure
// is returned, and the next call builds a new session. Called with w.sem
// held.
func (w *WinRM) session(ctx context.Context) (*session, error) {
	if s := w.sess; s != nil {
		if !s.broken() && time.Since(s.lastUsed) < w.opts.IdleTimeout {
			return s, nil
		}
		w.log.Debug("rebuilding session", "broken", s.broken())
		w.drop(s)
	}
	s, err := w.openSession(ctx)
	var pe *PersistentError
	if errors.As(err, &pe) && w.opts.Mode == ModeAuto {
		w.log.Warn("persistent session cannot work on this host; running one process per script",
			"reason", pe.Reason.String(), "err", pe.Err)
		w.fellBack, w.fallback = time.Now(), pe
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
	w.background(func(ctx context.Context) { _ = s.end(ctx) })
}

func (w *WinRM) openSession(ctx context.Context) (*session, error) {
	marker, err := newMarker(w.opts.Rand)
	if err != nil {
		return nil, fmt.Errorf("lync: frame marker: %w", err)
	}
	sctx, cancel := context.WithCancelCause(w.life)
	s := &session{w: w, ctx: sctx, cancel: cancel, marker: marker, stderr: &tailBuffer{max: 4096},
		stdout: make(chan []byte, 16), pumped: make(chan struct{}), done: make(chan struct{}), lastUsed: time.Now()}
	s.bt = newBoundTransport(sctx, w.p)
	defer s.breakWhen(ctx)()
	fail := func(op string, err error) (*session, error) {
		err = s.failure(ctx, op, err)
		cancel(err)
		if s.shellID != "" {
			w.deleteShell(s.shellID, s.bt.command())
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
		// A refused Command is a fault of the moment (an HTTP 500, a
		// WSManFault), not proof that `-Command -` cannot work here: the
		// next call tries a new session.
		return fail("Command", err)
	}
	w.log.Debug("session started", "shell", s.shellID)
	go s.pump()
	stderrDone := make(chan struct{})
	go func() { _, _ = io.Copy(s.stderr, s.cmd.Stderr); close(stderrDone) }()
	go s.watch(stderrDone)

	// The first result proves the session works; until then, a process that
	// ends or stays silent shows that the persistent mode cannot work here.
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

// startFailed ends s after a failed start. The error is a *PersistentError
// when the process itself failed (it exited, or gave no result within
// StartTimeout while the caller still had time); transport errors, the
// caller's deadline and host answers (module missing, import failed) are
// returned as they are.
func (s *session) startFailed(ctx context.Context, err error) (*session, error) {
	s.cancel(err)
	s.w.background(func(ctx context.Context) { _ = s.end(ctx) })
	var he *HostError
	switch {
	case errors.As(err, &he):
		return nil, &PersistentError{Host: s.w.ep.Host, Reason: PersistentExited, Err: he}
	case errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil:
		return nil, &PersistentError{Host: s.w.ep.Host, Reason: PersistentSilent,
			Err: fmt.Errorf("no result within StartTimeout %v", s.w.opts.StartTimeout)}
	}
	return nil, err
}
