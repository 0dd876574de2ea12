package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xmppfed/edgefailover/examples/internal/labfiles"
)

// startLab runs the program in the background as `lab -dir DIR args...`
// and returns once control.json is written; stop interrupts it and
// returns its exit code and output.
func startLab(t *testing.T, args ...string) (dir string, stop func() (int, string)) {
	t.Helper()
	dir = t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	var out, errb bytes.Buffer
	done := make(chan int, 1)
	go func() { done <- run(ctx, append([]string{"-dir", dir}, args...), &out, &errb) }()
	wait, wcancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer wcancel()
	for {
		if _, err := os.Stat(filepath.Join(dir, controlFile)); err == nil {
			break
		}
		select {
		case code := <-done:
			cancel()
			t.Fatalf("the lab ended with %d before it was ready:\n%s\n%s", code, out.String(), errb.String())
		case <-wait.Done():
			cancel()
			t.Fatal("the lab did not get ready in 30 s")
		case <-time.After(5 * time.Millisecond):
		}
	}
	var once bool
	stop = func() (int, string) {
		cancel()
		if once {
			return exitOK, ""
		}
		once = true
		return <-done, out.String() + errb.String()
	}
	t.Cleanup(func() { stop() })
	return dir, stop
}

func labCmd(t *testing.T, dir string, args ...string) (int, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), append([]string{"-dir", dir}, args...), &out, &errb)
	return code, out.String() + errb.String()
}

// The lab writes every file, answers subcommands from "another terminal",
// and removes control.json when interrupted.
func TestLabServesAndBreaksOnRequest(t *testing.T) {
	t.Parallel()
	dir, stop := startLab(t, "-latency", "none", "-servers", "1")
	for _, f := range []string{labfiles.FailoverFile, labfiles.PrepareDRFile, labfiles.CheckFile, labfiles.EnvFile, labfiles.WinRMCAFile, labfiles.XMPPCAFile} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
	cfg, _ := os.ReadFile(filepath.Join(dir, labfiles.FailoverFile))
	if env, _ := os.ReadFile(filepath.Join(dir, labfiles.EnvFile)); len(env) == 0 || bytes.Contains(cfg, []byte("lynctest-Passw0rd")) {
		t.Errorf("env.sh is empty or the config holds the password:\n%s", cfg)
	}
	code, out := labCmd(t, dir, "status")
	if code != exitOK || !strings.Contains(out, "edgepool1.contoso.com: listener up true") {
		t.Fatalf("status: exit %d\n%s", code, out)
	}
	if code, out := labCmd(t, dir, "kill-source"); code != exitOK {
		t.Fatalf("kill-source: exit %d\n%s", code, out)
	}
	if _, out := labCmd(t, dir, "status"); !strings.Contains(out, "edgepool1.contoso.com: listener up false, 0 of 1 servers running") {
		t.Errorf("after kill-source:\n%s", out)
	}
	if code, out := labCmd(t, dir, "fault", "route-fails"); code != exitOK || !strings.Contains(out, "Set-CsSite") {
		t.Errorf("fault: exit %d\n%s", code, out)
	}
	if code, out := labCmd(t, dir, "clear"); code != exitOK {
		t.Errorf("clear: exit %d\n%s", code, out)
	}
	if code, out := labCmd(t, dir, "recover-source"); code != exitOK {
		t.Errorf("recover-source: exit %d\n%s", code, out)
	}
	code, out = stop()
	if code != exitOK || !strings.Contains(out, "lab: ready") {
		t.Errorf("interrupted lab: exit %d\n%s", code, out)
	}
	if _, err := os.Stat(filepath.Join(dir, controlFile)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("control.json left behind: %v", err)
	}
	if code, out := labCmd(t, dir, "status"); code != exitFailed || !strings.Contains(out, "no lab runs") {
		t.Errorf("status of a stopped lab: exit %d\n%s", code, out)
	}
}

func TestLabBadFlags(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{"-fault", "nope"}, {"-servers", "0"}, {"-latency", "slow"}, {"-scale", "-1"},
		{"fault"}, {"fault", "nope"}, {"explode"}, {"status", "extra"},
	} {
		var out, errb bytes.Buffer
		if code := run(context.Background(), append([]string{"-dir", t.TempDir()}, args...), &out, &errb); code != exitBadInput {
			t.Errorf("%q: exit %d, want 2\n%s", args, code, errb.String())
		}
	}
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"-h"}, &out, &errb); code != exitOK || !strings.Contains(errb.String(), "route-fails") {
		t.Errorf("-h: exit %d\n%s", code, errb.String())
	}
}
