package failover

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"
)

// Defaults of ApplyOptions.
const (
	DefaultConcurrency = 8
	DefaultUndoTimeout = 10 * time.Minute
)

// ApplyOptions tune Apply. The zero value is usable.
type ApplyOptions struct {
	Hooks Hooks
	// Concurrency bounds the steps that run at once (default DefaultConcurrency).
	// 1 runs the plan one step at a time in a topological order.
	Concurrency int
	// UndoTimeout is the deadline of the undo phase. Undo runs even when the
	// context given to Apply is done (that is often why it runs), under a
	// context detached from its cancellation (default DefaultUndoTimeout).
	UndoTimeout time.Duration
	// Logger receives one record per event (default: none).
	Logger *slog.Logger
	// Journal, if set, records the apply so that Resume or Rollback can
	// finish it in another process after a crash: the plan and its
	// before-states first, then each step's start before its change and its
	// outcome after. A step whose start cannot be recorded is not run.
	Journal Journal
}

// Apply runs the plan: every step once its dependencies have completed, with
// independent steps running concurrently up to Concurrency. When a step fails
// (or is vetoed, or ctx ends), Apply starts no new step, waits for the steps
// already running, then undoes newest first every step that completed and
// every failed step that has an undo (it may have failed half-way; undos
// restore the before-state the plan read and are safe to run when the change
// did not happen). Every undo is tried; their errors are joined.
//
// The returned Report says per step what happened and which State the
// deployment is in. The error is nil when the plan was applied; otherwise it
// joins the *StepError of every failed step and of every failed undo.
// A plan can be applied once.
func (p *Plan) Apply(ctx context.Context, opts *ApplyOptions) (*Report, error) {
	if !p.applied.CompareAndSwap(false, true) {
		return nil, ErrAlreadyApplied
	}
	o := applyDefaults(opts)
	if _, err := checkGraph(p.Steps); err != nil {
		return nil, err
	}
	e := newEngine(p, o, 0)
	if p.live != nil {
		if err := e.journal(ctx, Record{Kind: RecordPlan, Plan: p.record()}); err != nil {
			return nil, fmt.Errorf("failover: journal: %w", err)
		}
	}
	return e.finish(ctx)
}

// finish runs the steps not done yet, undoes on failure, records the end.
func (e *engine) finish(ctx context.Context) (*Report, error) {
	failures := e.run(ctx)
	var undoErrs []error
	if len(failures) > 0 {
		undoErrs = e.undo(ctx)
	}
	rep := e.report(len(failures) > 0, len(undoErrs) > 0)
	errs := append(failures, undoErrs...)
	if err := e.journal(context.WithoutCancel(ctx), Record{Kind: RecordEnd, State: rep.State}); err != nil {
		errs = append(errs, fmt.Errorf("failover: journal: %w", err))
	}
	return rep, errors.Join(errs...)
}

type engine struct {
	p       *Plan
	o       ApplyOptions
	started time.Time

	mu       sync.Mutex
	reports  map[string]*StepReport
	done     map[string]bool // completed, by an earlier process (Resume) or this one
	toUndo   []*Step         // in completion order: completed steps, and failed steps that have an undo
	emitMu   sync.Mutex
	eventLog *slog.Logger

	jmu sync.Mutex
	seq int // of the last journal record
}

func newEngine(p *Plan, o ApplyOptions, seq int) *engine {
	e := &engine{p: p, o: o, started: time.Now(), reports: make(map[string]*StepReport, len(p.Steps)), done: map[string]bool{}, seq: seq}
	for _, s := range p.Steps {
		e.reports[s.ID] = &StepReport{ID: s.ID, Title: s.Title, Outcome: OutcomePending}
	}
	e.eventLog = o.Logger
	return e
}

// journal appends r to the journal, if any, with the next sequence number.
func (e *engine) journal(ctx context.Context, r Record) error {
	if e.o.Journal == nil {
		return nil
	}
	e.jmu.Lock()
	defer e.jmu.Unlock()
	r.Seq = e.seq + 1
	r.Time = time.Now().UTC()
	if err := e.o.Journal.Append(ctx, r); err != nil {
		return err
	}
	e.seq++
	return nil
}

