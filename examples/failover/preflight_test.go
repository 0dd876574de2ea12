package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xmppfed/edgefailover/examples/internal/labfiles"
	"github.com/xmppfed/edgefailover/failover/failovertest"
)

// TestPreflightRefusal: the CLI's dry run against a lab without XMPP
// partners exits 1 with every finding and nothing changed; with
// "preflight": {"accept_warnings": ["xmpp-partners"]} it shows the accepted
// warning and exits 0.
func TestPreflightRefusal(t *testing.T) {
	t.Parallel()
	lab, files := labfiles.Start(t, failovertest.Options{ServersPerPool: 1, Domains: []string{"contoso.com"},
		PreflightFaults: []failovertest.PreflightFault{failovertest.FaultNoPartners}})
	env := labfiles.Env(lab.Endpoints())
	code, out, errs := runApp(t, env, "", "-config", files.Failover)
	if code != exitFailed || !strings.Contains(errs, "[warning] xmpp-partners Global: no XMPP allowed partner") ||
		!strings.Contains(errs, "[ok] version edgepool2.contoso.com") || !strings.Contains(errs, "nothing was changed.") {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	var c map[string]any
	b, _ := os.ReadFile(files.Failover)
	if err := json.Unmarshal(b, &c); err != nil {
		t.Fatal(err)
	}
	c["preflight"] = map[string]any{"accept_warnings": []string{"xmpp-partners"}, "check_reachability": true}
	b, _ = json.Marshal(c)
	path := filepath.Join(t.TempDir(), "failover.json")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errs = runApp(t, env, "", "-config", path)
	if code != exitOK || !strings.Contains(out, "[warning, accepted] xmpp-partners Global") ||
		!strings.Contains(out, "[ok] reachability edge2a.contoso.com:23456") {
		t.Fatalf("accepted: exit %d\n%s%s", code, out, errs)
	}
}
