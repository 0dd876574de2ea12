package failover

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/xmppfed/edgefailover/failover/journal"
)

// ApplyOptions tune Apply, Resume and Rollback. The zero value works: no
// hooks, no logger, no journal, the default concurrency and undo timeout.
type ApplyOptions struct {
	// Hooks run around steps (default: none).
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
	// outcome after, and each decision (a veto, rolling back). It must be
	// empty: one journal, one apply. A step whose start cannot be recorded
	// is not run, and the apply rolls back.
	Journal journal.Journal

	// inject, set by this package's tests only, runs every step's change
	// and undo (run) for fault injection.
	inject func(ctx context.Context, s *Step, undo bool, run func(context.Context) error) error
}

// Apply runs the plan: every step once its dependencies have completed, with
// independent steps running concurrently up to Concurrency. When a step fails
// (or is vetoed, or ctx ends, or the journal cannot record it), Apply starts
// no new step, waits for the steps already running, then undoes every step
// that completed and every failed step that has an undo (it may have failed
// half-way; undos restore the before-state the plan read and are safe to run
// when the change did not happen), in reverse dependency order: a step is
// undone before the steps it depends on. Every undo is tried, whether or not
// the journal can record it; their errors are joined.
//
// The returned Report says per step what happened and which State the
// deployment is in. The error is nil when the plan was applied; otherwise it
// joins the *StepError of every failed step and of every failed undo, and
// journal.ErrIncomplete when a journal write failed. A plan can be applied
// once; a journal holds one apply (journal.ErrInUse otherwise, before
// anything is sent).
func (p *Plan) Apply(ctx context.Context, opts ApplyOptions) (*Report, error) {
	o := applyDefaults(opts)
	if p.live != nil && o.Journal != nil {
		recs, err := o.Journal.Records(ctx)
		if err != nil {
			return nil, fmt.Errorf("failover: journal: %w", err)
		}
		if len(recs) > 0 {
			return nil, fmt.Errorf("%w: it has %d records, the first of %s", journal.ErrInUse, len(recs), recs[0].Time.Format(time.RFC3339))
		}
	}
	if !p.applied.CompareAndSwap(false, true) {
		return nil, ErrAlreadyApplied
	}
	e, err := newEngine(p, o, 0)
	if err != nil {
		return nil, err
	}
	if p.live != nil {
		if err := e.journal(ctx, journal.Record{Kind: journal.Plan, Plan: p.record()}); err != nil {
			return nil, fmt.Errorf("failover: nothing was changed: %w", e.journalErr())
		}
	}
	return e.finish(ctx)
}

// finish runs the steps not done yet, undoes on failure, records the end.
func (e *engine) finish(ctx context.Context) (*Report, error) {
	failures := e.run(ctx)
	var undoErrs []error
	if len(failures) > 0 {
		e.stop(ctx, journal.Record{Kind: journal.RollingBack, Error: failures[0].Error()})
		undoErrs = e.undo(ctx, e.undoList())
	}
	rep := e.report(len(failures) > 0, len(undoErrs) > 0)
	return rep, e.end(ctx, rep, append(failures, undoErrs...))
}

