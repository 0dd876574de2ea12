package failover_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/xmppfed/edgefailover/failover"
	"github.com/xmppfed/edgefailover/failover/failovertest"
)

// lostJournal stands for a journal whose disk went away (or whose process
// lost its session) right after the route change was announced: every later
// record fails, so the apply stops where it is, undoing nothing.
type lostJournal struct {
	*failover.FileJournal
	lost bool
}

func (j *lostJournal) Append(ctx context.Context, r failover.Record) error {
	if j.lost {
		return errors.New("journal disk gone")
	}
	err := j.FileJournal.Append(ctx, r)
	j.lost = r.Kind == failover.RecordStart && r.Step == "route/Site2"
	return err
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
	fj, err := failover.OpenJournal(path, nil)
	if err != nil {
		log.Fatal(err)
	}
	_, err = plan.Apply(ctx, &failover.ApplyOptions{Journal: &lostJournal{FileJournal: fj}, Concurrency: 1})
	fmt.Println("first apply failed:", err != nil)
	plan.Close()
	fj.Close()

	// Second process: what does the journal say, then resume.
	fj, err = failover.OpenJournal(path, nil)
	if err != nil {
		log.Fatal(err)
	}
	defer fj.Close()
	r, err := failover.Inspect(ctx, fj, cfg)
	if err != nil {
		log.Fatal(err)
	}
	for _, s := range r.Steps[:4] {
		fmt.Printf("%-11s %s\n", s.Status, s.ID)
	}
	resumed, report, err := failover.Resume(ctx, fj, cfg, nil)
	if err != nil {
		log.Fatal(err)
	}
	defer resumed.Close()
	fmt.Println("resumed:", report.State)
	// Output:
	// first apply failed: true
	// completed   preflight
	// completed   stop/edge2a.contoso.com
	// unknown     route/Site2
	// not started start/edge2a.contoso.com
	// resumed: applied
}
