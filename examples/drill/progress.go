package main

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/xmppfed/edgefailover/failover"
)

// recorder renders failover events as they come (live progress) and keeps
// them to measure the outage window afterwards. It is safe for concurrent
// use: Apply calls hooks from the goroutines of concurrent steps.
type recorder struct {
	mu     sync.Mutex
	w      io.Writer // nil: record only
	plan   *failover.Plan
	start  time.Time
	events []failover.Event
}

func newRecorder(w io.Writer, plan *failover.Plan) *recorder {
	return &recorder{w: w, plan: plan, start: time.Now()}
}

// event is the Hooks.Event function.
func (r *recorder) event(e failover.Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, e)
	if r.w == nil {
		return
	}
	at := e.Time.Sub(r.start).Seconds()
	what := string(e.State)
	if e.Progress {
		what = "progress"
	}
	detail := e.Message
	if e.Server != "" {
		detail = strings.TrimSpace(e.Server + " " + detail)
	}
	switch {
	case e.Progress:
	case e.State == failover.StepDone, e.State == failover.StepUndone:
		detail = strings.TrimSpace(detail + fmt.Sprintf(" (%s)", e.Elapsed.Round(time.Millisecond)))
	case e.State == failover.StepFailed, e.State == failover.StepUndoFailed, e.State == failover.StepVetoed:
		if e.Err != nil {
			detail = strings.TrimSpace(detail + ": " + e.Err.Error())
		}
	}
	fmt.Fprintf(r.w, "  %7.3fs  %-34s %-12s %s\n", at, e.Step, what, detail)
}

// Events returns the events recorded so far.
func (r *recorder) Events() []failover.Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]failover.Event(nil), r.events...)
}

// window measures, from the events, the time from the first change (the
// start of the first step that changes something) to the success of the
// last check that federation works: the remote-view verifications, or the
// 5269 probe when the plan has none. ok is false when either end is missing
// (the plan failed before federation worked again).
func (r *recorder) window() (first, last time.Time, ok bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var remote, probe time.Time
	for _, e := range r.events {
		s := r.plan.Step(e.Step)
		if s == nil {
			continue
		}
		switch {
		case e.Progress:
		case e.State == failover.StepStarted && len(s.Changes) > 0:
			if first.IsZero() || e.Time.Before(first) {
				first = e.Time
			}
		case e.State == failover.StepDone && strings.HasPrefix(e.Step, "verify/remote/"):
			if e.Time.After(remote) {
				remote = e.Time
			}
		case e.State == failover.StepDone && strings.HasPrefix(e.Step, "probe/"):
			if e.Time.After(probe) {
				probe = e.Time
			}
		}
	}
	last = remote
	if last.IsZero() {
		last = probe
	}
	return first, last, !first.IsZero() && !last.IsZero()
}
