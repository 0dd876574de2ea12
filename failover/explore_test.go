package failover_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/xmppfed/edgefailover/failover"
	"github.com/xmppfed/edgefailover/failover/failovertest"
	"github.com/xmppfed/edgefailover/failover/journal"
	"github.com/xmppfed/edgefailover/lync/lynctest"
)

// TestExploreSchedules explores fault schedules instead of picking them.
//
// A schedule places faults at sites: a site is a point in the life of a step
// (before it, its start record, its change, its outcome record, and the same
// four points of its undo) or the writing of one of the apply's own records,
// in one process: the apply, or one of the recoveries an operator runs after
// it. A fault is a crash (the process stops for good, before or after the
// record being written, or with a service step half-done), a veto, a step
// error, an undo error, or a journal write error (every later write of the
// process fails too, as on a full disk). A schedule has at most two faults
// and at most two crashes; after a crashed apply the operator runs Resume,
// Rollback, or Inspect then Resume; after a crashed recovery, or a report
// of inconsistent, Rollback, with the faults of the crashed process cleared.
//
// The space is the tree of schedules whose faults are all reached: the
// children of a schedule are its events plus one at a site its run reached
// after its last event. Level 1 (one fault or crash) is explored whole;
// levels 2 and 3 are sampled with a fixed seed, and their sizes are counted
// (level 2) or estimated from the sample (level 3). EDGEFAILOVER_EXPLORE
// sets the number of samples, or "level2" to explore level 2 whole.
//
// After every schedule: (a) the lab is exactly in the before-state or the
// planned after-state; (b) every report says which (applied only with the
// after-state, rolled-back and unchanged only with the before-state),
// inconsistent only where an undo fault was injected in that process, and a
// call without a report changed nothing and returned a typed error; (c) the
// journal is still readable and a second Resume or Rollback changes nothing;
// (d) a fault-free Resume of an apply that only crashed finishes it.
func TestExploreSchedules(t *testing.T) {
	t.Parallel()
	// level1: how many level-1 schedules per variant (0: all of them);
	// samples: how many of levels 2 and 3.
	level1, samples, whole2 := 0, 120, false
	if raceEnabled || testing.Short() {
		level1, samples = 60, 30
	}
	switch v := os.Getenv("EDGEFAILOVER_EXPLORE"); {
	case v == "level2":
		level1, whole2 = 0, true
	case v != "":
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			t.Fatalf("EDGEFAILOVER_EXPLORE=%q: want a number of samples of levels 2-3 (level 1 whole), or level2", v)
		}
		level1, samples = 0, n
	}
	for _, v := range variants() {
		t.Run(v.Name, func(t *testing.T) {
			t.Parallel()
			explore(t, v, level1, samples/len(variants()), whole2)
		})
	}
}

func variants() []variant {
	opts := failovertest.Options{ServersPerPool: 1, Domains: []string{"contoso.com"}}
	return []variant{
		{Name: "runbook", Opts: opts},
		{
			// Rolling, with one target service stopped before the failover:
			// a rollback must leave it stopped.
			Name: "rolling-one-stopped",
			Opts: opts,
			Setup: func(lab *failovertest.Lab) {
				if err := lab.Deployment().SetServiceStatus("edge2a.contoso.com", stoppedService(lab), lynctest.Stopped); err != nil {
					panic(err)
				}
			},
			Cfg: func(c failover.Config) failover.Config { c.Strategy = failover.Rolling; return c },
		},
	}
}

