package winrm

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/xmppfed/edgefailover/internal/pwsh"

	"github.com/xmppfed/edgefailover/lync"
)

// watch ends the session when its command ends (the process exited or the
// Receive loop failed), so that no later call writes to a dead session.
func (s *session) watch(stderrDone <-chan struct{}) {
	s.cmd.Wait()
	<-stderrDone // the Receive loop closed the pipes: the copy ends
	var cause error = &HostError{Host: s.w.ep.Host, ExitCode: s.cmd.ExitCode(), Stderr: s.stderr.String()}
	if terr := s.bt.err(); terr != nil {
		cause = terr
	}
	s.cancel(cause) // before done: whoever sees done also sees broken
	close(s.done)
}

// broken reports whether the session ended or was killed.
func (s *session) broken() bool { return s.ctx.Err() != nil }

// pump moves stdout into s.stdout until stdout ends. Once the session is
// over it keeps reading and drops the output, so that the Receive loop,
// which writes into an unbuffered pipe, can always finish.
func (s *session) pump() {
	defer close(s.pumped)
	defer close(s.stdout)
	for {
		buf := make([]byte, 32<<10)
		n, err := s.cmd.Stdout.Read(buf)
		if n > 0 && s.ctx.Err() == nil {
			select {
			case s.stdout <- buf[:n]:
			case <-s.ctx.Done():
			}
		}
		if err != nil {
			return
		}
	}
}

// run sends one framed script over stdin and reads its result. A failure
// other than a *lync.CmdletError breaks the session.
func (s *session) run(ctx context.Context, inner string) (json.RawMessage, error) {
	defer s.breakWhen(ctx)()
	s.lastUsed = time.Now()
	marker := s.marker.Next()
	line := []byte(pwsh.FrameLine(marker, inner) + "\r\n")
	for len(line) > 0 {
		n := min(len(line), stdinChunk)
		if _, err := s.cmd.Stdin.Write(line[:n]); err != nil {
			s.settle(ctx)
			err = s.failure(ctx, "Send", err)
			s.cancel(err)
			return nil, err
		}
		line = line[n:]
	}
	fr := pwsh.NewFrameReader(marker)
	for {
		select {
		case chunk, ok := <-s.stdout:
			if !ok {
				err := s.failure(ctx, "Receive", s.ended())
				s.cancel(err)
				return nil, err
			}
			if _, err := fr.Write(chunk); err != nil {
				err = &lync.ProtocolError{Op: "read result", Err: err}
				s.cancel(err)
				return nil, err
			}
			if res, ok := fr.Result(); ok {
				s.lastUsed = time.Now()
				return resultOf(res)
			}
		case <-s.ctx.Done():
			return nil, s.failure(ctx, "Receive", context.Cause(s.ctx))
		}
	}
}

// breakWhen breaks s if ctx ends before the returned release is called.
// Unlike the stop of a bare context.AfterFunc, release makes the outcome
// final: once it returns, s is either broken already or ctx can no longer
// break it. A call whose context ended just as its result arrived would
// otherwise return with the break still in flight, and the next call, on
// the session it saw as healthy, failed with "session broken: context
// deadline exceeded", the previous call's context.
func (s *session) breakWhen(ctx context.Context) (release func()) {
	var mu sync.Mutex
	released := false
	stop := context.AfterFunc(ctx, func() {
		mu.Lock()
		defer mu.Unlock()
		if !released {
			s.cancel(ctx.Err())
		}
	})
	return func() {
		if stop() {
			return // the break never started
		}
		mu.Lock()
		released = true
		mu.Unlock()
	}
}

// settle gives a command that is ending a moment to end, so that a failed
// Send reports why the session died (a process that exited) rather than the
// Send's own failure.
func (s *session) settle(ctx context.Context) {
	t := time.NewTimer(200 * time.Millisecond)
	defer t.Stop()
	select {
	case <-s.done:
	case <-t.C:
	case <-ctx.Done():
	}
}

// ended describes a command that stopped: its exit code and stderr.
func (s *session) ended() error {
	select {
	case <-s.done:
		return &HostError{Host: s.w.ep.Host, ExitCode: s.cmd.ExitCode(), Stderr: s.stderr.String()}
	case <-time.After(100 * time.Millisecond):
		return errors.New("stdout closed")
	}
}

// failure builds the error of a failed operation: the caller's context
// error if it ended, else the transport's last error, as a *lync.TransportError
// that also matches lync.ErrSessionBroken unless a new session would fail the
// same way (see brokenCause).
func (s *session) failure(ctx context.Context, op string, err error) error {
	if cerr := ctx.Err(); cerr != nil {
		return &lync.TransportError{Host: s.w.ep.Host, Op: op, Err: cerr}
	}
	if s.broken() {
		if cause := context.Cause(s.ctx); cause != nil && cause != context.Canceled {
			err = cause // the root cause that ended the session
		}
	} else if terr := s.bt.err(); terr != nil {
		err = terr
	}
	var te *lync.TransportError
	if errors.As(err, &te) {
		err = te.Err
	}
	return &lync.TransportError{Host: s.w.ep.Host, Op: op, Err: brokenCause(err)}
}

// brokenCause marks err as a broken session, which the next call rebuilds,
// unless a rebuild cannot help: refused credentials (lync.ErrUnauthorized) or a
// closed runner (lync.ErrClosed).
func brokenCause(err error) error {
	if errors.Is(err, lync.ErrSessionBroken) || errors.Is(err, lync.ErrUnauthorized) || errors.Is(err, lync.ErrClosed) {
		return err
	}
	return fmt.Errorf("%w: %w", lync.ErrSessionBroken, err)
}

// end ends the session once: its requests stop (its context ends, cause
// lync.ErrClosed unless it broke before), its command is terminated and its shell
// deleted under ctx, and its goroutines are waited for until ctx ends. It
// returns the error of the Delete.
func (s *session) end(ctx context.Context) error {
	s.endOnce.Do(func() {
		s.cancel(lync.ErrClosed)
		s.endErr = s.w.endShell(ctx, s.shellID, s.bt.command())
		for _, ch := range []<-chan struct{}{s.done, s.pumped} {
			select {
			case <-ch:
			case <-ctx.Done():
			}
		}
	})
	return s.endErr
}