// run schedules the steps and returns the errors of the steps that failed.
func (e *engine) run(ctx context.Context) []error {
	pending := make(map[string]int, len(e.p.Steps))
	dependents := make(map[string][]*Step)
	var ready []*Step
	for _, s := range e.p.Steps {
		if e.done[s.ID] {
			continue
		}
		for _, d := range s.DependsOn {
			if !e.done[d] {
				pending[s.ID]++
				dependents[d] = append(dependents[d], s)
			}
		}
		if pending[s.ID] == 0 {
			ready = append(ready, s)
		}
	}
	type result struct {
		s   *Step
		err error
	}
	results := make(chan result)
	running := 0
	var failures []error
	for {
		for len(failures) == 0 && len(ready) > 0 && running < e.o.Concurrency {
			s := ready[0]
			ready = ready[1:]
			if err := ctx.Err(); err != nil {
				failures = append(failures, &StepError{Step: s.ID, Phase: PhaseDo, Err: err})
				break
			}
			running++
			go func() { results <- result{s, e.runStep(ctx, s)} }()
		}
		if running == 0 {
			return failures
		}
		r := <-results
		running--
		if r.err != nil {
			failures = append(failures, r.err)
			continue
		}
		for _, d := range dependents[r.s.ID] {
			if pending[d.ID]--; pending[d.ID] == 0 {
				ready = append(ready, d)
			}
		}
	}
}

func (e *engine) runStep(ctx context.Context, s *Step) error {
	if h := e.o.Hooks.Before; h != nil {
		if err := h(ctx, s); err != nil {
			e.setOutcome(s, OutcomeVetoed, err)
			e.emit(Event{Time: time.Now(), Kind: EventFailed, Step: s.ID, Message: "vetoed", Err: err})
			return &StepError{Step: s.ID, Phase: PhaseBefore, Err: fmt.Errorf("%w: %w", ErrVetoed, err)}
		}
	}
	if err := e.journal(ctx, Record{Kind: RecordStart, Step: s.ID}); err != nil {
		e.setOutcome(s, OutcomeFailed, err)
		return &StepError{Step: s.ID, Phase: PhaseDo, Err: fmt.Errorf("failover: journal: %w", err)}
	}
	start := time.Now()
	e.mu.Lock()
	e.reports[s.ID].Started = start
	e.mu.Unlock()
	e.emit(Event{Time: start, Kind: EventStarted, Step: s.ID, Message: s.Title})

	var err error
	if s.do != nil {
		err = s.do(ctx, &Progress{step: s.ID, start: start, emit: e.emit})
	}
	outcome := Record{Kind: RecordDone, Step: s.ID}
	if err != nil {
		outcome = Record{Kind: RecordFailed, Step: s.ID, Error: err.Error()}
	}
	if jerr := e.journal(context.WithoutCancel(ctx), outcome); jerr != nil {
		err = errors.Join(err, fmt.Errorf("failover: journal: %w", jerr))
	}

	e.mu.Lock()
	rep := e.reports[s.ID]
	rep.Finished = time.Now()
	if err == nil {
		rep.Outcome = OutcomeDone
		e.done[s.ID] = true
	} else {
		rep.Outcome = OutcomeFailed
		rep.Error = err.Error()
	}
	if err == nil || s.undo != nil {
		e.toUndo = append(e.toUndo, s)
	}
	e.mu.Unlock()

	if err != nil {
		e.emit(Event{Time: time.Now(), Kind: EventFailed, Step: s.ID, Elapsed: time.Since(start), Err: err, Message: err.Error()})
	} else {
		e.emit(Event{Time: time.Now(), Kind: EventFinished, Step: s.ID, Elapsed: time.Since(start)})
	}
	if h := e.o.Hooks.After; h != nil {
		h(ctx, s, err)
	}
	if err != nil {
		return &StepError{Step: s.ID, Phase: PhaseDo, Err: err}
	}
	return nil
}

