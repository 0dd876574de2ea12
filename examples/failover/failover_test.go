package main

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/xmppfed/edgefailover/failover/failovertest"
)

const (
	pwEnv   = "TEST_WINRM_PASSWORD"
	tsigEnv = "TEST_TSIG_SECRET"
)

// labConfig returns a config file body that reaches the lab through its
// loopback endpoints: WinRM "addresses" overrides per host, the lab's name
// servers as resolvers and NS overrides, probe_connect from the pools'
// external addresses to their listeners. And the environment it needs.
func labConfig(t *testing.T, lab *failovertest.Lab) (map[string]any, map[string]string) {
	t.Helper()
	dir := t.TempDir()
	d := lab.Deployment()
	addrs := map[string]string{}
	for _, h := range d.Hosts() {
		addrs[h.FQDN()] = h.Addr()
	}
	var ca bytes.Buffer
	connect := map[string]string{}
	for _, p := range lab.Pools() {
		pem.Encode(&ca, &pem.Block{Type: "CERTIFICATE", Bytes: p.Listener.CA().Raw})
		connect[p.ExternalIP.String()+":5269"] = p.Listener.Addr()
	}
	caFile := filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(caFile, ca.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	user, pw := d.Credentials()
	winrm := func(host string) map[string]any {
		return map[string]any{"host": host, "plain_http": true, "allow_unencrypted": true, "addresses": addrs}
	}
	prov := lab.Provider()
	var domains []any
	for _, d := range lab.Domains() {
		domains = append(domains, map[string]any{"name": d, "zone": lab.ZoneOf(d).Name(), "provider": "lab"})
	}
	cfg := map[string]any{
		"management":      winrm(failovertest.ManagementHost),
		"edge_servers":    winrm("{fqdn}"),
		"credentials":     map[string]any{"username": user, "password_env": pwEnv},
		"site":            failovertest.TargetSite,
		"target_pool":     failovertest.TargetPool,
		"replaced_pool":   failovertest.SourcePool,
		"replaced_site":   failovertest.SourceSite,
		"dns_providers":   map[string]any{"lab": map[string]any{"type": "rfc2136", "server": prov.Server, "key_name": prov.KeyName, "algorithm": prov.Algorithm, "secret_env": tsigEnv}},
		"domains":         domains,
		"federation_host": failovertest.FederationHost,
		"timeouts":        map[string]any{"poll": "5ms", "converge": "5s", "probe": "3s", "replication": "5s"},
		"verify": map[string]any{
			"resolvers": lab.ResolverAddrs(), "nameservers": lab.NameserverAddrs(),
			"probe_ca_file": caFile, "probe_connect": connect,
		},
		"journal": filepath.Join(dir, "journal"),
	}
	return cfg, map[string]string{pwEnv: pw, tsigEnv: string(prov.Secret)}
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

func TestBadInputSendsNothing(t *testing.T) {
	t.Parallel()
	lab := failovertest.Start(t, failovertest.Options{ServersPerPool: 1})
	before := snapshot(t, lab)
	_, env := labConfig(t, lab)
	cases := []struct {
		name  string
		edit  func(cfg map[string]any, env map[string]string)
		stdin string
		want  string
	}{
		{"injection in site", func(c map[string]any, _ map[string]string) { c["site"] = "Site2'; Remove-CsSite -Identity 'Site1" }, "", "site"},
		{"unicode quote in site", func(c map[string]any, _ map[string]string) { c["site"] = "Site2\u2019" }, "", "site"},
		{"missing TSIG secret", func(_ map[string]any, e map[string]string) { delete(e, tsigEnv) }, "", tsigEnv},
		{"empty answer to the prompt", func(_ map[string]any, e map[string]string) { delete(e, pwEnv) }, "\n", pwEnv},
		{"password in the file", func(c map[string]any, _ map[string]string) {
			c["credentials"].(map[string]any)["password"] = "hunter2"
		}, "", "credentials.password"},
		{"TSIG secret in the file", func(c map[string]any, _ map[string]string) {
			c["dns_providers"].(map[string]any)["lab"].(map[string]any)["secret"] = "c2VjcmV0"
		}, "", "dns_providers.lab.secret"},
		{"unknown member", func(c map[string]any, _ map[string]string) { c["targetpool"] = "x" }, "", "targetpool"},
		{"bad pool name", func(c map[string]any, _ map[string]string) { c["target_pool"] = "edge pool2" }, "", "TargetPool"},
		{"plain http without allow_unencrypted", func(c map[string]any, _ map[string]string) {
			c["management"].(map[string]any)["allow_unencrypted"] = false
		}, "", "allow_unencrypted"},
		{"unknown provider", func(c map[string]any, _ map[string]string) {
			c["domains"].([]any)[0].(map[string]any)["provider"] = "nope"
		}, "", "nope"},
	}
	for _, tc := range cases {
		// Not parallel: the WS-Man counters of the shared lab must stay 0.
		cfg, _ := labConfig(t, lab)
		e := map[string]string{pwEnv: env[pwEnv], tsigEnv: env[tsigEnv]}
		tc.edit(cfg, e)
		lab.Deployment().ResetCounters()
		code, out, errs := runApp(t, e, tc.stdin, "-config", writeConfig(t, cfg), "-apply", "-yes")
		if code != exitBadInput {
			t.Errorf("%s: exit %d, want 2\n%s\n%s", tc.name, code, out, errs)
		}
		if !strings.Contains(errs, tc.want) || !strings.Contains(errs, "nothing was sent") {
			t.Errorf("%s: the error does not say %q:\n%s", tc.name, tc.want, errs)
		}
		if strings.Contains(errs, "hunter2") || strings.Contains(errs, "c2VjcmV0") {
			t.Errorf("%s: the error shows the secret:\n%s", tc.name, errs)
		}
		if n := lab.Deployment().Counters().Total(); n != 0 {
			t.Errorf("%s: %d WS-Man requests were sent", tc.name, n)
		}
	}
	if diff := cmp.Diff(before, snapshot(t, lab)); diff != "" {
		t.Errorf("bad input changed the lab:\n%s", diff)
	}
}
