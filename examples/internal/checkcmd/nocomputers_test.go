package checkcmd

import (
	"context"
	"encoding/json"
	"io"
	"strings"
	"testing"

	"github.com/xmppfed/edgefailover/examples/internal/setup"
	"github.com/xmppfed/edgefailover/failover/failovertest"
	"github.com/xmppfed/edgefailover/lync"
	"github.com/xmppfed/edgefailover/lync/winrm"
)

// noComputers is a management host whose Get-CsPool lists no computer for
// any pool (Computers is the JSON given: [] or null). lynctest refuses a
// pool without servers, as Topology Builder does; this is what check must
// still report if a host answers so.
type noComputers struct {
	lync.Runner
	computers string
}

func (r noComputers) Run(ctx context.Context, script string) (json.RawMessage, error) {
	raw, err := r.Runner.Run(ctx, script)
	if err != nil || !strings.HasPrefix(script, "Get-CsPool -Identity") {
		return raw, err
	}
	var rows []map[string]json.RawMessage
	if err := json.Unmarshal(raw, &rows); err != nil {
		return nil, err
	}
	for _, row := range rows {
		row["Computers"] = json.RawMessage(r.computers)
	}
	return json.Marshal(rows)
}

// TestPoolWithoutComputers: a pool Get-CsPool lists without computers is
// a failed check of the pool, its services and replicas are not run (with
// why), and the preflight reachability check says there is nothing to
// test; before, the services and reachability checks were left out
// without a word and the pool passed.
func TestPoolWithoutComputers(t *testing.T) {
	t.Parallel()
	lab := failovertest.Start(t, failovertest.Options{})
	args, env := labArgs(t, lab)
	o, code := parseFlags(args, io.Discard)
	if o == nil {
		t.Fatalf("flags: exit %d", code)
	}
	cred, err := setup.Credentials{Username: o.user, PasswordEnv: o.passwordEnv}.Resolve(t.Context(), setup.NewConsole(nil, io.Discard, env))
	if err != nil {
		t.Fatal(err)
	}
	ep, err := o.mgmt.Endpoint(o.mgmt.Host, false, cred)
	if err != nil {
		t.Fatal(err)
	}
	for _, computers := range []string{`[]`, `null`} {
		t.Run(computers, func(t *testing.T) {
			w, err := winrm.NewWinRM(ep, winrm.Options{})
			if err != nil {
				t.Fatal(err)
			}
			cl := lync.NewClient(noComputers{w, computers}, lync.ClientOptions{})
			defer cl.Close()
			c := &checker{o: o, mgmtClient: cl}
			got := map[string]result{}
			for _, r := range c.management(t.Context()) {
				got[r.Check] = r
			}
			pool := failovertest.SourcePool
			for name, want := range map[string]Status{
				"pool/" + pool:                     StatusFailed,
				"services/" + pool:                 StatusNotRun,
				"replica/" + pool:                  StatusNotRun,
				"preflight/reachability/" + pool:   StatusFailed,
				"route/" + failovertest.SourceSite: StatusOK,
			} {
				if r, ok := got[name]; !ok || r.Status != want || r.Detail == "" {
					t.Errorf("%s: %+v, want %s with a detail (results %v)", name, r, want, got)
				}
			}
		})
	}
}
