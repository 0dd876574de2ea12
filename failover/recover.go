package failover

import (
	"context"
	"errors"
	"fmt"
	"slices"
)

// stepLog is what a journal says of one step.
type stepLog struct {
	started, done, failed, undoing, undone, undoFailed bool
	last                                               int // seq of its newest record
}

// journalState is a journal folded into per-step facts.
type journalState struct {
	plan  *PlanRecord
	steps map[string]*stepLog
	ended bool
	end   State
	seq   int
}

func foldJournal(recs []Record) (*journalState, error) {
	if len(recs) == 0 {
		return nil, ErrJournalEmpty
	}
	if recs[0].Kind != RecordPlan || recs[0].Plan == nil {
		return nil, journalErr("the first record is %q, not the plan", recs[0].Kind)
	}
	js := &journalState{plan: recs[0].Plan, steps: map[string]*stepLog{}}
	for _, s := range js.plan.Steps {
		js.steps[s.ID] = &stepLog{}
	}
	for _, r := range recs[1:] {
		js.seq = r.Seq
		if r.Kind == RecordEnd {
			js.ended, js.end = true, r.State
			continue
		}
		if js.ended {
			// A Rollback after an ended apply continues the same journal.
			js.ended = false
		}
		l := js.steps[r.Step]
		if l == nil {
			return nil, journalErr("record %d names step %q, which the plan does not have", r.Seq, r.Step)
		}
		switch r.Kind {
		case RecordStart:
			l.started, l.done, l.failed = true, false, false
		case RecordDone, RecordFailed:
			if !l.started {
				return nil, journalErr("record %d: step %s has an outcome but never started", r.Seq, r.Step)
			}
			l.done, l.failed = r.Kind == RecordDone, r.Kind == RecordFailed
		case RecordUndo:
			if !l.started {
				return nil, journalErr("record %d: step %s is undone but never started", r.Seq, r.Step)
			}
			l.undoing, l.undone, l.undoFailed = true, false, false
		case RecordUndone, RecordUndoFailed:
			if !l.undoing {
				return nil, journalErr("record %d: step %s has an undo outcome but no undo", r.Seq, r.Step)
			}
			l.undone, l.undoFailed = r.Kind == RecordUndone, r.Kind == RecordUndoFailed
			if l.undone {
				*l = stepLog{last: l.last}
			}
		default:
			return nil, journalErr("record %d has unknown kind %q", r.Seq, r.Kind)
		}
		l.last = r.Seq
	}
	js.seq = recs[len(recs)-1].Seq
	return js, nil
}

