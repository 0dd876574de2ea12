package main

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/xmppfed/edgefailover/failover/failovertest"
	"github.com/xmppfed/edgefailover/lync/lynctest"
)

// A failed apply that was rolled back cleanly exits 4; one whose undo
// failed exits 5 and says to run rollback, and rollback (the cause cleared)
// exits 0 with the lab as before.
func TestFailedApplyExitCodes(t *testing.T) {
	t.Parallel()
	const srv = "edge2a.contoso.com"

	t.Run("rolled back", func(t *testing.T) {
		t.Parallel()
		lab := failovertest.Start(t, failovertest.Options{ServersPerPool: 1})
		cfg, env := labConfig(t, lab)
		path := writeConfig(t, cfg)
		before := snapshot(t, lab)
		if _, err := lab.Deployment().Inject(lynctest.Fault{Kind: lynctest.FaultCmdletError, Host: failovertest.ManagementHost, Cmdlet: "Set-CsSite", Nth: 1}); err != nil {
			t.Fatal(err)
		}
		code, out, errs := runApp(t, env, "", "-config", path, "-apply", "-yes")
		if code != exitRolledBack || !strings.Contains(errs, "the deployment is as before") {
			t.Fatalf("exit %d, want %d\n%s\n%s", code, exitRolledBack, out, errs)
		}
		if diff := cmp.Diff(before, snapshot(t, lab)); diff != "" {
			t.Errorf("exit 4 but the lab differs:\n%s", diff)
		}
	})

	t.Run("inconsistent, then rollback", func(t *testing.T) {
		t.Parallel()
		lab := failovertest.Start(t, failovertest.Options{ServersPerPool: 1})
		cfg, env := labConfig(t, lab)
		path := writeConfig(t, cfg)
		before := snapshot(t, lab)
		// The route fails, and the undo of the stop (starting the services
		// again) fails too, while the fault lasts.
		d := lab.Deployment()
		for _, f := range []lynctest.Fault{
			{Kind: lynctest.FaultCmdletError, Host: failovertest.ManagementHost, Cmdlet: "Set-CsSite", Nth: 1},
			{Kind: lynctest.FaultCmdletError, Host: srv, Cmdlet: "Start-CsWindowsService"},
		} {
			remove, err := d.Inject(f)
			if err != nil {
				t.Fatal(err)
			}
			defer remove()
		}
		code, out, errs := runApp(t, env, "", "-config", path, "-apply", "-yes")
		if code != exitInconsistent || !strings.Contains(errs, "failover rollback -config") {
			t.Fatalf("exit %d, want %d\n%s\n%s", code, exitInconsistent, out, errs)
		}
		// Resume refuses: the apply was rolling back.
		if code, out, errs := runApp(t, env, "", "resume", "-config", path, "-yes"); code != exitInconsistent || !strings.Contains(errs, "run \"failover rollback") {
			t.Fatalf("resume: exit %d, want %d\n%s\n%s", code, exitInconsistent, out, errs)
		}
		// inspect says so, changing nothing, and exits 5.
		atFailure := snapshot(t, lab)
		code, out, errs = runApp(t, env, "", "inspect", "-config", path)
		if code != exitInconsistent || !strings.Contains(out, "ended inconsistent") || !strings.Contains(out, "Next: clear the cause") {
			t.Fatalf("inspect: exit %d, want %d\n%s\n%s", code, exitInconsistent, out, errs)
		}
		if diff := cmp.Diff(atFailure, snapshot(t, lab)); diff != "" {
			t.Errorf("inspect changed the lab:\n%s", diff)
		}
		d.ClearFaults()
		if code, out, errs := runApp(t, env, "", "rollback", "-config", path, "-yes"); code != exitOK {
			t.Fatalf("rollback: exit %d\n%s\n%s", code, out, errs)
		}
		if code, out, errs := runApp(t, env, "", "inspect", "-config", path, "-json"); code != exitOK || !strings.Contains(out, `"state": "rolled-back"`) {
			t.Fatalf("inspect after rollback: exit %d\n%s\n%s", code, out, errs)
		}
		if diff := cmp.Diff(before, snapshot(t, lab)); diff != "" {
			t.Errorf("after rollback the lab differs:\n%s", diff)
		}
	})
}
