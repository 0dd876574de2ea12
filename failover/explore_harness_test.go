package failover_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/xmppfed/edgefailover/failover"
	"github.com/xmppfed/edgefailover/failover/failovertest"
	"github.com/xmppfed/edgefailover/failover/journal"
	"github.com/xmppfed/edgefailover/lync/lynctest"
)

// This file is the machinery of the exploration test (explore_test.go): a
// schedule of faults and crashes, the "processes" that run an apply and the
// recoveries after it with those faults injected, and the invariants
// checked after every schedule.

// point is a moment in a step's life (or, for ptRecord/ptRecorded, in the
// writing of one of the apply's own records).
type point int

const (
	ptBefore      point = iota // the Before hook: nothing recorded yet
	ptStarted                  // the start record is being written; the change is not made
	ptChanged                  // the change is made, its outcome not recorded
	ptOutcome                  // the outcome record is being written
	ptUndoBefore               // the undo is about to be recorded
	ptUndoStarted              // the undo record is being written; the undo has not run
	ptUndone                   // the undo ran, its outcome not recorded
	ptUndoOutcome              // the undo's outcome record is being written
	ptRecord                   // one of the apply's own records (plan, veto, rolling-back, ...) is being written
)

var pointNames = [...]string{"before", "started", "changed", "outcome", "undo-before", "undo-started", "undone", "undo-outcome", "record"}

func (p point) String() string { return pointNames[p] }

// fault is what happens at a point.
type fault int

const (
	fCrash     fault = iota // the process stops for good (after the record being written, if any, is written)
	fCrashPre               // the process stops before the record being written is written
	fHalfCrash              // a service step has made part of its change (every service but one), then the process stops
	fVeto                   // the Before hook refuses the step
	fStepErr                // the change reports an error (at ptStarted: not made; at ptChanged: made)
	fUndoErr                // the undo reports an error (at ptUndoStarted: not run; at ptUndone: run)
	fJournal                // this journal write and every later one of the process fail (disk full)
)

var faultNames = [...]string{"crash", "crash-before-write", "half-done-crash", "veto", "step-error", "undo-error", "journal-error"}

func (f fault) String() string { return faultNames[f] }

func (f fault) crash() bool { return f == fCrash || f == fCrashPre || f == fHalfCrash }

// faultsAt lists the faults that can happen at a point; service steps can
// also be caught half-way.
func faultsAt(p point, service bool) []fault {
	switch p {
	case ptBefore:
		return []fault{fVeto, fCrash}
	case ptStarted:
		return []fault{fCrashPre, fJournal, fCrash, fStepErr}
	case ptChanged:
		if service {
			return []fault{fCrash, fStepErr, fHalfCrash}
		}
		return []fault{fCrash, fStepErr}
	case ptOutcome, ptUndoOutcome, ptRecord:
		return []fault{fCrashPre, fJournal, fCrash}
	case ptUndoBefore:
		return []fault{fCrash}
	case ptUndoStarted:
		return []fault{fJournal, fCrash, fUndoErr}
	case ptUndone:
		return []fault{fCrash, fUndoErr}
	}
	return nil
}

// site is a place where a fault can happen: a point of a step (or of a
// record kind, for ptRecord) in one process of a schedule.
type site struct {
	Proc int    // 0: the apply; 1, 2, ...: the recoveries after it
	Step string // a step ID, or a record kind for ptRecord
	At   point
}

func (s site) String() string { return fmt.Sprintf("p%d:%s@%s", s.Proc, s.Step, s.At) }

type event struct {
	site
	F fault
}

func (e event) String() string { return e.site.String() + "=" + e.F.String() }

// recovery is what an operator runs after an apply that crashed.
type recovery int

const (
	recResume        recovery = iota // Resume (and after a crash of it, Rollback)
	recRollback                      // Rollback, twice
	recInspectResume                 // Inspect first, then Resume
)

var recoveryNames = [...]string{"resume", "rollback", "inspect+resume"}

func (r recovery) String() string { return recoveryNames[r] }

// schedule is the faults and crashes of one exploration run, in the order
// their sites are reached, and what the operator runs after a crash.
type schedule struct {
	Variant string
	Events  []event
	Then    recovery
}

