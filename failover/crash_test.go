package failover_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/xmppfed/edgefailover/failover"
	"github.com/xmppfed/edgefailover/failover/failovertest"
)

// A crash point is a step boundary at which the applying process dies.
type crashPoint int

const (
	beforeStart   crashPoint = iota // before the start record: the change was not announced
	beforeChange                    // start recorded, change not made
	beforeOutcome                   // change made, outcome not recorded
	afterOutcome                    // outcome recorded, next step not started
)

func (c crashPoint) String() string {
	return [...]string{"before-start", "before-change", "before-outcome", "after-outcome"}[c]
}

// crashingJournal wraps a file journal; at the crash point it stops the
// calling goroutine for good, as a killed process would stop. Applies that
// crash run with Concurrency 1, so that nothing else is in flight.
type crashingJournal struct {
	inner *failover.FileJournal
	step  string
	at    crashPoint

	crashed chan struct{} // closed when the crash happens
	dead    chan struct{} // never closed while the test runs
	once    sync.Once
}

func (c *crashingJournal) die() error {
	c.once.Do(func() { close(c.crashed) })
	<-c.dead
	return errors.New("dead")
}

func (c *crashingJournal) Append(ctx context.Context, r failover.Record) error {
	select {
	case <-c.crashed:
		return c.die()
	default:
	}
	hit := r.Step == c.step
	if hit && ((c.at == beforeStart && r.Kind == failover.RecordStart) || (c.at == beforeOutcome && r.Kind != failover.RecordStart)) {
		return c.die()
	}
	if err := c.inner.Append(ctx, r); err != nil {
		return err
	}
	if hit && ((c.at == beforeChange && r.Kind == failover.RecordStart) || (c.at == afterOutcome && r.Kind != failover.RecordStart)) {
		return c.die()
	}
	return nil
}

func (c *crashingJournal) Records(ctx context.Context) ([]failover.Record, error) {
	return c.inner.Records(ctx)
}

// crash applies a plan with a journal that dies at (step, at), and returns
// the journal's path once the process is "dead".
func crash(t *testing.T, lab *failovertest.Lab, step string, at crashPoint) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "failover.journal")
	fj, err := failover.OpenJournal(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	cj := &crashingJournal{inner: fj, step: step, at: at, crashed: make(chan struct{}), dead: make(chan struct{})}
	p, err := failover.New(context.Background(), forward(lab))
	if err != nil {
		t.Fatal(err)
	}
	finished := make(chan error, 1)
	go func() {
		_, err := p.Apply(context.Background(), &failover.ApplyOptions{Journal: cj, Concurrency: 1})
		finished <- err
	}()
	select {
	case <-cj.crashed:
	case err := <-finished:
		t.Fatalf("the apply ended (%v) before reaching %s %s", err, at, step)
	}
	fj.Abandon() // the dead process's file and lock go with it
	return path
}

// reopen opens a crashed journal as a new process does: the stale lock is
// reported, then taken over explicitly.
func reopen(t *testing.T, path string) *failover.FileJournal {
	t.Helper()
	if _, err := failover.OpenJournal(path, nil); !errors.Is(err, failover.ErrStaleLock) {
		t.Fatalf("opening a dead process's journal: %v, want ErrStaleLock", err)
	}
	return openJournal(t, path, &failover.JournalOptions{TakeOver: true})
}

// TestCrashMatrix kills an apply at every boundary of every step, then in a
// new "process" resumes it (the deployment ends failed over) or rolls it
// back (the deployment ends exactly as it was).
func TestCrashMatrix(t *testing.T) {
	t.Parallel()
	opts := failovertest.Options{ServersPerPool: 1, Domains: []string{"contoso.com"}}
	probe := failovertest.Start(t, opts)
	steps := newPlan(t, forward(probe)).Steps

	var tried, recovered, lost atomic.Int32
	t.Cleanup(func() {
		t.Logf("crash matrix: %d crash points tried, %d recovered, %d states lost", tried.Load(), recovered.Load(), lost.Load())
	})
	for _, s := range steps {
		for _, at := range []crashPoint{beforeStart, beforeChange, beforeOutcome, afterOutcome} {
			for _, then := range []string{"resume", "rollback"} {
				t.Run(fmt.Sprintf("%s/%s/%s", s.ID, at, then), func(t *testing.T) {
					t.Parallel()
					tried.Add(1)
					lab := failovertest.Start(t, opts)
					before := snapshot(t, lab)
					path := crash(t, lab, s.ID, at)
					j := reopen(t, path)
					ctx := context.Background()
					if then == "resume" {
						p, rep, err := failover.Resume(ctx, j, forward(lab), nil)
						if p != nil {
							defer p.Close()
						}
						st := snapshot(t, lab)
						if err != nil || rep.State != failover.StateApplied || !failedOver(st) {
							lost.Add(1)
							t.Fatalf("Resume: %v\n%v\n%+v", err, rep, st)
						}
						if _, _, err := failover.Resume(ctx, j, forward(lab), nil); !errors.Is(err, failover.ErrPlanEnded) {
							t.Errorf("second Resume: %v, want ErrPlanEnded", err)
						}
					} else {
						for i := range 2 { // rolling back twice is safe
							p, rep, err := failover.Rollback(ctx, j, forward(lab), nil)
							if p != nil {
								p.Close()
							}
							if err != nil {
								lost.Add(1)
								t.Fatalf("Rollback %d: %v\n%v", i+1, err, rep)
							}
							if diff := cmp.Diff(before, snapshot(t, lab)); diff != "" {
								lost.Add(1)
								t.Fatalf("Rollback %d did not restore the lab (-before +after):\n%s\n%v", i+1, diff, rep)
							}
						}
					}
					recovered.Add(1)
				})
			}
		}
	}
}

// failedOver reports whether the lab serves federation from the target pool.
func failedOver(s failovertest.State) bool {
	if s.Routes[failovertest.TargetSite] != "EdgeServer:"+failovertest.TargetPool || !s.Listeners[failovertest.TargetPool] {
		return false
	}
	a := s.DNS["xmpp.contoso.com. A"]
	return len(a) == 1 && a[0] == "xmpp.contoso.com. 300 IN A 192.0.2.20"
}