// stoppedService is the target service the rolling variant stops: the first
// by name that is not the CMS replica (replication must go on).
func stoppedService(lab *failovertest.Lab) string {
	st, err := lab.Snapshot(context.Background())
	if err != nil {
		panic(err)
	}
	var names []string
	for n := range st.Services["edge2a.contoso.com"] {
		if n != "REPLICA" {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	return names[0]
}

// tally counts schedules explored and held, by level.
type tally struct {
	mu       sync.Mutex
	explored [4]int
	held     [4]int
	failed   []string
}

func (ty *tally) add(level int, s schedule, o *outcome) {
	ty.mu.Lock()
	defer ty.mu.Unlock()
	ty.explored[level]++
	if len(o.violations) == 0 {
		ty.held[level]++
	} else {
		ty.failed = append(ty.failed, s.String()+": "+strings.Join(o.violations, "; "))
	}
}

func explore(t *testing.T, v variant, level1Max, samples int, whole2 bool) {
	x := &explorer{v: v}
	x.reference(t)
	ty := &tally{}
	rootOut := x.run(t, schedule{Variant: v.Name})
	ty.add(0, schedule{Variant: v.Name}, rootOut)
	level1 := children(schedule{Variant: v.Name}, rootOut.trace)
	rng := rand.New(rand.NewPCG(20261201, uint64(len(v.Name))))
	level1Run := level1
	if level1Max > 0 && level1Max < len(level1) {
		level1Run = sample(rng, level1, level1Max)
	}

	type node struct {
		s   schedule
		out *outcome
	}
	var mu sync.Mutex
	var ran []node
	runAll := func(name string, level int, ss []schedule) {
		t.Run(name, func(t *testing.T) {
			for _, s := range ss {
				t.Run(s.String(), func(t *testing.T) {
					t.Parallel()
					o := x.run(t, s)
					if o.fired != len(s.Events) {
						t.Errorf("only %d of the %d events fired: the schedule is not in the space", o.fired, len(s.Events))
					}
					for _, msg := range o.violations {
						t.Error(msg)
					}
					if len(o.violations) > 0 {
						t.Logf("the processes returned:\n%s", strings.Join(o.log, "\n"))
					}
					ty.add(level, s, o)
					mu.Lock()
					ran = append(ran, node{s, o})
					mu.Unlock()
				})
			}
		})
	}
	// The nodes are sorted by schedule: they are appended as parallel
	// schedules finish, and the samples drawn from them with the fixed seed
	// must be the same in every run, so that a schedule that broke in one
	// run (printed by name) runs again in the next.
	byName := func(ns []node) []node {
		slices.SortFunc(ns, func(a, b node) int { return strings.Compare(a.s.String(), b.s.String()) })
		return ns
	}
	runAll("level1", 1, level1Run)
	level1Nodes := byName(ran)
	ran = nil

	// Level 2 is counted exactly from the level-1 traces.
	var level2 []schedule
	for _, n := range level1Nodes {
		level2 = append(level2, children(n.s, n.out.trace)...)
	}
	if whole2 {
		runAll("level2", 2, level2)
	} else {
		pick := make([]schedule, 0, samples)
		for range min(samples, len(level2)) {
			pick = append(pick, level2[rng.IntN(len(level2))])
		}
		runAll("level2-sample", 2, dedupSchedules(pick))
	}
	// Level 3: a child of a third of the level-2 schedules run, sampled.
	level2Nodes := byName(ran)
	var level3 []schedule
	childCount := 0
	for i, n := range level2Nodes {
		cs := children(n.s, n.out.trace)
		childCount += len(cs)
		if i%3 == 0 && len(cs) > 0 {
			level3 = append(level3, cs[rng.IntN(len(cs))])
		}
	}
	if !whole2 {
		runAll("level3-sample", 3, dedupSchedules(level3))
	}
	n2 := len(level2) * len(level1) / max(1, len(level1Run)) // level 2 counted, or scaled up from the level-1 sample
	est3 := 0
	if len(level2Nodes) > 0 {
		est3 = childCount * n2 / len(level2Nodes)
	}
	ty.mu.Lock()
	defer ty.mu.Unlock()
	total, held := 0, 0
	for i := range ty.explored {
		total += ty.explored[i]
		held += ty.held[i]
	}
	l2 := fmt.Sprint(n2)
	if len(level1Run) < len(level1) {
		l2 = "≈" + l2
	}
	t.Logf("%s: schedule space: level 1 %d, level 2 %s, level 3 ≈%d (estimated from %d level-2 runs)", v.Name, len(level1), l2, est3, len(level2Nodes))
	t.Logf("%s: explored %d schedules (level 1 %d of %d, level 2 %d, level 3 %d), %d held, %d broke an invariant",
		v.Name, total, ty.explored[1], len(level1), ty.explored[2], ty.explored[3], held, total-held)
	for _, f := range ty.failed {
		t.Logf("broken: %s", f)
	}
}

// sample picks n distinct schedules of ss, in their order.
func sample(rng *rand.Rand, ss []schedule, n int) []schedule {
	idx := rng.Perm(len(ss))[:n]
	slices.Sort(idx)
	out := make([]schedule, n)
	for i, j := range idx {
		out[i] = ss[j]
	}
	return out
}

func dedupSchedules(ss []schedule) []schedule {
	seen := map[string]bool{}
	var out []schedule
	for _, s := range ss {
		if k := s.String(); !seen[k] {
			seen[k] = true
			out = append(out, s)
		}
	}
	return out
}

// children extends s by one event at a site its run reached after its last
// event, within the limits of two faults and two crashes.
func children(s schedule, trace []site) []schedule {
	from := 0
	if n := len(s.Events); n > 0 {
		i := slices.Index(trace, s.Events[n-1].site)
		if i < 0 {
			return nil // the last event did not fire
		}
		from = i + 1
	}
	var out []schedule
	for _, st := range trace[from:] {
		for _, f := range faultsAt(st.At, isServiceStep(st.Step)) {
			if f.crash() && s.crashes() >= 2 || !f.crash() && s.faults() >= 2 {
				continue
			}
			c := schedule{Variant: s.Variant, Events: append(slices.Clip(s.Events), event{st, f}), Then: s.Then}
			if f.crash() && st.Proc == 0 {
				for _, r := range []recovery{recResume, recRollback, recInspectResume} {
					c.Then = r
					out = append(out, c)
				}
				continue
			}
			out = append(out, c)
		}
	}
	return out
}

// The eight compound failures of issue 11, each a schedule of the space,
// each broke an invariant before the state table (the note shows how).
func TestCompoundFailures(t *testing.T) {
	t.Parallel()
	const srv = "edge2a.contoso.com"
	ev := func(proc int, step string, at point, f fault) event {
		return event{site{Proc: proc, Step: step, At: at}, f}
	}
	cases := []struct {
		name string
		s    schedule
	}{
		{"1 undo fails, then Rollback undoes in dependency order", schedule{Variant: "runbook", Events: []event{
			ev(0, "verify/services", ptBefore, fVeto), ev(0, "start/"+srv, ptUndoStarted, fUndoErr)}}},
		{"2 crash after a change, Resume vetoes the step", schedule{Variant: "runbook", Then: recResume, Events: []event{
			ev(0, "stop/"+srv, ptChanged, fCrash), ev(1, "stop/"+srv, ptBefore, fVeto)}}},
		{"3 crash between two undos after a veto, then Resume", schedule{Variant: "runbook", Then: recResume, Events: []event{
			ev(0, "verify/services", ptBefore, fVeto), ev(0, "start/"+srv, ptUndoOutcome, fCrash)}}},
		{"4 disk full in the middle of the apply", schedule{Variant: "runbook", Events: []event{
			ev(0, "route/Site2", ptStarted, fJournal)}}},
		{"5 rolling restart fails: stopped services stay stopped", schedule{Variant: "rolling-one-stopped", Events: []event{
			ev(0, "restart/"+srv, ptChanged, fStepErr)}}},
		{"7 crash half-way through a pool stop, then Resume", schedule{Variant: "runbook", Then: recResume, Events: []event{
			ev(0, "stop/"+srv, ptChanged, fHalfCrash)}}},
		// Found by the exploration's level-3 sample (once its sample was
		// drawn in completion order, so it ran only sometimes): the apply
		// ends inconsistent and dies after its end record; Resume refuses
		// with ErrPlanEnded and ErrRollingBack, and the operator, as told,
		// runs Rollback, which must restore the before-state.
		{"veto, a failed undo, a crash after the end record, then Resume", schedule{Variant: "runbook", Then: recResume, Events: []event{
			ev(0, "verify/route", ptBefore, fVeto), ev(0, "stop/"+srv, ptUndoStarted, fUndoErr), ev(0, "end", ptRecord, fCrash)}}},
	}
	byName := map[string]variant{}
	for _, v := range variants() {
		byName[v.Name] = v
	}
	refs := map[string]*explorer{}
	for name, v := range byName {
		refs[name] = &explorer{v: v}
		refs[name].reference(t)
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			o := refs[c.s.Variant].run(t, c.s)
			if o.fired != len(c.s.Events) {
				t.Errorf("only %d of %d events fired: not a schedule of the space", o.fired, len(c.s.Events))
			}
			for _, v := range o.violations {
				t.Error(v)
			}
		})
	}
}