func (s schedule) String() string {
	var parts []string
	for _, e := range s.Events {
		parts = append(parts, e.String())
	}
	str := s.Variant + " [" + strings.Join(parts, " ") + "]"
	if s.crashes() > 0 {
		str += " then " + s.Then.String()
	}
	return str
}

func (s schedule) crashes() (n int) {
	for _, e := range s.Events {
		if e.F.crash() {
			n++
		}
	}
	return n
}

func (s schedule) faults() int { return len(s.Events) - s.crashes() }

// variant is a lab set-up the exploration runs over.
type variant struct {
	Name  string
	Opts  failovertest.Options
	Setup func(*failovertest.Lab) // before the plan is built
	Cfg   func(failover.Config) failover.Config
}

// errDead is what a crashed process would return, if it returned.
var errDead = errors.New("process is dead")

// process is one run of Apply, Resume or Rollback as a separate process
// would run it, with the schedule's events for it injected.
type process struct {
	idx    int
	lab    *failovertest.Lab
	events []event
	fj     *journal.File

	grave <-chan struct{} // closed once the schedule's test has ended

	mu      sync.Mutex
	trace   []site
	jfull   bool // a journal fault fired: every later write fails
	dead    bool
	crashed chan struct{}
}

// reach records that the process reached s and returns the fault
// scheduled there, if any.
func (p *process) reach(step string, at point) (fault, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	s := site{Proc: p.idx, Step: step, At: at}
	if n := len(p.trace); n == 0 || p.trace[n-1] != s {
		p.trace = append(p.trace, s)
	}
	for _, e := range p.events {
		if e.site == s {
			return e.F, true
		}
	}
	return 0, false
}

// die stops the calling goroutine, as the end of a process stops all of
// its goroutines, until the schedule's test has ended and closed the lab;
// then it returns, and every call of the dead process fails at once
// (errDead), so that its goroutines end and free what they hold without
// touching anything alive.
func (p *process) die() {
	p.mu.Lock()
	if !p.dead {
		p.dead = true
		close(p.crashed)
	}
	p.mu.Unlock()
	<-p.grave
}

// gone reports whether the process is dead; a call of a dead process waits
// as die does.
func (p *process) gone() bool {
	p.mu.Lock()
	dead := p.dead
	p.mu.Unlock()
	if dead {
		<-p.grave
	}
	return dead
}

func (p *process) fires(step string, at point, fs ...fault) (fault, bool) {
	f, ok := p.reach(step, at)
	if !ok {
		return 0, false
	}
	for _, want := range fs {
		if f == want {
			return f, true
		}
	}
	return 0, false
}

// Append implements journal.Journal with the journal faults.
func (p *process) Append(ctx context.Context, r journal.Record) error {
	if p.gone() {
		return errDead
	}
	step, at := r.Step, ptRecord
	switch r.Kind {
	case journal.Start:
		at = ptStarted
	case journal.Done, journal.Failed:
		at = ptOutcome
	case journal.Undo:
		if _, ok := p.fires(step, ptUndoBefore, fCrash); ok {
			p.die()
			return errDead
		}
		at = ptUndoStarted
	case journal.Undone, journal.UndoFailed:
		at = ptUndoOutcome
	default:
		step = string(r.Kind)
	}
	f, ok := p.fires(step, at, fCrashPre, fJournal, fCrash)
	if ok && f == fCrashPre {
		p.die()
		return errDead
	}
	p.mu.Lock()
	if ok && f == fJournal {
		p.jfull = true
	}
	full := p.jfull
	p.mu.Unlock()
	if full {
		return errors.New("write journal: no space left on device")
	}
	if err := p.fj.Append(ctx, r); err != nil {
		return err
	}
	if ok && f == fCrash && at != ptStarted && at != ptUndoStarted {
		p.die() // crashes after the start of a change are the inject's
		return errDead
	}
	return nil
}

func (p *process) Records(ctx context.Context) ([]journal.Record, error) { return p.fj.Records(ctx) }

