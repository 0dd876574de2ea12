package failover

import (
	"context"
	"fmt"
	"slices"

	"github.com/xmppfed/edgefailover/failover/journal"
	"github.com/xmppfed/edgefailover/failover/preflight"
)

// replan rebuilds, from a journal and the config, the plan that wrote it:
// the same steps with the same before-states, with fresh clients.
func replan(ctx context.Context, j journal.Journal, cfg Config) (*Plan, *journalState, error) {
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
		return nil, nil, &preflight.Error{Check: "target pool " + c.TargetPool, Err: err}
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

// Resume finishes, in a new process, an apply that a journal recorded and
// that was still applying when its process stopped: it rebuilds the plan
// from the journal and the config (which must be the one the journal was
// written with), checks that every completed change is still in place
// (ErrStalePlan otherwise, before any change), and runs the steps that did
// not complete. A step that started and has no outcome may be half-done: it
// is run again (every step is idempotent) and, if the resumed apply fails
// before it does, undone. On failure Resume undoes, in reverse dependency
// order, what this and the earlier process did.
//
// Resume never rolls forward an apply that was rolling back (a step had
// failed or been vetoed, the apply was cancelled, or a Rollback began):
// that is ErrRollingBack, and Rollback finishes it. Nor does it resume from
// a journal marked incomplete (journal.ErrIncomplete: see journal.File.
// MarkIncomplete). Resuming an apply that ended is ErrPlanEnded. None of
// these changes anything. An apply that ended inconsistent gives an error
// matching both ErrPlanEnded and ErrRollingBack: its undo is unfinished.
//
// The journal gets the records of the resumed run; opts.Journal is ignored.
// Close the returned plan.
func Resume(ctx context.Context, j journal.Journal, cfg Config, opts ApplyOptions) (*Plan, *Report, error) {
	p, js, err := replan(ctx, j, cfg)
	if err != nil {
		return nil, nil, err
	}
	switch js.apply {
	case ApplyEnded:
		if js.end == StateInconsistent {
			// Its undo is unfinished: ErrRollingBack too.
			return p, nil, fmt.Errorf("%w: it ended inconsistent (%w)", ErrPlanEnded, ErrRollingBack)
		}
		return p, nil, fmt.Errorf("%w: it ended %s", ErrPlanEnded, js.end)
	case ApplyRollingBack:
		return p, nil, fmt.Errorf("%w (%s)", ErrRollingBack, js.cause)
	}
	if m, ok := j.(incompleteMarker); ok {
		if why, bad := m.Incomplete(); bad {
			return p, nil, fmt.Errorf("%w (%s): it may lack the decision to roll back: run Rollback", journal.ErrIncomplete, why)
		}
	}
	e, err := recoveryEngine(p, j, opts, js)
	if err != nil {
		return p, nil, err
	}
	for _, s := range e.order {
		switch resumeOf(js.steps[s.ID]) {
		case resumeRefuse:
			return p, nil, corrupt("step %s is %s in an apply that is applying", s.ID, js.steps[s.ID])
		case resumeRerun:
			e.needsUndo[s.ID] = true
		case resumeKeep:
			if s.inPlace != nil {
				ok, err := s.inPlace(ctx)
				if err != nil {
					return p, nil, &StepError{Step: s.ID, Phase: PhaseDo, Err: err}
				}
				if !ok {
					return p, nil, &StepError{Step: s.ID, Phase: PhaseDo, Err: fmt.Errorf("%w: the change of step %s is no longer in place", ErrStalePlan, s.ID)}
				}
			}
			e.done[s.ID] = true
			e.needsUndo[s.ID] = true
			e.reports[s.ID].State = StepDone
		}
	}
	if err := e.journal(ctx, journal.Record{Kind: journal.Resume}); err != nil {
		return p, nil, fmt.Errorf("failover: nothing was changed: %w", e.journalErr())
	}
	rep, err := e.finish(ctx)
	return p, rep, err
}

// Rollback restores the before-state of every step a journal says was
// touched and is not known to be undone: completed, failed, interrupted
// (possibly half-done) ones, and those whose undo failed or was interrupted;
// and it undoes again an undone step when a step that depends on it is
// undone now. Undos run in reverse dependency order. It works in a new
// process after a crash as well as after an ended apply (an inconsistent
// one, once its cause is cleared, or an applied one, to go back). It tries
// every undo, whether or not the journal can record it, and joins their
// errors. Rolling back twice is safe: the second run finds nothing left to
// undo and changes nothing.
//
// The journal gets a rollback record and the undo records; opts.Journal is
// ignored. Close the returned plan.
func Rollback(ctx context.Context, j journal.Journal, cfg Config, opts ApplyOptions) (*Plan, *Report, error) {
	p, js, err := replan(ctx, j, cfg)
	if err != nil {
		return nil, nil, err
	}
	e, err := recoveryEngine(p, j, opts, js)
	if err != nil {
		return p, nil, err
	}
	set := rollbackSet(e.order, js)
	for _, s := range p.Steps {
		// A step touched before shows as done, undone or undo-failed, so
		// the report says rolled-back also when an earlier run undid it.
		e.reports[s.ID].State = reportState(js.steps[s.ID])
	}
	e.stop(ctx, journal.Record{Kind: journal.Rollback})
	undoErrs := e.undo(ctx, reverseTopo(e.order, set))
	rep := e.report(true, len(undoErrs) > 0)
	return p, rep, e.end(ctx, rep, undoErrs)
}

// rollbackSet is the set of steps Rollback undoes, by the rollback table.
func rollbackSet(order []*Step, js *journalState) map[string]bool {
	set := map[string]bool{}
	for _, s := range order {
		if s.undo != nil && rollbackOf(js.steps[s.ID]) == rollbackUndo {
			set[s.ID] = true
		}
	}
	// An undone step is undone again when a step that depends on it (even
	// through others) is undone now. Walking the order backwards visits
	// dependents before what they depend on.
	byID := make(map[string]*Step, len(order))
	for _, s := range order {
		byID[s.ID] = s
	}
	marked := map[string]bool{}
	for i := len(order) - 1; i >= 0; i-- {
		s := order[i]
		if !set[s.ID] && !marked[s.ID] {
			continue
		}
		for _, d := range s.DependsOn {
			marked[d] = true
			if byID[d].undo != nil && rollbackOf(js.steps[d]) == rollbackIfDependents {
				set[d] = true
			}
		}
	}
	return set
}

func rollbackOf(s StepState) rollbackAction { return rollbackTable[s] }

// reportState is how Rollback's report shows a step of an earlier process
// before it undoes anything: a started step as done (its change may be in
// place), an interrupted undo as failed (its resources may hold anything).
func reportState(s StepState) StepState {
	switch s {
	case StepStarted:
		return StepDone
	case StepUndoStarted:
		return StepUndoFailed
	}
	return s
}

func applyDefaults(o ApplyOptions) ApplyOptions {
	if o.Concurrency <= 0 {
		o.Concurrency = DefaultConcurrency
	}
	if o.UndoTimeout <= 0 {
		o.UndoTimeout = DefaultUndoTimeout
	}
	return o
}

// recoveryEngine is the engine Resume and Rollback drive: the replanned p,
// marked applied, writing to the journal j it was replayed from, its
// records numbered on from the last one read.
func recoveryEngine(p *Plan, j journal.Journal, opts ApplyOptions, js *journalState) (*engine, error) {
	o := applyDefaults(opts)
	o.Journal = j
	p.applied.Store(true)
	return newEngine(p, o, js.seq)
}