// undo undoes, newest first, what run recorded, under a context detached from
// ctx's cancellation and bounded by UndoTimeout. It tries every undo.
func (e *engine) undo(ctx context.Context) []error {
	uctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), e.o.UndoTimeout)
	defer cancel()
	var errs []error
	for i := len(e.toUndo) - 1; i >= 0; i-- {
		s := e.toUndo[i]
		if s.undo == nil {
			continue
		}
		start := time.Now()
		e.emit(Event{Time: start, Kind: EventUndoStarted, Step: s.ID, Message: s.Undo})
		err := e.journal(uctx, Record{Kind: RecordUndo, Step: s.ID})
		if err == nil {
			err = s.undo(uctx, &Progress{step: s.ID, start: start, emit: e.emit})
			outcome := Record{Kind: RecordUndone, Step: s.ID}
			if err != nil {
				outcome = Record{Kind: RecordUndoFailed, Step: s.ID, Error: err.Error()}
			}
			if jerr := e.journal(uctx, outcome); jerr != nil {
				err = errors.Join(err, fmt.Errorf("failover: journal: %w", jerr))
			}
		}
		e.mu.Lock()
		rep := e.reports[s.ID]
		if err != nil {
			rep.Outcome = OutcomeUndoFailed
			rep.UndoErr = err.Error()
		} else {
			rep.Outcome = OutcomeUndone
		}
		e.mu.Unlock()
		if err != nil {
			errs = append(errs, &StepError{Step: s.ID, Phase: PhaseUndo, Err: err})
			e.emit(Event{Time: time.Now(), Kind: EventUndoFailed, Step: s.ID, Elapsed: time.Since(start), Err: err, Message: err.Error()})
		} else {
			e.emit(Event{Time: time.Now(), Kind: EventUndone, Step: s.ID, Elapsed: time.Since(start)})
		}
		if h := e.o.Hooks.OnUndo; h != nil {
			h(uctx, s, err)
		}
	}
	return errs
}

func (e *engine) setOutcome(s *Step, o Outcome, err error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	rep := e.reports[s.ID]
	rep.Outcome = o
	if err != nil {
		rep.Error = err.Error()
	}
}

func (e *engine) emit(ev Event) {
	if e.eventLog != nil {
		attrs := []slog.Attr{slog.String("step", ev.Step), slog.String("event", string(ev.Kind))}
		if ev.Server != "" {
			attrs = append(attrs, slog.String("server", ev.Server))
		}
		if ev.Elapsed > 0 {
			attrs = append(attrs, slog.Duration("elapsed", ev.Elapsed))
		}
		level := slog.LevelInfo
		if ev.Err != nil {
			level = slog.LevelError
			attrs = append(attrs, slog.String("error", ev.Err.Error()))
		}
		e.eventLog.LogAttrs(context.Background(), level, ev.Message, attrs...)
	}
	if h := e.o.Hooks.Event; h != nil {
		// One event at a time, so that a display need not lock.
		e.emitMu.Lock()
		defer e.emitMu.Unlock()
		h(ev)
	}
}

func (e *engine) report(failed, undoFailed bool) *Report {
	e.mu.Lock()
	defer e.mu.Unlock()
	rep := &Report{Plan: e.p.Name, Started: e.started, Finished: time.Now()}
	changed := false
	for _, s := range e.p.Steps {
		r := *e.reports[s.ID]
		rep.Steps = append(rep.Steps, r)
		if len(s.Changes) > 0 && (r.Outcome == OutcomeDone || r.Outcome == OutcomeUndone || r.Outcome == OutcomeUndoFailed) {
			changed = true
		}
	}
	switch {
	case !failed && e.p.HasChanges():
		rep.State = StateApplied
	case !failed:
		rep.State = StateUnchanged
	case undoFailed:
		rep.State = StateInconsistent
	case changed:
		rep.State = StateRolledBack
	default:
		rep.State = StateUnchanged
	}
	return rep
}