// end records the end of the apply in State and joins errs with the
// journal's incompleteness, if a write failed.
func (e *engine) end(ctx context.Context, rep *Report, errs []error) error {
	_ = e.journal(context.WithoutCancel(ctx), journal.Record{Kind: journal.End, State: string(rep.State)})
	if err := e.journalErr(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

type engine struct {
	p       *Plan
	o       ApplyOptions
	order   []*Step // topological: undo runs it backwards
	started time.Time

	mu        sync.Mutex
	reports   map[string]*StepReport
	done      map[string]bool // completed, by an earlier process (Resume) or this one
	needsUndo map[string]bool // its change may be in place: completed, failed with an undo, or started by an earlier process
	emitMu    sync.Mutex
	eventLog  *slog.Logger

	jmu      sync.Mutex
	seq      int   // of the last journal record
	stopping bool  // a failure, veto or cancellation was seen: no start may follow
	jerr     error // the first journal write that failed
}

func newEngine(p *Plan, o ApplyOptions, seq int) (*engine, error) {
	order, err := checkGraph(p.Steps)
	if err != nil {
		return nil, err
	}
	e := &engine{p: p, o: o, order: order, started: time.Now(), reports: make(map[string]*StepReport, len(p.Steps)),
		done: map[string]bool{}, needsUndo: map[string]bool{}, seq: seq, eventLog: o.Logger}
	for _, s := range p.Steps {
		e.reports[s.ID] = &StepReport{ID: s.ID, Title: s.Title, State: StepNotStarted}
	}
	return e, nil
}

// journal appends r to the journal, if any, with the next sequence number.
func (e *engine) journal(ctx context.Context, r journal.Record) error {
	e.jmu.Lock()
	defer e.jmu.Unlock()
	return e.appendLocked(ctx, r)
}

func (e *engine) appendLocked(ctx context.Context, r journal.Record) error {
	if e.o.Journal == nil {
		return nil
	}
	r.Seq = e.seq + 1
	r.Time = time.Now().UTC()
	if err := e.o.Journal.Append(ctx, r); err != nil {
		if e.jerr == nil {
			e.jerr = fmt.Errorf("%w: writing its %s record failed: %w; the report says where the deployment stands, Rollback from this journal is safe, Resume refuses it", journal.ErrIncomplete, r.Kind, err)
			if m, ok := e.o.Journal.(incompleteMarker); ok {
				if merr := m.MarkIncomplete(fmt.Sprintf("writing record %d (%s) failed: %v", r.Seq, r.Kind, err)); merr != nil {
					e.jerr = fmt.Errorf("%w (and marking the journal incomplete failed: %v)", e.jerr, merr)
				}
			}
		}
		return err
	}
	e.seq++
	return nil
}

func (e *engine) journalErr() error {
	e.jmu.Lock()
	defer e.jmu.Unlock()
	return e.jerr
}

// errStopping: a step was about to start after the apply decided to stop.
var errStopping = errors.New("failover: the apply is stopping")

// start records a step's start, unless the apply is stopping: the journal
// never holds a start after the decision to roll back.
func (e *engine) start(ctx context.Context, s *Step) error {
	e.jmu.Lock()
	defer e.jmu.Unlock()
	if e.stopping {
		return errStopping
	}
	return e.appendLocked(ctx, journal.Record{Kind: journal.Start, Step: s.ID})
}

// stop records a decision (failed, veto, rolling-back; none for a zero r)
// and stops new starts. The decision holds even if it cannot be recorded.
func (e *engine) stop(ctx context.Context, r journal.Record) {
	e.jmu.Lock()
	defer e.jmu.Unlock()
	e.stopping = true
	if r.Kind != "" {
		_ = e.appendLocked(context.WithoutCancel(ctx), r)
	}
}

// run schedules the steps and returns the errors of the steps that failed.
func (e *engine) run(ctx context.Context) []error {
	pending := make(map[string]int, len(e.p.Steps))
	dependents := make(map[string][]*Step)
	var ready []*Step
	for _, s := range e.order {
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
		if errors.Is(r.err, errStopping) {
			continue
		}
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
			e.stop(ctx, journal.Record{Kind: journal.Veto, Step: s.ID, Error: err.Error()})
			e.setState(s, StepVetoed, err)
			e.emit(Event{Time: time.Now(), State: StepVetoed, Step: s.ID, Message: "refused by a Before hook", Err: err})
			return &StepError{Step: s.ID, Phase: PhaseBefore, Err: fmt.Errorf("%w: %w", ErrVetoed, err)}
		}
	}
	if err := e.start(ctx, s); err != nil {
		if errors.Is(err, errStopping) {
			return err
		}
		e.stop(ctx, journal.Record{}) // finish records the decision, with this error as its cause
		e.setState(s, StepFailed, err)
		return &StepError{Step: s.ID, Phase: PhaseDo, Err: fmt.Errorf("failover: journal: %w", err)}
	}
	start := time.Now()
	e.mu.Lock()
	e.reports[s.ID].Started = start
	e.mu.Unlock()
	e.emit(Event{Time: start, State: StepStarted, Step: s.ID, Message: s.Title})

	err := e.call(ctx, s, false, s.do, &progress{step: s.ID, state: StepStarted, start: start, emit: e.emit})
	if err == nil {
		if jerr := e.journal(context.WithoutCancel(ctx), journal.Record{Kind: journal.Done, Step: s.ID}); jerr != nil {
			err = fmt.Errorf("failover: journal: %w", jerr)
		}
	}
	if err != nil {
		e.stop(ctx, journal.Record{Kind: journal.Failed, Step: s.ID, Error: err.Error()})
	}

	e.mu.Lock()
	rep := e.reports[s.ID]
	rep.Finished = time.Now()
	if err == nil {
		rep.State = StepDone
		e.done[s.ID] = true
	} else {
		rep.State = StepFailed
		rep.Error = err.Error()
	}
	if err == nil || s.undo != nil {
		e.needsUndo[s.ID] = true
	}
	e.mu.Unlock()

	if err != nil {
		e.emit(Event{Time: time.Now(), State: StepFailed, Step: s.ID, Elapsed: time.Since(start), Err: err, Message: err.Error()})
	} else {
		e.emit(Event{Time: time.Now(), State: StepDone, Step: s.ID, Elapsed: time.Since(start)})
	}
	if h := e.o.Hooks.After; h != nil {
		h(ctx, s, err)
	}
	if err != nil {
		return &StepError{Step: s.ID, Phase: PhaseDo, Err: err}
	}
	return nil
}

// call runs a step's change or undo (fn may be nil: nothing to do).
func (e *engine) call(ctx context.Context, s *Step, undo bool, fn func(context.Context, *progress) error, p *progress) error {
	run := func(ctx context.Context) error {
		if fn == nil {
			return nil
		}
		return fn(ctx, p)
	}
	if e.o.inject != nil {
		return e.o.inject(ctx, s, undo, run)
	}
	return run(ctx)
}

// undoList returns the steps that need undoing, in the order to undo them:
// the reverse of a topological order, so that a step is undone before every
// step it depends on (never by completion time or journal position).
func (e *engine) undoList() []*Step {
	e.mu.Lock()
	defer e.mu.Unlock()
	return reverseTopo(e.order, e.needsUndo)
}

func reverseTopo(order []*Step, set map[string]bool) []*Step {
	var out []*Step
	for i := len(order) - 1; i >= 0; i-- {
		if s := order[i]; set[s.ID] && s.undo != nil {
			out = append(out, s)
		}
	}
	return out
}

// undo runs the undos of steps, in the order given, under a context detached
// from ctx's cancellation and bounded by UndoTimeout. It tries every undo,
// and runs each whether or not the journal can record it: undos are
// idempotent, and a deployment restored without a record beats one left
// half-changed.
func (e *engine) undo(ctx context.Context, steps []*Step) []error {
	uctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), e.o.UndoTimeout)
	defer cancel()
	var errs []error
	for _, s := range steps {
		start := time.Now()
		e.emit(Event{Time: start, State: StepUndoStarted, Step: s.ID, Message: s.Undo})
		_ = e.journal(uctx, journal.Record{Kind: journal.Undo, Step: s.ID})
		err := e.call(uctx, s, true, s.undo, &progress{step: s.ID, state: StepUndoStarted, start: start, emit: e.emit})
		outcome := journal.Record{Kind: journal.Undone, Step: s.ID}
		if err != nil {
			outcome = journal.Record{Kind: journal.UndoFailed, Step: s.ID, Error: err.Error()}
		}
		_ = e.journal(uctx, outcome)
		e.mu.Lock()
		rep := e.reports[s.ID]
		if err != nil {
			rep.State = StepUndoFailed
			rep.UndoErr = err.Error()
		} else {
			rep.State = StepUndone
			rep.UndoErr = ""
		}
		e.mu.Unlock()
		if err != nil {
			errs = append(errs, &StepError{Step: s.ID, Phase: PhaseUndo, Err: err})
			e.emit(Event{Time: time.Now(), State: StepUndoFailed, Step: s.ID, Elapsed: time.Since(start), Err: err, Message: err.Error()})
		} else {
			e.emit(Event{Time: time.Now(), State: StepUndone, Step: s.ID, Elapsed: time.Since(start)})
		}
		if h := e.o.Hooks.OnUndo; h != nil {
			h(uctx, s, err)
		}
	}
	return errs
}

func (e *engine) setState(s *Step, st StepState, err error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	rep := e.reports[s.ID]
	rep.State = st
	if err != nil {
		rep.Error = err.Error()
	}
}

func (e *engine) emit(ev Event) {
	if e.eventLog != nil {
		attrs := []slog.Attr{slog.String("step", ev.Step), slog.String("state", string(ev.State))}
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
		if len(s.Changes) > 0 && (r.State == StepDone || r.State == StepUndone || r.State == StepUndoFailed) {
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