// Case 6 of issue 11: an apply with a journal that already holds one is
// refused before anything is sent, and the journal stays readable.
func TestApplyRefusesAUsedJournal(t *testing.T) {
	t.Parallel()
	lab := failovertest.Start(t, failovertest.Options{ServersPerPool: 1, Domains: []string{"contoso.com"}})
	path := t.TempDir() + "/failover.journal"
	j := openJournal(t, path, journal.Options{})
	if _, err := newPlan(t, forward(lab)).Apply(context.Background(), failover.ApplyOptions{Journal: j}); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, lab)
	second := newPlan(t, back(lab))
	// Scripts, not requests: the open sessions' long polls go on meanwhile.
	scripts := lab.Deployment().Counters().Scripts
	_, err := second.Apply(context.Background(), failover.ApplyOptions{Journal: j})
	if !errors.Is(err, journal.ErrInUse) {
		t.Fatalf("second Apply on the journal: %v, want journal.ErrInUse", err)
	}
	if got := lab.Deployment().Counters().Scripts; got != scripts {
		t.Errorf("the refused Apply ran %d scripts", got-scripts)
	}
	if diff := cmp.Diff(before, snapshot(t, lab)); diff != "" {
		t.Errorf("the refused Apply changed the lab:\n%s", diff)
	}
	if r, err := failover.Inspect(context.Background(), j, forward(lab)); err != nil || r.State != failover.StateApplied {
		t.Fatalf("the journal after the refusal: %v, %+v", err, r)
	}
}
