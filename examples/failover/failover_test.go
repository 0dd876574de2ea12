package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/xmppfed/edgefailover/examples/internal/labfiles"
	"github.com/xmppfed/edgefailover/failover/failovertest"
)

const (
	pwEnv   = labfiles.PasswordEnv
	tsigEnv = labfiles.TSIGEnv
)

// labConfig returns the config file body examples/lab writes for lab
// (WinRM over HTTPS with the deployment's CA, the lab's name servers as
// resolvers and NS overrides, probe_connect from the pools' external
// addresses to their listeners, a journal in a temporary directory), and
// the environment it needs.
func labConfig(t *testing.T, lab *failovertest.Lab) (map[string]any, map[string]string) {
	t.Helper()
	dir := t.TempDir()
	e := lab.Endpoints()
	if err := os.WriteFile(filepath.Join(dir, labfiles.WinRMCAFile), []byte(e.WinRMCA), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, labfiles.XMPPCAFile), []byte(e.CA), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := labfiles.Failover(e, filepath.Join(dir, labfiles.WinRMCAFile), filepath.Join(dir, labfiles.XMPPCAFile), filepath.Join(dir, "journal"))
	// Round-trip through JSON, so that tests edit plain maps and slices.
	b, err := json.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var out map[string]any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out, labfiles.Env(e)
}

func writeConfig(t *testing.T, cfg map[string]any) string {
	t.Helper()
	b, err := json.MarshalIndent(cfg, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "failover.json")
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func runApp(t *testing.T, env map[string]string, stdin string, args ...string) (int, string, string) {
	t.Helper()
	a := &app{env: func(k string) (string, bool) { v, ok := env[k]; return v, ok }}
	if stdin != "" {
		a.stdin = strings.NewReader(stdin)
	}
	var out, errb bytes.Buffer
	code := a.run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func snapshot(t *testing.T, lab *failovertest.Lab) failovertest.State {
	t.Helper()
	st, err := lab.Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func TestDryRunChangesNothing(t *testing.T) {
	t.Parallel()
	lab := failovertest.Start(t, failovertest.Options{})
	cfg, env := labConfig(t, lab)
	path := writeConfig(t, cfg)
	before := snapshot(t, lab)
	code, out, errs := runApp(t, env, "", "-config", path, "-v")
	if !strings.Contains(errs, "level=DEBUG") {
		t.Errorf("-v logged nothing:\n%s", errs)
	}
	if code != exitOK {
		t.Fatalf("exit %d\n%s\n%s", code, out, errs)
	}
	for _, want := range []string{"+ CREATE XMPP route of site Site2", "± MODIFY xmpp.contoso.com. A: 192.0.2.10 -> 192.0.2.20", "dry run: nothing was changed",
		"DNS guarantees:\n  contoso.com. (dns_providers.lab) rfc2136: conditional and atomic"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q\n%s", want, out)
		}
	}
	if diff := cmp.Diff(before, snapshot(t, lab)); diff != "" {
		t.Errorf("the dry run changed the lab (-before +after):\n%s", diff)
	}
	if strings.Contains(out+errs, env[pwEnv]) || strings.Contains(out+errs, env[tsigEnv]) {
		t.Error("a secret was printed")
	}

	code, out, _ = runApp(t, env, "", "-config", path, "-json")
	var doc struct {
		Plan struct {
			Name  string `json:"name"`
			Steps []any  `json:"steps"`
		} `json:"plan"`
		Guarantees []struct {
			Zone       string `json:"zone"`
			Guarantees struct {
				Provider    string `json:"provider"`
				Conditional bool   `json:"conditional"`
				Atomic      bool   `json:"atomic"`
			} `json:"guarantees"`
		} `json:"dns_guarantees"`
	}
	if err := json.Unmarshal([]byte(out), &doc); code != exitOK || err != nil || len(doc.Plan.Steps) == 0 {
		t.Errorf("-json: exit %d, %v\n%s", code, err, out)
	}
	if len(doc.Guarantees) != 2 || doc.Guarantees[0].Guarantees.Provider != "rfc2136" || !doc.Guarantees[0].Guarantees.Conditional || !doc.Guarantees[0].Guarantees.Atomic {
		t.Errorf("-json dns_guarantees: %+v", doc.Guarantees)
	}
}

func TestApplyFailbackAndRollback(t *testing.T) {
	t.Parallel()
	lab := failovertest.Start(t, failovertest.Options{ServersPerPool: 1})
	cfg, env := labConfig(t, lab)
	path := writeConfig(t, cfg)
	before := snapshot(t, lab)

	if code, out, errs := runApp(t, env, "no\n", "-config", path, "-apply"); code != exitDeclined {
		t.Fatalf("declined: exit %d\n%s\n%s", code, out, errs)
	}
	if diff := cmp.Diff(before, snapshot(t, lab)); diff != "" {
		t.Fatalf("a declined apply changed the lab:\n%s", diff)
	}

	code, out, errs := runApp(t, env, "", "-config", path, "-apply", "-yes")
	if code != exitOK {
		t.Fatalf("apply: exit %d\n%s\n%s", code, out, errs)
	}
	st := snapshot(t, lab)
	if st.Routes[failovertest.TargetSite] != "EdgeServer:"+failovertest.TargetPool || st.DNS["xmpp.contoso.com. A"][0] != "xmpp.contoso.com. 300 IN A 192.0.2.20" {
		t.Fatalf("after apply: routes %v, A %v\n%s", st.Routes, st.DNS["xmpp.contoso.com. A"], out)
	}
	if !strings.Contains(out, "applied") || !strings.Contains(out, "verify/remote/fabrikam.com") {
		t.Errorf("apply output:\n%s", out)
	}
	// Applying again finds nothing to change.
	if code, out, errs := runApp(t, env, "", "-config", path, "-apply", "-yes"); code != exitOK || !strings.Contains(out, "nothing to change") {
		t.Errorf("second apply: exit %d\n%s\n%s", code, out, errs)
	}

	code, out, errs = runApp(t, env, "", "-config", path, "-apply", "-yes", "-failback")
	if code != exitOK {
		t.Fatalf("failback: exit %d\n%s\n%s", code, out, errs)
	}
	if a := snapshot(t, lab).DNS["xmpp.contoso.com. A"]; len(a) != 1 || a[0] != "xmpp.contoso.com. 300 IN A 192.0.2.10" {
		t.Errorf("after failback the A record is %v, want pool 1's 192.0.2.10", a)
	}

	// Roll the failback back from its journal: federation on pool 2 again.
	code, out, errs = runApp(t, env, "", "rollback", "-config", path, "-failback", "-yes")
	if code != exitOK {
		t.Fatalf("rollback: exit %d\n%s\n%s", code, out, errs)
	}
	if a := snapshot(t, lab).DNS["xmpp.contoso.com. A"]; len(a) != 1 || !strings.HasSuffix(a[0], "192.0.2.20") {
		t.Errorf("after rolling the failback back the A record is %v, want 192.0.2.20", a)
	}
}
