package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/xmppfed/edgefailover/examples/internal/checkcmd"
	"github.com/xmppfed/edgefailover/examples/internal/labfaults"
	"github.com/xmppfed/edgefailover/examples/internal/labfiles"
	"github.com/xmppfed/edgefailover/failover/failovertest"
)

// rehearsalConfigEnv makes the test binary the child of TestRehearsal: it
// runs `failover -config FILE -apply -yes` with the secrets from its
// environment, as the real program would, until the parent kills it.
const rehearsalConfigEnv = "EDGEFAILOVER_REHEARSAL_CONFIG"

// stopDone reports whether the journal at path records a stop step done:
// the moment the parent kills the child, in the middle of the apply (the
// target pool's services stopped on a server, the route and DNS not yet
// verified).
func stopDone(path string) bool {
	b, _ := os.ReadFile(path)
	for _, line := range bytes.Split(b, []byte("\n")) {
		_, body, _ := bytes.Cut(line, []byte(" ")) // "<crc32> <record>"
		var r struct{ Kind, Step string }
		if json.Unmarshal(body, &r) == nil && r.Kind == "done" && strings.HasPrefix(r.Step, "stop/") {
			return true
		}
	}
	return false
}

// TestRehearsal runs the README's rehearsal end to end against the lab
// that examples/lab serves, through the programs' run functions: check
// (unhealthy: the source pool is dead) -> dry run (changes nothing) ->
// apply in a child process killed with SIGKILL in the middle (once the
// journal records a stop step done) -> resume (or
// rollback) in this process, taking the dead child's lock over -> check
// (healthy after a resume; the lab as before after a rollback).
func TestRehearsal(t *testing.T) {
	if path := os.Getenv(rehearsalConfigEnv); path != "" {
		a := &app{env: os.LookupEnv}
		os.Exit(a.run(context.Background(), []string{"-config", path, "-apply", "-yes"}, os.Stdout, os.Stderr))
	}
	t.Parallel()
	for _, recovery := range []string{"resume", "rollback"} {
		t.Run(recovery, func(t *testing.T) {
			t.Parallel()
			rehearse(t, recovery)
		})
	}
}

func rehearse(t *testing.T, recovery string) {
	// What `go run ./examples/lab -kill-source` serves, with a latency
	// profile slow enough that the kill lands inside the apply.
	lab := failovertest.Start(t, failovertest.Options{Latency: labfaults.Realistic(0.02)})
	if err := lab.FailPool(failovertest.SourcePool); err != nil {
		t.Fatal(err)
	}
	files, err := labfiles.Write(t.TempDir(), lab.Endpoints())
	if err != nil {
		t.Fatal(err)
	}
	env := func(k string) (string, bool) { v, ok := files.Env[k]; return v, ok }
	check := func(want int) string {
		t.Helper()
		var out, errb bytes.Buffer
		if code := checkcmd.RunEnv(context.Background(), files.CheckArgs, &out, &errb, env); code != want {
			t.Fatalf("check: exit %d, want %d\n%s%s", code, want, out.String(), errb.String())
		}
		return out.String()
	}

	// 1. check: federation is down, and not on the target pool.
	if out := check(checkcmd.ExitUnhealthy); !strings.Contains(out, "FAIL     route/Site2") {
		t.Errorf("check before:\n%s", out)
	}
	before := snapshot(t, lab)

	// 2. dry run.
	code, out, errs := runApp(t, files.Env, "", "-config", files.Failover)
	if code != exitOK || !strings.Contains(out, "dry run: nothing was changed") || !strings.Contains(out, "rfc2136: conditional and atomic") {
		t.Fatalf("dry run: exit %d\n%s%s", code, out, errs)
	}
	if diff := cmp.Diff(comparable(before), comparable(snapshot(t, lab))); diff != "" {
		t.Fatalf("the dry run changed the lab:\n%s", diff)
	}

	// 3. apply in a child process, 4. kill -9 in the middle.
	cmd := exec.Command(os.Args[0], "-test.run=^TestRehearsal$", "-test.count=1")
	cmd.Env = append(os.Environ(), rehearsalConfigEnv+"="+files.Failover)
	for k, v := range files.Env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	var childOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &childOut, &childOut
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	deadline := time.After(60 * time.Second)
wait:
	for {
		if stopDone(files.Journal) {
			break
		}
		select {
		case err := <-exited:
			t.Fatalf("the apply ended (%v) before a stop step was done:\n%s", err, childOut.String())
		case <-deadline:
			break wait
		case <-time.After(time.Millisecond):
		}
	}
	_ = cmd.Process.Signal(syscall.SIGKILL)
	err = <-exited
	var ee *exec.ExitError
	if !errors.As(err, &ee) || !ee.Sys().(syscall.WaitStatus).Signaled() {
		t.Fatalf("the apply was not killed (%v): it finished or failed first:\n%s", err, childOut.String())
	}
	mid := snapshot(t, lab)
	if cmp.Equal(comparable(before), comparable(mid)) {
		t.Error("the journal says a stop step was done, but the lab has not changed")
	}

	// 5. resume or roll back, from the journal of the dead process.
	code, out, errs = runApp(t, files.Env, "", recovery, "-config", files.Failover, "-yes")
	if code != exitOK || !strings.Contains(errs, "taking it over") {
		t.Fatalf("%s: exit %d\n%s%s\nchild:\n%s", recovery, code, out, errs, childOut.String())
	}

	// 6. check.
	st := snapshot(t, lab)
	if recovery == "resume" {
		out := check(checkcmd.ExitHealthy)
		if st.Routes[failovertest.TargetSite] != "EdgeServer:"+failovertest.TargetPool || st.DNS[failovertest.FederationHost+". A"][0] != failovertest.FederationHost+". 300 IN A 192.0.2.20" {
			t.Errorf("after resume: routes %v, A %v\n%s", st.Routes, st.DNS[failovertest.FederationHost+". A"], out)
		}
		return
	}
	check(checkcmd.ExitUnhealthy) // back where it started: the source pool is still dead
	if diff := cmp.Diff(comparable(before), comparable(st)); diff != "" {
		t.Errorf("after rollback the lab is not as before (-before +after):\n%s", diff)
	}
}

// comparable is what a failover changes: routes, DNS, listeners and
// services (the replicas of a dead pool cannot catch up and are left out).
func comparable(s failovertest.State) failovertest.State {
	s.Replicas = nil
	return s
}