// MarkIncomplete and Incomplete pass the journal's mark through.
func (p *process) MarkIncomplete(cause string) error { return p.fj.MarkIncomplete(cause) }
func (p *process) Incomplete() (string, bool)        { return p.fj.Incomplete() }

// before is the Before hook: vetoes and crashes before a step.
func (p *process) before(ctx context.Context, s *failover.Step) error {
	if p.gone() {
		return errDead
	}
	f, ok := p.fires(s.ID, ptBefore, fVeto, fCrash)
	switch {
	case ok && f == fCrash:
		p.die()
		return errDead
	case ok:
		return errors.New("vetoed by the exploration")
	}
	return nil
}

// inject runs a change or an undo with the faults around it.
func (p *process) inject(ctx context.Context, step string, undo bool, run func(context.Context) error) error {
	pre, post := ptStarted, ptChanged
	errFault := fStepErr
	if undo {
		pre, post, errFault = ptUndoStarted, ptUndone, fUndoErr
	}
	if p.gone() {
		return errDead
	}
	if f, ok := p.fires(step, pre, fCrash, errFault); ok {
		if f == fCrash {
			p.die()
			return errDead
		}
		return fmt.Errorf("injected %s before the change", f)
	}
	err := run(ctx)
	f, ok := p.fires(step, post, fCrash, errFault, fHalfCrash)
	switch {
	case !ok:
		return err
	case f == fCrash:
		p.die()
		return errDead
	}
	return errors.Join(err, fmt.Errorf("injected %s after the change", f))
}

// halfDo makes part of a service step's change by hand: every Lync service
// of the step's server but the last reaches the step's target state.
func halfDo(lab *failovertest.Lab, step string) func(context.Context) error {
	kind, host, _ := strings.Cut(step, "/")
	return func(ctx context.Context) error {
		st, err := lab.Snapshot(ctx)
		if err != nil {
			return err
		}
		var names []string
		for n := range st.Services[host] {
			names = append(names, n)
		}
		if len(names) == 0 {
			return nil
		}
		// A stable "last" service, so that the same schedule does the same.
		slices.Sort(names)
		want := lynctest.Stopped
		if kind == "start" {
			want = lynctest.Running
		}
		for _, n := range names[:len(names)-1] {
			if err := lab.Deployment().SetServiceStatus(host, n, want); err != nil {
				return err
			}
		}
		return nil
	}
}

// result is how a process ended.
type result struct {
	rep     *failover.Report
	err     error
	crashed bool
	trace   []site
}

// run runs op in a new process with the events of the schedule for it.
func (p *process) run(t *testing.T, jpath string, takeOver bool, op func(failover.ApplyOptions, journal.Journal) (*failover.Plan, *failover.Report, error)) result {
	t.Helper()
	fj, err := journal.Open(jpath, journal.Options{TakeOver: takeOver})
	if err != nil {
		t.Fatalf("process %d: open journal: %v", p.idx, err)
	}
	p.fj = fj
	p.crashed = make(chan struct{})
	o := failover.ApplyOptions{Concurrency: 1, Hooks: failover.Hooks{Before: p.before}}
	failover.Inject(&o, func(ctx context.Context, step string, undo bool, run func(context.Context) error) error {
		if !undo && strings.Contains(step, "/") && isServiceStep(step) {
			if f, ok := p.peek(step, ptChanged); ok && f == fHalfCrash && !p.gone() {
				p.reach(step, ptStarted)
				_ = halfDo(p.lab, step)(ctx)
				p.reach(step, ptChanged)
				p.die()
				return errDead
			}
		}
		return p.inject(ctx, step, undo, run)
	})
	type done struct {
		rep *failover.Report
		err error
	}
	ch := make(chan done, 1)
	go func() {
		plan, rep, err := op(o, p)
		if plan != nil {
			plan.Close()
		}
		ch <- done{rep, err}
	}()
	select {
	case d := <-ch:
		fj.Close()
		return result{rep: d.rep, err: d.err, trace: p.snapshotTrace()}
	case <-p.crashed:
		fj.Abandon() // the dead process's file and lock go with it
		return result{crashed: true, trace: p.snapshotTrace()}
	}
}

