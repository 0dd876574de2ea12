package winrm

import (
	"bytes"
	"context"
	"sync"
	"time"

	"github.com/masterzen/winrm"
)

// Long-poll pacing. A Receive is meant to last the OperationTimeout: a real
// host holds it until output comes or that time passes. One that comes back
// without output before half of it (a w:TimedOut fault, or an empty answer)
// is early, and the next poll waits first: pollBackoffMin after the first
// early answer in a row, doubling with each one, up to the longer of
// pollBackoffMax and a quarter of the OperationTimeout. Output, a poll that
// lasted, or a Send (a script went out: its result must not wait for a
// backoff) resets the pacing. So an idle session costs at most about four
// Receives per OperationTimeout, plus the few of the ramp, whatever the host
// does; masterzen/winrm would otherwise re-poll in a tight loop.
const (
	pollBackoffMin = 50 * time.Millisecond
	pollBackoffMax = time.Second
)

// pacer paces the Receive loop of one command; safe for concurrent use.
type pacer struct {
	meant time.Duration // the OperationTimeout a poll is meant to last
	wake  chan struct{} // a Send happened: end the current wait

	mu    sync.Mutex
	early int // early answers in a row
}

func newPacer(operationTimeout time.Duration) *pacer {
	return &pacer{meant: operationTimeout, wake: make(chan struct{}, 1)}
}

// backoff returns how long to wait after a poll that took took without
// output, and counts it.
func (p *pacer) backoff(took time.Duration) time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	if took >= p.meant/2 {
		p.early = 0
		return 0
	}
	ceiling := max(pollBackoffMax, p.meant/4)
	wait := min(pollBackoffMin<<min(p.early, 16), ceiling)
	p.early++
	return wait
}

// reset ends the backoff: output came, or a script went out.
func (p *pacer) reset(sent bool) {
	p.mu.Lock()
	p.early = 0
	p.mu.Unlock()
	if sent {
		select {
		case p.wake <- struct{}{}:
		default:
		}
	}
}

// pause waits the backoff a poll without output deserves, under ctx. It
// returns ctx's error if ctx ended first.
func (p *pacer) pause(ctx context.Context, took time.Duration) error {
	wait := p.backoff(took)
	if wait == 0 {
		return ctx.Err()
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-t.C:
	case <-p.wake:
	case <-ctx.Done():
		return ctx.Err()
	}
	return nil
}

// hasOutput reports whether a ReceiveResponse carries stream data or the end
// of the command.
func hasOutput(resp string) bool {
	var out, errOut bytes.Buffer
	done, _, err := winrm.ParseSlurpOutputErrResponse(resp, &out, &errOut)
	return err != nil || done || out.Len() > 0 || errOut.Len() > 0
}
