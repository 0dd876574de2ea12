package failover

import (
	"context"
	"errors"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
)

// recorder keeps the order in which fake steps ran and were undone.
type recorder struct {
	mu     sync.Mutex
	events []string
}

func (r *recorder) add(s string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, s)
}

func (r *recorder) list() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.events)
}

// fake builds a step that records "do:<id>" (and "undo:<id>" when undoable),
// failing with err when err is non-nil.
func fake(rec *recorder, id string, deps []string, undoable bool, err error) *Step {
	s := &Step{ID: id, Title: "fake " + id, DependsOn: deps}
	s.do = func(ctx context.Context, p *progress) error {
		rec.add("do:" + id)
		p.Report("srv", "working")
		return err
	}
	if undoable {
		s.Changes = []Change{{Kind: Modify, Resource: id, Before: "old", After: "new"}}
		s.Undo = "restore " + id
		s.undo = func(ctx context.Context, p *progress) error {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			rec.add("undo:" + id)
			return nil
		}
	}
	return s
}

func TestApplyRunsInDependencyOrder(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	p := &Plan{Name: "t", Steps: []*Step{
		fake(rec, "a", nil, true, nil),
		fake(rec, "b", []string{"a"}, true, nil),
		fake(rec, "c", []string{"b"}, false, nil),
	}}
	var events []StepState
	rep, err := p.Apply(context.Background(), ApplyOptions{Hooks: Hooks{Event: func(e Event) { events = append(events, e.State) }}})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := rec.list(), []string{"do:a", "do:b", "do:c"}; !slices.Equal(got, want) {
		t.Errorf("ran %v, want %v", got, want)
	}
	if rep.State != StateApplied {
		t.Errorf("state %s, want applied", rep.State)
	}
	for _, s := range rep.Steps {
		if s.State != StepDone {
			t.Errorf("%s: %s", s.ID, s.State)
		}
	}
	// started, progress, done for each of the three steps.
	if len(events) != 9 {
		t.Errorf("events %v", events)
	}
	if _, err := p.Apply(context.Background(), ApplyOptions{}); !errors.Is(err, ErrAlreadyApplied) {
		t.Errorf("second Apply: %v", err)
	}
}

func TestApplyBoundsConcurrency(t *testing.T) {
	t.Parallel()
	var inflight, maxSeen atomic.Int32
	started := make(chan struct{}, 8)
	gate := make(chan struct{})
	var steps []*Step
	for _, id := range []string{"a", "b", "c", "d", "e"} {
		s := &Step{ID: id}
		s.do = func(ctx context.Context, p *progress) error {
			n := inflight.Add(1)
			for {
				m := maxSeen.Load()
				if n <= m || maxSeen.CompareAndSwap(m, n) {
					break
				}
			}
			started <- struct{}{}
			<-gate
			inflight.Add(-1)
			return nil
		}
		steps = append(steps, s)
	}
	p := &Plan{Name: "t", Steps: steps}
	done := make(chan error)
	go func() {
		_, err := p.Apply(context.Background(), ApplyOptions{Concurrency: 2})
		done <- err
	}()
	<-started
	<-started // two steps run at once: independent steps are concurrent
	close(gate)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if m := maxSeen.Load(); m != 2 {
		t.Errorf("at most %d steps ran at once, want exactly 2", m)
	}
}

func TestApplyUndoesNewestFirst(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	boom := errors.New("boom")
	p := &Plan{Name: "t", Steps: []*Step{
		fake(rec, "a", nil, true, nil),
		fake(rec, "b", []string{"a"}, true, nil),
		fake(rec, "check", []string{"b"}, false, nil),
		fake(rec, "c", []string{"check"}, true, boom), // fails half-way: undone too
		fake(rec, "d", []string{"c"}, true, nil),      // never runs
	}}
	rep, err := p.Apply(context.Background(), ApplyOptions{})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want boom", err)
	}
	var se *StepError
	if !errors.As(err, &se) || se.Step != "c" || se.Phase != PhaseDo {
		t.Errorf("StepError = %+v", se)
	}
	want := []string{"do:a", "do:b", "do:check", "do:c", "undo:c", "undo:b", "undo:a"}
	if got := rec.list(); !slices.Equal(got, want) {
		t.Errorf("ran %v, want %v", got, want)
	}
	if rep.State != StateRolledBack {
		t.Errorf("state %s", rep.State)
	}
	wantState := map[string]StepState{"a": StepUndone, "b": StepUndone, "check": StepDone, "c": StepUndone, "d": StepNotStarted}
	for id, o := range wantState {
		if got := rep.Step(id).State; got != o {
			t.Errorf("%s: %s, want %s", id, got, o)
		}
	}
}

