package lync

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"time"

	"github.com/xmppfed/edgefailover/internal/pwsh"
)

// Server-side waits. A wait sends one script that loops on the host, reading
// the state every tick, until nothing is pending or its deadline passes, and
// then reads the state once more as a poll would (docs/wire.md §4):
//
//	$until = [DateTime]::UtcNow.AddMilliseconds(<budget>); while ([DateTime]::UtcNow -lt $until -and @(<read> | <pending>).Count -gt 0) { Start-Sleep -Milliseconds <tick> }; <poll script>
//
// A change is seen within a tick plus one round trip instead of up to a poll
// interval plus one, and a wait costs one script per budget instead of one
// per poll. The budget stays below the WinRM OperationTimeout (three
// quarters of it) and half the time left before the caller's context ends,
// so the last state comes back; a longer wait sends the next script. Only a runner that says how long its operations may last
// (*WinRM) gets such scripts; any other Runner is polled as before.

// Tick bounds: the host loop sleeps a twentieth of the poll interval, at
// least hostTickMin (Start-Sleep takes whole milliseconds) and at most
// hostTickMax.
const (
	hostTickMin = time.Millisecond
	hostTickMax = 250 * time.Millisecond
)

// maxShortWaits is how many wait scripts in a row may come back well before
// their deadline with the state still pending before the wait polls. Only
// that wait polls: the loop of a well-formed wait holds on every host that
// runs it (a named service the computer lacks, the one input that emptied
// the loop's read at once, is an error of the wait's check), so an early
// return says something about this wait's state, not about the host; the
// next wait tries the host again, at the cost of at most maxShortWaits
// scripts if it ends early too.
const maxShortWaits = 3

// maxCutOffs is how many wait scripts the host may end without a result
// before the client polls for good.
const maxCutOffs = 2

// Why a client polls instead of waiting on the host (hostWaitError.Reason).
const (
	waitRefused    = "the host refused the wait script"             // parse or binding error: an older or restricted PowerShell
	waitCutOff     = "the host ended the wait script"               // the process or session ended without a result
	waitEndedEarly = "the wait script returned before its deadline" // a loop that did not hold for this wait (logged; this wait polls)
)

// hostWaitError says why a client falls back to polling; it is logged, and
// kept by the client (see hostWaits.fallback).
type hostWaitError struct {
	Reason string
	Err    error
}

func (e *hostWaitError) Error() string {
	if e.Err == nil {
		return "lync: polling: " + e.Reason
	}
	return "lync: polling: " + e.Reason + ": " + e.Err.Error()
}

func (e *hostWaitError) Unwrap() error { return e.Err }

// hostWaits is the per-client record of whether the host runs wait scripts.
type hostWaits struct {
	mu       sync.Mutex
	cutOffs  int
	fallback *hostWaitError // set once the client polls for good
}

// hostWait is one wait: read is the cmdlet whose output is checked (its
// errors are the wait's errors, as a poll's would be), pending the
// Where-Object stage that keeps what has not reached the state, poll the
// script a poll runs (read | Select-Object ...), and check decodes its
// result and reports whether the wait is over.
type hostWait struct {
	cmdlet  string
	read    string
	pending string
	poll    string
	check   func(json.RawMessage) (bool, error)
}

// operationTimeouter is a runner that can hold long scripts and says for
// how long (lync/winrm's *WinRM: its OperationTimeout).
type operationTimeouter interface{ OperationTimeout() time.Duration }

// hostTick is the host loop's sleep for a poll interval.
func hostTick(poll time.Duration) time.Duration {
	return min(max(poll/20, hostTickMin), hostTickMax).Truncate(time.Millisecond)
}

// wait runs w until check reports done, an error, or ctx ends: server-side
// when the runner allows it, else (or after a fallback) by polling every poll.
func (c *Client) wait(ctx context.Context, w hostWait, poll time.Duration) error {
	if poll <= 0 {
		poll = DefaultPollInterval
	}
	if ot, ok := c.runner.(operationTimeouter); ok && c.waits.usable() {
		done, err := c.waitOnHost(ctx, w, poll, ot.OperationTimeout())
		if done || err != nil {
			return err
		}
	}
	return pollUntil(ctx, poll, func() (bool, error) {
		raw, err := c.runner.Run(ctx, w.poll)
		if err != nil {
			c.log.Debug("script failed", "op", w.cmdlet, "err", err)
			return false, err
		}
		return w.check(raw)
	})
}