func (p *process) peek(step string, at point) (fault, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, e := range p.events {
		if e.site == (site{Proc: p.idx, Step: step, At: at}) {
			return e.F, true
		}
	}
	return 0, false
}

func (p *process) snapshotTrace() []site {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]site(nil), p.trace...)
}

func isServiceStep(id string) bool {
	for _, k := range []string{"stop/", "start/", "restart/"} {
		if strings.HasPrefix(id, k) {
			return true
		}
	}
	return false
}

// outcome is what a schedule did: every site its processes reached, in
// order, and the invariants it broke.
type outcome struct {
	trace      []site
	violations []string
	fired      int      // events that fired
	log        []string // what each process returned, in order: printed with a violation
}

func (o *outcome) violate(format string, args ...any) {
	o.violations = append(o.violations, fmt.Sprintf(format, args...))
}

// states are the lab states every schedule of a variant must end in.
type states struct {
	before, after failovertest.State
}

// explorer runs schedules over one variant.
type explorer struct {
	v  variant
	st states
}

func (x *explorer) lab(t *testing.T) (*failovertest.Lab, failover.Config) {
	lab := failovertest.Start(t, x.v.Opts)
	if x.v.Setup != nil {
		x.v.Setup(lab)
	}
	cfg := forward(lab)
	cfg.Timeouts = exploreTimeouts()
	if x.v.Cfg != nil {
		cfg = x.v.Cfg(cfg)
	}
	return lab, cfg
}

// exploreTimeouts are the lab's timeouts with every wait 6 times longer.
// The exploration injects no hang and no stuck wait: a wait that times out
// is the machine's slowness, and it breaks invariants that hold only when
// nothing but the schedule fails ((d): a Resume of an apply that only
// crashed finishes it; inconsistent only after an undo fault). With the
// lab's 10 s, a loaded 2-core machine under -race timed out a fault-free
// verify/dns in a Resume, which rolled back (honestly) instead of
// finishing. The waits still end, so that a real hang fails the schedule.
func exploreTimeouts() failover.Timeouts {
	t := failovertest.LabTimeouts()
	for _, d := range []*time.Duration{&t.Command, &t.Stop, &t.Start, &t.Replication, &t.DNS, &t.Converge, &t.Probe} {
		*d *= 6
	}
	return t
}

// reference computes the before- and after-state of the variant with a
// clean apply.
func (x *explorer) reference(t *testing.T) {
	lab, cfg := x.lab(t)
	x.st.before = snapshot(t, lab)
	p := newPlan(t, cfg)
	rep, err := p.Apply(context.Background(), failover.ApplyOptions{Concurrency: 1})
	if err != nil || rep.State != failover.StateApplied {
		t.Fatalf("%s: clean apply: %v\n%v", x.v.Name, err, rep)
	}
	x.st.after = snapshot(t, lab)
	if cmp.Equal(x.st.before, x.st.after) {
		t.Fatalf("%s: the apply changed nothing", x.v.Name)
	}
}