func TestApplyTriesEveryUndo(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	stuck := errors.New("stuck")
	a := fake(rec, "a", nil, true, nil)
	b := fake(rec, "b", []string{"a"}, true, nil)
	b.undo = func(ctx context.Context, p *progress) error { return stuck }
	c := fake(rec, "c", []string{"b"}, false, errors.New("boom"))
	rep, err := (&Plan{Name: "t", Steps: []*Step{a, b, c}}).Apply(context.Background(), ApplyOptions{})
	if !errors.Is(err, stuck) {
		t.Fatalf("err = %v, want the undo error joined", err)
	}
	if got := rec.list(); !slices.Contains(got, "undo:a") {
		t.Errorf("a was not undone after b's undo failed: %v", got)
	}
	if rep.State != StateInconsistent || rep.Step("b").State != StepUndoFailed {
		t.Errorf("state %s, b %s", rep.State, rep.Step("b").State)
	}
}

func TestApplyVeto(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	no := errors.New("change board said no")
	p := &Plan{Name: "t", Steps: []*Step{
		fake(rec, "a", nil, true, nil),
		fake(rec, "b", []string{"a"}, true, nil),
	}}
	rep, err := p.Apply(context.Background(), ApplyOptions{Hooks: Hooks{Before: func(ctx context.Context, s *Step) error {
		if s.ID == "b" {
			return no
		}
		return nil
	}}})
	if !errors.Is(err, ErrVetoed) || !errors.Is(err, no) {
		t.Fatalf("err = %v", err)
	}
	if got, want := rec.list(), []string{"do:a", "undo:a"}; !slices.Equal(got, want) {
		t.Errorf("ran %v, want %v", got, want)
	}
	if rep.Step("b").State != StepVetoed || rep.State != StateRolledBack {
		t.Errorf("b %s, state %s", rep.Step("b").State, rep.State)
	}
}

func TestApplyUndoesAfterCancel(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	ctx, cancel := context.WithCancel(context.Background())
	a := fake(rec, "a", nil, true, nil)
	b := &Step{ID: "b", DependsOn: []string{"a"}}
	b.do = func(ctx context.Context, p *progress) error {
		cancel() // the operator's VPN drops mid-step
		<-ctx.Done()
		return ctx.Err()
	}
	rep, err := (&Plan{Name: "t", Steps: []*Step{a, b}}).Apply(ctx, ApplyOptions{})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	if got, want := rec.list(), []string{"do:a", "undo:a"}; !slices.Equal(got, want) {
		t.Errorf("ran %v, want %v: undo must run on a context detached from the cancelled one", got, want)
	}
	if rep.State != StateRolledBack {
		t.Errorf("state %s", rep.State)
	}
}

func TestApplyNoChanges(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	p := &Plan{Name: "t", Steps: []*Step{fake(rec, "check", nil, false, nil)}}
	rep, err := p.Apply(context.Background(), ApplyOptions{})
	if err != nil || rep.State != StateUnchanged {
		t.Fatalf("state %v, err %v", rep.State, err)
	}
}

func TestApplyRejectsBrokenGraphs(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	for name, steps := range map[string][]*Step{
		"cycle":     {fake(rec, "a", []string{"b"}, false, nil), fake(rec, "b", []string{"a"}, false, nil)},
		"unknown":   {fake(rec, "a", []string{"zz"}, false, nil)},
		"duplicate": {fake(rec, "a", nil, false, nil), fake(rec, "a", nil, false, nil)},
		"no id":     {fake(rec, "", nil, false, nil)},
	} {
		if _, err := (&Plan{Steps: steps}).Apply(context.Background(), ApplyOptions{}); !errors.Is(err, ErrInvalidPlan) {
			t.Errorf("%s: err = %v", name, err)
		}
	}
	if got := rec.list(); len(got) != 0 {
		t.Errorf("steps ran on a broken plan: %v", got)
	}
}
