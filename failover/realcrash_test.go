package failover_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/xmppfed/edgefailover/failover"
	"github.com/xmppfed/edgefailover/failover/failovertest"
	"github.com/xmppfed/edgefailover/failover/journal"
	"github.com/xmppfed/edgefailover/lync/lynctest"
)

// The environment of the child process of TestRealCrash.
const (
	crashEndpointsEnv = "EDGEFAILOVER_CRASH_ENDPOINTS" // file with the lab's Endpoints (JSON)
	crashJournalEnv   = "EDGEFAILOVER_CRASH_JOURNAL"   // the journal to apply with
)

// TestRealCrash applies in a child process (this test binary run again)
// against a lab served by this process on loopback, kills the child with
// SIGKILL at a random point (after a random number of journal lines, plus a
// random delay, so inside steps and inside writes too), and recovers from
// the journal in this process: Resume for even kills, Rollback for odd ones.
// This goes through the real fsync, flock, stale-lock and torn-line paths,
// and through a concurrent apply (Concurrency 8), which an in-process crash
// cannot. Every third child meets a start that fails late and rolls back,
// so that kills land in its undo too. After each recovery the lab must be exactly in the after-state
// (Resume, applied) or the before-state (Rollback, or a Resume that found
// the apply rolling back and then a Rollback), and a second recovery must
// change nothing.
func TestRealCrash(t *testing.T) {
	if f := os.Getenv(crashEndpointsEnv); f != "" {
		os.Exit(crashChild(f, os.Getenv(crashJournalEnv)))
	}
	t.Parallel()
	kills := 24
	if testing.Short() {
		kills = 8
	}
	opts := failovertest.Options{ServersPerPool: 2, Domains: []string{"contoso.com", "fabrikam.com"}}

	// The reference: the after-state, and how many records a whole apply
	// writes, and one that fails late (the second server will not start)
	// and rolls back.
	ref := failovertest.Start(t, opts)
	before := snapshot(t, ref)
	after, lines := reference(t, ref, false)
	_, failLines := reference(t, failovertest.Start(t, opts), true)

	var killed, recovered, lost, finished atomic.Int32
	var mu sync.Mutex
	found := map[string]int{} // what the journal said at recovery
	t.Cleanup(func() {
		t.Logf("real crash: %d kills (%d after the apply had finished), %d recovered, %d states lost; a whole apply writes %d records, a failing one %d; journals found %v",
			killed.Load(), finished.Load(), recovered.Load(), lost.Load(), lines, failLines, found)
	})
	// A fixed seed, so that a failure repeats; EDGEFAILOVER_CRASH_SEED
	// tries other kill points.
	seed := uint64(20261201)
	if v := os.Getenv("EDGEFAILOVER_CRASH_SEED"); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			t.Fatalf("EDGEFAILOVER_CRASH_SEED=%q: want a number", v)
		}
		seed = n
	}
	t.Logf("kill points from seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 11))
	for i := range kills {
		// Every third child meets a failing step and rolls back: its
		// kills land in the undo too.
		failing := i%3 == 2
		n := lines
		if failing {
			n = failLines
		}
		target, delay := rng.IntN(n), time.Duration(rng.IntN(3000))*time.Microsecond
		name := fmt.Sprintf("kill%02d-after-%d-records", i, target)
		if failing {
			name += "-of-a-failing-apply"
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			lab := failovertest.Start(t, opts)
			if diff := cmp.Diff(before, snapshot(t, lab)); diff != "" {
				t.Fatalf("a new lab differs from the reference:\n%s", diff)
			}
			if failing {
				injectLateFailure(t, lab)
			}
			dir := t.TempDir()
			jpath := filepath.Join(dir, "failover.journal")
			done := runChild(t, lab, dir, jpath, target, delay)
			lab.Deployment().ClearFaults() // the recovery runs with the cause cleared
			killed.Add(1)
			if done {
				finished.Add(1)
			}
			state := journalState(lab, jpath)
			mu.Lock()
			found[state]++
			mu.Unlock()
			ok := recoverFrom(t, lab, jpath, i%2 == 0, before, after)
			if ok {
				recovered.Add(1)
			} else {
				lost.Add(1)
			}
		})
	}
}

