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

// edge_credentials are the account of the Edge servers only: with the
// right password the dry run reads them; with a wrong one the management
// host still answers and the Edge servers refuse (401).
func TestEdgeCredentials(t *testing.T) {
	t.Parallel()
	lab, files := labfiles.Start(t, failovertest.Options{ServersPerPool: 1, Domains: []string{"contoso.com"}})
	var c map[string]any
	b, _ := os.ReadFile(files.Failover)
	if err := json.Unmarshal(b, &c); err != nil {
		t.Fatal(err)
	}
	c["edge_credentials"] = map[string]any{"username": lab.Endpoints().Username, "password_env": "EDGE_PW"}
	b, _ = json.Marshal(c)
	path := filepath.Join(t.TempDir(), "failover.json")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	env := labfiles.Env(lab.Endpoints())
	env["EDGE_PW"] = env[labfiles.PasswordEnv]
	if code, out, errs := runApp(t, env, "", "-config", path); code != exitOK {
		t.Fatalf("right edge password: exit %d\n%s%s", code, out, errs)
	}
	env["EDGE_PW"] = "Wr0ng-Edge-Passw0rd"
	lab.Deployment().ResetCounters()
	code, out, errs := runApp(t, env, "", "-config", path)
	if code != exitFailed || lab.Deployment().Counters().Unauthorized == 0 {
		t.Fatalf("wrong edge password: exit %d, %d 401s\n%s%s", code, lab.Deployment().Counters().Unauthorized, out, errs)
	}
	if mgmt := lab.Deployment().Host(failovertest.ManagementHost).Counters(); mgmt.Total() == 0 || strings.Contains(out+errs, "Wr0ng-Edge-Passw0rd") {
		t.Errorf("management host: %d requests; output shows the password: %v", mgmt.Total(), strings.Contains(out+errs, "Wr0ng-Edge-Passw0rd"))
	}
}
