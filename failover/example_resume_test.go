package failover_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/xmppfed/edgefailover/failover"
	"github.com/xmppfed/edgefailover/failover/failovertest"
	"github.com/xmppfed/edgefailover/failover/journal"
)

// dyingJournal stands for a process that dies right after announcing the
// route change: the record is on disk, then nothing more happens (the
// Append never returns, as nothing returns in a killed process).
type dyingJournal struct {
	*journal.File
	dead chan struct{} // closed when the process "dies"
}

func (j *dyingJournal) Append(ctx context.Context, r journal.Record) error {
	if err := j.File.Append(ctx, r); err != nil {
		return err
	}
	if r.Kind == journal.Start && r.Step == "route/Site2" {
		close(j.dead)
		select {} // the process is gone
	}
	return nil
}

// An apply is interrupted half-way; a new process opens the same journal,
// sees where it stopped, and resumes it to the end.
func ExampleResume() {
	lab, err := failovertest.New(failovertest.Options{ServersPerPool: 1, Domains: []string{"contoso.com"}})
	if err != nil {
		log.Fatal(err)
	}
	defer lab.Close()
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "journal")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "failover.journal")
	cfg, err := lab.FailoverConfig(ctx)
	if err != nil {
		log.Fatal(err)
	}

	// First process: interrupted after announcing the route change.
	plan, err := failover.New(ctx, cfg)
	if err != nil {
		log.Fatal(err)
	}
	fj, err := journal.Open(path, journal.Options{})
	if err != nil {
		log.Fatal(err)
	}
	dying := &dyingJournal{File: fj, dead: make(chan struct{})}
	go plan.Apply(ctx, failover.ApplyOptions{Journal: dying, Concurrency: 1})
	<-dying.dead
	fmt.Println("first process died")
	fj.Close() // a killed process's lock goes too (a real one leaves a stale lock: journal.Options.TakeOver)

	// Second process: what does the journal say, then resume.
	fj, err = journal.Open(path, journal.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer fj.Close()
	r, err := failover.Inspect(ctx, fj, cfg)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.Apply, "-", r.Next)
	for _, s := range r.Steps[:4] {
		fmt.Printf("%-11s %s\n", s.State, s.ID)
	}
	resumed, report, err := failover.Resume(ctx, fj, cfg, failover.ApplyOptions{})
	if err != nil {
		log.Fatal(err)
	}
	defer resumed.Close()
	fmt.Println("resumed:", report.State)
	// Output:
	// first process died
	// applying - Resume finishes the apply; Rollback restores the before-state
	// done        preflight
	// done        stop/edge2a.contoso.com
	// started     route/Site2
	// not-started start/edge2a.contoso.com
	// resumed: applied
}
