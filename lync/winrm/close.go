package winrm

import (
	"context"
	"errors"
	"time"

	"github.com/xmppfed/edgefailover/lync"
)

// CloseTimeout bounds (*WinRM).Close, and every clean-up of a shell (the
// terminate Signal and the Delete) the runner does in the background.
const CloseTimeout = 5 * time.Second

// signalShare bounds the terminate Signal of a clean-up, so that a host that
// does not answer it leaves time for the Delete.
const signalShare = time.Second

// Close ends everything the runner opened, within CloseTimeout: the call in
// flight, if any, is cancelled and returns lync.ErrClosed; the persistent command
// is terminated (a Signal) and its shell deleted, also when the session is
// broken; clean-ups still running in the background are waited for; idle
// connections are closed. It does not close stdin first: the terminate
// Signal and the Delete end the process on the host. Later calls fail with
// lync.ErrClosed. Close returns an error when a shell could not be deleted (the
// host then ends it after its WinRS IdleTimeout, 2 hours by default) or the
// call in flight did not end in time. It may be called more than once.
func (w *WinRM) Close() error {
	w.closeOnce.Do(func() { w.closeErr = w.close() })
	return w.closeErr
}

func (w *WinRM) close() error {
	deadline := time.Now().Add(CloseTimeout)
	timer := time.AfterFunc(CloseTimeout, w.endCleanup)
	defer timer.Stop()
	w.endLife(lync.ErrClosed) // the call in flight and every session end now
	var err error
	select {
	case w.sem <- struct{}{}:
		if s := w.sess; s != nil {
			w.sess = nil
			ctx, cancel := context.WithDeadline(context.Background(), deadline)
			err = s.end(ctx)
			cancel()
		}
		<-w.sem
	case <-w.cleanup.Done():
		// A call did not end although its context did; release hands its
		// session to a clean-up when it does.
		err = &lync.TransportError{Host: w.ep.Host, Op: "close", Err: context.DeadlineExceeded}
	}
	w.mu.Lock()
	w.waiting = true
	w.mu.Unlock()
	w.bg.Wait()
	w.p.closeIdle()
	return err
}

// release gives the per-host lock back; on a closed runner it first hands
// the session to a clean-up. Called with w.sem held.
func (w *WinRM) release() {
	if s := w.sess; s != nil && w.life.Err() != nil {
		w.sess = nil
		w.background(func(ctx context.Context) { _ = s.end(ctx) })
	}
	<-w.sem
}

// background runs a clean-up under a context of CloseTimeout that also ends
// at Close's deadline, on a goroutine Close waits for (or, once Close waits,
// on the caller's).
func (w *WinRM) background(f func(ctx context.Context)) {
	run := func() {
		ctx, cancel := w.cleanupContext()
		defer cancel()
		f(ctx)
	}
	w.mu.Lock()
	if w.waiting {
		w.mu.Unlock()
		run()
		return
	}
	w.bg.Add(1)
	w.mu.Unlock()
	go func() { defer w.bg.Done(); run() }()
}

func (w *WinRM) cleanupContext() (context.Context, context.CancelFunc) {
	return context.WithTimeout(w.cleanup, CloseTimeout)
}

// errClosed is the error of a call on a closed runner.
func (w *WinRM) errClosed(op string) error {
	return &lync.TransportError{Host: w.ep.Host, Op: op, Err: lync.ErrClosed}
}

// closedOr turns the transport error of a call that Close ended into
// lync.ErrClosed; any other error, and a host's answer, stay as they are.
func (w *WinRM) closedOr(err error) error {
	var te *lync.TransportError
	if err == nil || w.life.Err() == nil || !errors.As(err, &te) {
		return err
	}
	return w.errClosed(te.Op)
}