// injectLateFailure makes the second target server refuse its first start:
// the apply fails after most of its changes and rolls back.
func injectLateFailure(t *testing.T, lab *failovertest.Lab) {
	t.Helper()
	if _, err := lab.Deployment().Inject(lynctest.Fault{Kind: lynctest.FaultCmdletError, Host: "edge2b.contoso.com", Cmdlet: "Start-CsWindowsService", Nth: 1}); err != nil {
		t.Fatal(err)
	}
}

// reference applies in this process with a journal and returns the lab's
// state after and the number of records written.
func reference(t *testing.T, lab *failovertest.Lab, failing bool) (failovertest.State, int) {
	t.Helper()
	if failing {
		injectLateFailure(t, lab)
	}
	j := openJournal(t, filepath.Join(t.TempDir(), "ref.journal"), journal.Options{})
	rep, err := newPlan(t, forward(lab)).Apply(context.Background(), failover.ApplyOptions{Journal: j})
	if want := failover.StateApplied; failing {
		if want = failover.StateRolledBack; rep == nil || rep.State != want {
			t.Fatalf("reference apply with a failing start: %v\n%v", err, rep)
		}
	} else if err != nil || rep.State != want {
		t.Fatalf("reference apply: %v\n%v", err, rep)
	}
	recs, err := j.Records(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return snapshot(t, lab), len(recs)
}

// runChild starts the child apply and kills it once the journal holds
// target records and delay has passed. It reports whether the child had
// finished by itself first.
func runChild(t *testing.T, lab *failovertest.Lab, dir, jpath string, target int, delay time.Duration) bool {
	t.Helper()
	b, err := json.Marshal(lab.Endpoints())
	if err != nil {
		t.Fatal(err)
	}
	endpoints := filepath.Join(dir, "endpoints.json")
	if err := os.WriteFile(endpoints, b, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestRealCrash$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashEndpointsEnv+"="+endpoints, crashJournalEnv+"="+jpath)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	deadline := time.After(60 * time.Second)
	for {
		if n, _ := countLines(jpath); n >= target {
			break
		}
		select {
		case err := <-exited:
			if err != nil {
				t.Fatalf("the child failed before writing %d records: %v\n%s", target, err, out.String())
			}
			// A concurrent apply's record count varies a little: this one
			// finished first.
			return true
		case <-deadline:
			_ = cmd.Process.Kill()
			t.Fatalf("the child wrote fewer than %d records in 60 s\n%s", target, out.String())
		case <-time.After(200 * time.Microsecond):
		}
	}
	time.Sleep(delay)
	_ = cmd.Process.Signal(syscall.SIGKILL)
	err = <-exited
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			return false
		}
	}
	if err != nil {
		t.Fatalf("the child failed: %v\n%s", err, out.String())
	}
	return true // it had finished
}

// journalState says what a killed child's journal holds, for the figures.
func journalState(lab *failovertest.Lab, jpath string) string {
	if j, err := journal.Open(jpath, journal.Options{}); err == nil {
		// No stale lock: the child died before it locked the journal.
		j.Close()
		return "never locked"
	} else if !errors.Is(err, journal.ErrStaleLock) {
		return "lock: " + err.Error()
	}
	j, err := journal.Open(jpath, journal.Options{TakeOver: true})
	if err != nil {
		return "unopenable"
	}
	defer j.Close()
	r, err := failover.Inspect(context.Background(), j, forward(lab))
	switch {
	case errors.Is(err, journal.ErrEmpty):
		return "empty"
	case err != nil:
		return "unreadable"
	case r.Apply == failover.ApplyEnded:
		return "ended-" + string(r.State)
	}
	return string(r.Apply)
}

func countLines(path string) (int, error) {
	b, err := os.ReadFile(path)
	return bytes.Count(b, []byte("\n")), err
}