// waitOnHost sends wait scripts until the wait is over (true), fails, or the
// host turns out not to hold them (false, nil: poll instead).
func (c *Client) waitOnHost(ctx context.Context, w hostWait, poll, opTimeout time.Duration) (bool, error) {
	tick := hostTick(poll)
	shorts := 0
	for {
		budget := opTimeout * 3 / 4
		if dl, ok := ctx.Deadline(); ok {
			left := time.Until(dl)
			budget = min(budget, left/2) // the result comes back before ctx ends, even on a slow host
		}
		if budget < 2*tick {
			return false, nil // too little time left to loop: one poll does
		}
		script := pwsh.Join(
			"$until = [DateTime]::UtcNow.AddMilliseconds("+pwsh.Int(budget.Milliseconds())+")",
			"while ([DateTime]::UtcNow -lt $until -and @("+w.read+" | "+w.pending+").Count -gt 0) { Start-Sleep -Milliseconds "+pwsh.Int(tick.Milliseconds())+" }",
			w.poll)
		start := time.Now()
		raw, err := c.runner.Run(ctx, script)
		if err != nil {
			c.log.Debug("wait script failed", "op", w.cmdlet, "err", err)
			if cerr := ctx.Err(); cerr != nil {
				return false, cerr
			}
			return false, c.waits.failed(c, w.cmdlet, err)
		}
		// A result is read even if ctx ended meanwhile: it is the last state.
		if done, err := w.check(raw); done || err != nil {
			return true, err
		}
		if cerr := ctx.Err(); cerr != nil {
			return false, cerr
		}
		if time.Since(start) >= budget/2 {
			shorts = 0
			continue
		}
		if shorts++; shorts >= maxShortWaits {
			c.log.Info("server-side wait failed; this wait polls", "op", w.cmdlet, "err", &hostWaitError{Reason: waitEndedEarly})
			return false, nil
		}
	}
}

func (h *hostWaits) usable() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.fallback == nil
}

// failed classifies the error of a wait script: the read cmdlet's own error
// and a transport failure are the wait's error (a poll would meet them too);
// a script the host refused (a *CmdletError of another cmdlet or of the
// parser, an *InputError) makes the client poll for good; a process that
// ended without a result (*HostError) makes this wait poll, and every later
// one after maxCutOffs of them. It returns the error to report, nil when the
// caller should poll.
func (h *hostWaits) failed(c *Client, cmdlet string, err error) error {
	var ce *CmdletError
	if errors.As(err, &ce) && ce.Cmdlet == cmdlet {
		return err
	}
	var ie *InputError
	if errors.As(err, &ie) || errors.As(err, &ce) {
		h.stop(c, &hostWaitError{Reason: waitRefused, Err: err})
		return nil
	}
	if !errors.Is(err, ErrNoResult) { // a process ended without a result (*winrm.HostError)
		return err // the transport failed: a poll would have met it too
	}
	h.mu.Lock()
	h.cutOffs++
	n := h.cutOffs
	h.mu.Unlock()
	fe := &hostWaitError{Reason: waitCutOff, Err: err}
	if n >= maxCutOffs {
		h.stop(c, fe)
	} else {
		c.log.Info("server-side wait failed; this wait polls", "err", fe)
	}
	return nil
}

// stop makes the client poll from now on.
func (h *hostWaits) stop(c *Client, e *hostWaitError) {
	h.mu.Lock()
	first := h.fallback == nil
	if first {
		h.fallback = e
	}
	h.mu.Unlock()
	if first {
		c.log.Warn("server-side waits off; polling", "err", e)
	}
}

// decode reads a script's JSON array into out, as Client.run does.
func decode(op string, raw json.RawMessage, out any) error {
	if err := json.Unmarshal(raw, out); err != nil {
		return &ProtocolError{Op: op, Err: err}
	}
	return nil
}
