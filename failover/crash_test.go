package failover_test

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"

	"github.com/xmppfed/edgefailover/failover"
	"github.com/xmppfed/edgefailover/failover/failovertest"
	"github.com/xmppfed/edgefailover/failover/journal"
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
	inner *journal.File
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

func (c *crashingJournal) Append(ctx context.Context, r journal.Record) error {
	select {
	case <-c.crashed:
		return c.die()
	default:
	}
	hit := r.Step == c.step
	if hit && ((c.at == beforeStart && r.Kind == journal.Start) || (c.at == beforeOutcome && r.Kind != journal.Start)) {
		return c.die()
	}
	if err := c.inner.Append(ctx, r); err != nil {
		return err
	}
	if hit && ((c.at == beforeChange && r.Kind == journal.Start) || (c.at == afterOutcome && r.Kind != journal.Start)) {
		return c.die()
	}
	return nil
}

func (c *crashingJournal) Records(ctx context.Context) ([]journal.Record, error) {
	return c.inner.Records(ctx)
}

// crash applies a plan with a journal that dies at (step, at), and returns
// the journal's path once the process is "dead".
func crash(t *testing.T, lab *failovertest.Lab, step string, at crashPoint) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "failover.journal")
	fj, err := journal.Open(path, journal.Options{})
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
		_, err := p.Apply(context.Background(), failover.ApplyOptions{Journal: cj, Concurrency: 1})
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
func reopen(t *testing.T, path string) *journal.File {
	t.Helper()
	if _, err := journal.Open(path, journal.Options{}); !errors.Is(err, journal.ErrStaleLock) {
		t.Fatalf("opening a dead process's journal: %v, want ErrStaleLock", err)
	}
	return openJournal(t, path, journal.Options{TakeOver: true})
}

// openJournal opens the journal at path for the test and closes it at its end.
func openJournal(t *testing.T, path string, opts journal.Options) *journal.File {
	t.Helper()
	j, err := journal.Open(path, opts)
	if err != nil {
		t.Fatalf("journal.Open: %v", err)
	}
	t.Cleanup(func() { j.Close() })
	return j
}