// run runs one schedule and checks every invariant on the way.
func (x *explorer) run(t *testing.T, s schedule) *outcome {
	ctx := context.Background()
	out := &outcome{}
	// Registered before the lab, so run after its Close: the dead
	// processes of the schedule wake up to a closed lab.
	grave := make(chan struct{})
	t.Cleanup(func() { close(grave) })
	lab, cfg := x.lab(t)
	jpath := filepath.Join(t.TempDir(), "failover.journal")
	if diff := cmp.Diff(x.st.before, snapshot(t, lab)); diff != "" {
		t.Fatalf("a new lab is not in the before-state:\n%s", diff)
	}
	eventsOf := func(proc int) []event {
		var es []event
		for _, e := range s.Events {
			if e.Proc == proc {
				es = append(es, e)
			}
		}
		return es
	}
	where := func(st failovertest.State) string {
		switch {
		case cmp.Equal(st, x.st.before):
			return "before"
		case cmp.Equal(st, x.st.after):
			return "after"
		}
		return "in between: " + cmp.Diff(x.st.before, st)
	}
	// check is invariant (b): the state reported matches the lab.
	check := func(name string, proc int, r result, prev failovertest.State) failovertest.State {
		now := snapshot(t, lab)
		if r.crashed {
			out.log = append(out.log, name+": crashed")
			return now
		}
		out.log = append(out.log, name+": "+errOrState(r))
		if r.rep == nil {
			// Refused or failed before any change: nothing changed, and the
			// error is typed.
			if !cmp.Equal(prev, now) {
				out.violate("%s returned no report (%v) but changed the lab: %s", name, r.err, cmp.Diff(prev, now))
			}
			if !typed(r.err) {
				out.violate("%s: untyped error %v", name, r.err)
			}
			return now
		}
		switch w := where(now); r.rep.State {
		case failover.StateApplied:
			if w != "after" {
				out.violate("%s reported applied, the lab is %s", name, w)
			}
		case failover.StateRolledBack, failover.StateUnchanged:
			if w != "before" {
				out.violate("%s reported %s, the lab is %s", name, r.rep.State, w)
			}
		case failover.StateInconsistent:
			if !hasUndoFault(eventsOf(proc)) {
				out.violate("%s reported inconsistent though no undo fault was injected in it: %v", name, r.err)
			}
		}
		if !strings.HasSuffix(name, "rollback") && r.rep.State != failover.StateApplied && r.err == nil {
			out.violate("%s reported %s with a nil error", name, r.rep.State)
		}
		return now
	}

	proc := 0
	newProc := func() *process {
		p := &process{idx: proc, lab: lab, events: eventsOf(proc), grave: grave}
		proc++
		return p
	}
	apply := func(o failover.ApplyOptions, j journal.Journal) (*failover.Plan, *failover.Report, error) {
		p, err := failover.New(ctx, cfg)
		if err != nil {
			return nil, nil, err
		}
		o.Journal = j
		rep, err := p.Apply(ctx, o)
		return p, rep, err
	}
	resume := func(o failover.ApplyOptions, j journal.Journal) (*failover.Plan, *failover.Report, error) {
		return failover.Resume(ctx, j, cfg, o)
	}
	rollback := func(o failover.ApplyOptions, j journal.Journal) (*failover.Plan, *failover.Report, error) {
		return failover.Rollback(ctx, j, cfg, o)
	}

	p0 := newProc()
	r := p0.run(t, jpath, false, apply)
	out.trace = append(out.trace, r.trace...)
	cur := check("p0:apply", 0, r, x.st.before)
	pureCrash := r.crashed && len(p0.events) == 1
	last := r
	lastOp := "apply"
	crashedBefore := r.crashed
	for proc < 6 {
		var op func(failover.ApplyOptions, journal.Journal) (*failover.Plan, *failover.Report, error)
		var name string
		switch {
		case last.crashed && proc == 1 && s.Then == recInspectResume:
			if _, err := inspect(jpath, cfg); err != nil && !errors.Is(err, journal.ErrEmpty) {
				out.violate("Inspect after the crash: %v", err)
			}
			if now := snapshot(t, lab); !cmp.Equal(now, cur) {
				out.violate("Inspect changed the lab: %s", cmp.Diff(cur, now))
			}
			op, name = resume, "resume"
		case last.crashed && proc == 1 && s.Then == recResume:
			op, name = resume, "resume"
		case last.crashed, last.rep != nil && last.rep.State == failover.StateInconsistent,
			last.rep == nil && lastOp == "resume" && !errors.Is(last.err, failover.ErrPlanEnded) && !errors.Is(last.err, journal.ErrEmpty),
			last.rep == nil && lastOp == "resume" && errors.Is(last.err, failover.ErrRollingBack):
			// The last case is an operator whose Resume was refused because
			// the apply had ended inconsistent (it wrote its end record and
			// died): the error matches ErrPlanEnded and ErrRollingBack, and
			// says to run Rollback, as Inspect does.
			op, name = rollback, "rollback"
		}
		if op == nil {
			break
		}
		pn := newProc()
		before := cur
		r = pn.run(t, jpath, crashedBefore, op)
		crashedBefore = r.crashed
		out.trace = append(out.trace, r.trace...)
		label := fmt.Sprintf("p%d:%s", pn.idx, name)
		cur = check(label, pn.idx, r, before)
		// (d) A Resume with no fault of its own of an apply that only
		// crashed finishes the failover.
		notBegun := errors.Is(r.err, journal.ErrEmpty) || errors.Is(r.err, failover.ErrPlanEnded)
		if name == "resume" && pn.idx == 1 && pureCrash && len(pn.events) == 0 && !notBegun && (r.rep == nil || r.rep.State != failover.StateApplied) {
			out.violate("%s of an apply that only crashed did not finish it: %v", label, errOrState(r))
		}
		last, lastOp = r, name
	}
	if last.crashed {
		out.violate("the schedule ends with a crash")
		return out
	}
	// (a) The lab ends exactly before or exactly after.
	final := where(cur)
	if final != "before" && final != "after" {
		out.violate("the lab ends %s", final)
	}
	// (e) Once the journal holds a decision to roll back (a failed step, a
	// veto, a rolling-back or rollback record), nothing rolls the failover
	// forward again: the lab ends in the before-state. (A decision the
	// process died before recording binds nobody: the next process sees an
	// apply still applying, and may finish it.)
	if d := decision(jpath); d != "" && final != "before" {
		out.violate("the journal records a decision to roll back (%s), but the lab ends %s", d, final)
	}
	// (c) The journal stays readable, and a second Resume or Rollback
	// changes nothing.
	if _, err := inspect(jpath, cfg); err != nil && !errors.Is(err, journal.ErrEmpty) {
		out.violate("the journal is unreadable at the end: %v", err)
	}
	again := newProc()
	op, name := resume, "resume"
	if lastOp == "rollback" {
		op, name = rollback, "rollback"
	}
	r = again.run(t, jpath, false, op)
	if now := snapshot(t, lab); !cmp.Equal(now, cur) {
		out.violate("a second %s changed the lab: %s", name, cmp.Diff(cur, now))
	}
	if name == "resume" && r.rep != nil {
		out.violate("a second resume ran again: %v", r.rep.State)
	}
	if name == "rollback" && !errors.Is(r.err, journal.ErrEmpty) && (r.err != nil || r.rep.State == failover.StateInconsistent) {
		out.violate("a second rollback: %v", errOrState(r))
	}
	if name == "resume" && !typed(r.err) {
		out.violate("a second resume: untyped error %v", r.err)
	}
	for _, e := range s.Events {
		for _, st := range out.trace {
			if st == e.site {
				out.fired++
				break
			}
		}
	}
	return out
}