// recoverFrom runs Resume (or Rollback) on the killed child's journal, as
// a new process would, and checks the lab. It reports whether the lab
// ended exactly before or after, as the recovery said.
func recoverFrom(t *testing.T, lab *failovertest.Lab, jpath string, resume bool, before, after failovertest.State) bool {
	t.Helper()
	ctx := context.Background()
	j, err := journal.Open(jpath, journal.Options{TakeOver: true})
	if err != nil {
		t.Errorf("open the killed child's journal: %v", err)
		return false
	}
	defer j.Close()
	atKill := snapshot(t, lab)
	ok := true
	want := before
	if resume {
		p, rep, err := failover.Resume(ctx, j, forward(lab), failover.ApplyOptions{})
		if p != nil {
			p.Close()
		}
		switch {
		case err == nil && rep.State == failover.StateApplied:
			want = after
		case errors.Is(err, failover.ErrPlanEnded):
			want = atKill // the child ended it: nothing to do
		case errors.Is(err, journal.ErrEmpty):
			want = before // killed before the plan record: nothing was changed
		case errors.Is(err, failover.ErrRollingBack):
			p, rep, err := failover.Rollback(ctx, j, forward(lab), failover.ApplyOptions{})
			if p != nil {
				p.Close()
			}
			if err != nil {
				t.Errorf("Rollback after ErrRollingBack: %v\n%v", err, rep)
				ok = false
			}
		case rep != nil && rep.State == failover.StateRolledBack:
		default:
			t.Errorf("Resume: %v\n%v", err, rep)
			ok = false
		}
	} else {
		p, rep, err := failover.Rollback(ctx, j, forward(lab), failover.ApplyOptions{})
		if p != nil {
			p.Close()
		}
		if err != nil && !errors.Is(err, journal.ErrEmpty) {
			t.Errorf("Rollback: %v\n%v", err, rep)
			ok = false
		}
	}
	now := snapshot(t, lab)
	if !cmp.Equal(now, before) && !cmp.Equal(now, after) {
		t.Errorf("the lab is neither before nor after (-before +now):\n%s", cmp.Diff(before, now))
		return false
	}
	if diff := cmp.Diff(want, now); diff != "" {
		t.Errorf("the lab is not what the recovery said (-want +now):\n%s", diff)
		ok = false
	}
	// A second recovery changes nothing.
	p, _, _ := failover.Rollback(ctx, j, forward(lab), failover.ApplyOptions{})
	if p != nil {
		p.Close()
	}
	if resume && cmp.Equal(now, after) {
		// Rolling back an applied failover undoes it: that is a change the
		// operator asked for, not a repeat. Check a second Resume instead.
		if diff := cmp.Diff(before, snapshot(t, lab)); diff != "" {
			t.Errorf("Rollback of the resumed apply did not restore the before-state:\n%s", diff)
			ok = false
		}
		return ok
	}
	if diff := cmp.Diff(now, snapshot(t, lab)); diff != "" {
		t.Errorf("a second recovery changed the lab:\n%s", diff)
		ok = false
	}
	return ok
}

// crashChild is the child process: it applies the forward plan to the lab
// of the parent with the given journal. The parent kills it; if it is not
// killed first, it reports the state and exits 0.
func crashChild(endpointsFile, jpath string) int {
	fail := func(err error) int {
		fmt.Fprintln(os.Stderr, "child:", err)
		return 3
	}
	b, err := os.ReadFile(endpointsFile)
	if err != nil {
		return fail(err)
	}
	var e failovertest.Endpoints
	if err := json.Unmarshal(b, &e); err != nil {
		return fail(err)
	}
	r, err := failovertest.Connect(e)
	if err != nil {
		return fail(err)
	}
	defer r.Close()
	ctx := context.Background()
	cfg, err := r.FailoverConfig(ctx)
	if err != nil {
		return fail(err)
	}
	p, err := failover.New(ctx, cfg)
	if err != nil {
		return fail(err)
	}
	defer p.Close()
	j, err := journal.Open(jpath, journal.Options{})
	if err != nil {
		return fail(err)
	}
	defer j.Close()
	rep, err := p.Apply(ctx, failover.ApplyOptions{Journal: j})
	if rep == nil {
		return fail(err)
	}
	fmt.Println(rep.State, err) // a failing apply ends rolled back: the parent checks
	return 0
}