// replan rebuilds, from a journal and the config, the plan that wrote it:
// the same steps with the same before-states, with fresh clients.
func replan(ctx context.Context, j Journal, cfg Config) (*Plan, *journalState, error) {
	c, err := cfg.normalize()
	if err != nil {
		return nil, nil, err
	}
	recs, err := j.Records(ctx)
	if err != nil {
		return nil, nil, err
	}
	js, err := foldJournal(recs)
	if err != nil {
		return nil, nil, err
	}
	pr := js.plan
	if pr.Digest != c.digest() {
		return nil, nil, fmt.Errorf("%w: the journal's config digest differs: pass the config it was written with", ErrJournalMismatch)
	}
	ctx, cancel := context.WithTimeout(ctx, c.Timeouts.Preflight)
	defer cancel()
	pool, _, err := openPool(ctx, c)
	if err != nil {
		return nil, nil, &PreflightError{Check: "target pool " + c.TargetPool, Err: err}
	}
	var servers []string
	for _, s := range pool.Servers() {
		servers = append(servers, s.FQDN())
	}
	if !sameSet(servers, pr.Live.Servers) {
		pool.Close()
		return nil, nil, fmt.Errorf("%w: the pool's servers are now %v, the journal has %v", ErrJournalMismatch, servers, pr.Live.Servers)
	}
	l := &live{
		routeParam:    pr.Live.RouteParameter,
		siteRoute:     pr.Live.SiteRoute,
		replacedRoute: pr.Live.ReplacedRoute,
		edge:          pr.Live.Edge,
		pool:          pool,
		services:      pr.Live.Services,
		addrs:         pr.Live.Addresses,
	}
	for _, ch := range pr.Live.Zones {
		var zone zoneChange
		for _, z := range zonesOf(c) {
			if z.Name() == ch.Zone {
				zone = zoneChange{zone: z, change: ch}
			}
		}
		if zone.zone == nil {
			pool.Close()
			return nil, nil, fmt.Errorf("%w: the journal writes zone %s, which the config does not name", ErrJournalMismatch, ch.Zone)
		}
		l.zones = append(l.zones, zone)
	}
	p := build(c, l)
	ids := make([]string, len(p.Steps))
	for i, s := range p.Steps {
		ids[i] = s.ID
	}
	var want []string
	for _, s := range pr.Steps {
		want = append(want, s.ID)
	}
	if !slices.Equal(ids, want) {
		pool.Close()
		return nil, nil, fmt.Errorf("%w: the rebuilt plan's steps differ from the journal's", ErrJournalMismatch)
	}
	return p, js, nil
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// Resume finishes, in a new process, an apply that a journal recorded: it
// rebuilds the plan from the journal and the config (which must be the one
// the journal was written with), checks that every completed change is still
// in place (ErrStalePlan otherwise), and runs the steps that did not
// complete, the interrupted ones included (every step's change is safe to
// repeat). On failure it undoes, newest first, what this and the earlier
// process did. Resuming an apply that ended returns ErrPlanEnded; resuming
// twice is safe.
//
// The journal gets the records of the resumed run; opts.Journal is ignored.
// Close the returned plan.
func Resume(ctx context.Context, j Journal, cfg Config, opts *ApplyOptions) (*Plan, *Report, error) {
	p, js, err := replan(ctx, j, cfg)
	if err != nil {
		return nil, nil, err
	}
	if js.ended {
		return p, nil, fmt.Errorf("%w: it ended %s", ErrPlanEnded, js.end)
	}
	for id, l := range js.steps {
		if l.undoing {
			return p, nil, fmt.Errorf("%w: a rollback started (step %s): run Rollback", ErrPlanEnded, id)
		}
	}
	o := applyDefaults(opts)
	o.Journal = j
	p.applied.Store(true)
	e := newEngine(p, o, js.seq)
	for _, id := range doneOrder(js) {
		s := p.Step(id)
		if s.inPlace != nil {
			ok, err := s.inPlace(ctx)
			if err != nil {
				return p, nil, &StepError{Step: id, Phase: PhaseDo, Err: err}
			}
			if !ok {
				return p, nil, &StepError{Step: id, Phase: PhaseDo, Err: fmt.Errorf("%w: the change of step %s is no longer in place", ErrStalePlan, id)}
			}
		}
		e.done[id] = true
		e.reports[id].Outcome = OutcomeDone
		e.toUndo = append(e.toUndo, s)
	}
	rep, err := e.finish(ctx)
	return p, rep, err
}

// Rollback restores, newest first, the before-state of every step a journal
// says started and was not undone yet: completed, failed, and interrupted
// (possibly half-done) ones, in a new process after a crash as well as after
// an ended apply. It tries every undo and joins their errors. Rolling back
// twice is safe: the second run finds nothing left to undo.
//
// The journal gets the undo records; opts.Journal is ignored. Close the
// returned plan.
func Rollback(ctx context.Context, j Journal, cfg Config, opts *ApplyOptions) (*Plan, *Report, error) {
	p, js, err := replan(ctx, j, cfg)
	if err != nil {
		return nil, nil, err
	}
	o := applyDefaults(opts)
	o.Journal = j
	p.applied.Store(true)
	e := newEngine(p, o, js.seq)
	type pending struct {
		s    *Step
		last int
	}
	var todo []pending
	for _, s := range p.Steps {
		l := js.steps[s.ID]
		if l.started && s.undo != nil {
			todo = append(todo, pending{s, l.last})
		}
		if l.done {
			e.reports[s.ID].Outcome = OutcomeDone
		}
	}
	slices.SortFunc(todo, func(a, b pending) int { return a.last - b.last })
	for _, t := range todo {
		e.toUndo = append(e.toUndo, t.s)
	}
	undoErrs := e.undo(ctx)
	rep := e.report(true, len(undoErrs) > 0)
	if err := e.journal(context.WithoutCancel(ctx), Record{Kind: RecordEnd, State: rep.State}); err != nil {
		undoErrs = append(undoErrs, err)
	}
	return p, rep, errors.Join(undoErrs...)
}

// doneOrder lists the steps a journal says completed, oldest first.
func doneOrder(js *journalState) []string {
	var ids []string
	for _, s := range js.plan.Steps {
		if js.steps[s.ID].done {
			ids = append(ids, s.ID)
		}
	}
	slices.SortFunc(ids, func(a, b string) int { return js.steps[a].last - js.steps[b].last })
	return ids
}

func applyDefaults(opts *ApplyOptions) ApplyOptions {
	var o ApplyOptions
	if opts != nil {
		o = *opts
	}
	if o.Concurrency <= 0 {
		o.Concurrency = DefaultConcurrency
	}
	if o.UndoTimeout <= 0 {
		o.UndoTimeout = DefaultUndoTimeout
	}
	return o
}