// decision returns the first record of a journal that decides to roll
// back (or shows that a decision was taken), or "".
func decision(jpath string) string {
	f, err := os.Open(jpath)
	if err != nil {
		return ""
	}
	defer f.Close()
	recs, _, err := journal.Parse(f)
	if err != nil {
		return ""
	}
	for _, r := range recs {
		switch r.Kind {
		case journal.Failed, journal.Veto, journal.RollingBack, journal.Rollback,
			journal.Undo: // an undo runs only after a decision, recorded or not
			return fmt.Sprintf("record %d: %s %s", r.Seq, r.Kind, r.Step)
		}
	}
	return ""
}

func hasUndoFault(es []event) bool {
	for _, e := range es {
		if e.F == fUndoErr {
			return true
		}
	}
	return false
}

func errOrState(r result) string {
	if r.rep != nil {
		return fmt.Sprintf("%s (%v)", r.rep.State, r.err)
	}
	return fmt.Sprint(r.err)
}

// typed reports whether err is one a caller can act on without its text.
func typed(err error) bool {
	for _, target := range []error{failover.ErrPlanEnded, failover.ErrRollingBack, failover.ErrStalePlan,
		journal.ErrInUse, journal.ErrIncomplete, journal.ErrCorrupt, journal.ErrEmpty} {
		if errors.Is(err, target) {
			return true
		}
	}
	var se *failover.StepError
	return errors.As(err, &se)
}

func inspect(jpath string, cfg failover.Config) (*failover.Recovery, error) {
	fj, err := journal.Open(jpath, journal.Options{TakeOver: true})
	if err != nil {
		return nil, err
	}
	defer fj.Close()
	return failover.Inspect(context.Background(), fj, cfg)
}
