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

	"github.com/xmppfed/edgefailover/examples/internal/setup"
	"github.com/xmppfed/edgefailover/failover/failovertest"
)

func labArgs(lab *failovertest.Lab) ([]string, func(string) (string, bool)) {
	p := lab.Provider()
	args := []string{"-server", p.Server, "-key-name", p.KeyName, "-secret-env", "TEST_TSIG",
		"-domains", "contoso.com=contoso.com.,fabrikam.com=fabrikam.com."}
	return args, func(k string) (string, bool) {
		if k == "TEST_TSIG" {
			return string(p.Secret), true
		}
		return "", false
	}
}

func runPrep(env func(string) (string, bool), args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := runEnv(context.Background(), args, &out, &errb, env)
	return code, out.String(), errb.String()
}

func TestPrioritizedSet(t *testing.T) {
	t.Parallel()
	lab := failovertest.Start(t, failovertest.Options{ServersPerPool: 1})
	ctx := context.Background()
	before, err := lab.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	args, env := labArgs(lab)
	args = append(args, "-targets", "access1.contoso.com,access2.contoso.com")

	code, out, errs := runPrep(env, args...)
	if code != exitOK || !strings.Contains(out, "20 0 5269 access2.contoso.com.") || !strings.Contains(out, "dry run") {
		t.Fatalf("dry run: exit %d\n%s\n%s", code, out, errs)
	}
	after, _ := lab.Snapshot(ctx)
	if diff := cmp.Diff(before, after); diff != "" {
		t.Fatalf("the dry run changed the lab:\n%s", diff)
	}

	code, out, errs = runPrep(env, append(args, "-apply", "-ttl", "60s", "-hosts", "xmpp.contoso.com")...)
	if code != exitOK {
		t.Fatalf("apply: exit %d\n%s\n%s", code, out, errs)
	}
	st, _ := lab.Snapshot(ctx)
	for _, d := range []string{"contoso.com", "fabrikam.com"} {
		want := []string{
			"_xmpp-server._tcp." + d + ". 60 IN SRV 10 0 5269 access1.contoso.com.",
			"_xmpp-server._tcp." + d + ". 60 IN SRV 20 0 5269 access2.contoso.com.",
		}
		if diff := cmp.Diff(want, st.DNS["_xmpp-server._tcp."+d+". SRV"]); diff != "" {
			t.Errorf("SRV of %s (-want +got):\n%s", d, diff)
		}
	}
	if a := st.DNS["xmpp.contoso.com. A"]; len(a) != 1 || a[0] != "xmpp.contoso.com. 60 IN A 192.0.2.10" {
		t.Errorf("A of xmpp.contoso.com: %v, want TTL 60 and the same address", a)
	}

	// Applying again changes nothing; -json parses.
	code, out, _ = runPrep(env, append(args, "-apply", "-ttl", "60s", "-json")...)
	var doc struct {
		Applied bool
		Changes []struct {
			Corrections []any `json:"corrections"`
		}
	}
	if err := json.Unmarshal([]byte(out), &doc); code != exitOK || err != nil || len(doc.Changes) != 2 {
		t.Fatalf("-json: exit %d, %v\n%s", code, err, out)
	}
	for _, c := range doc.Changes {
		if len(c.Corrections) != 0 {
			t.Errorf("second apply has corrections: %s", out)
		}
	}
}

func TestBadInput(t *testing.T) {
	t.Parallel()
	env := func(string) (string, bool) { return "", false }
	base := []string{"-server", "127.0.0.1:1", "-key-name", "k.", "-domains", "contoso.com=contoso.com."}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{append(base, "-targets", "a.contoso.com"), "EDGEFAILOVER_TSIG_SECRET"}, // no secret in the environment
		{[]string{"-targets", "a.contoso.com", "-domains", "contoso.com=contoso.com."}, "server"},
		{append(base, "-targets", "a b.contoso.com"), "a b.contoso.com"},
		{base, "nothing to do"},
		{[]string{"-server", "127.0.0.1:1", "-key-name", "k.", "-domains", "contoso.com=com", "-ttl", "60s"}, "two labels"},
		{append(base, "-hosts", "xmpp.contoso.com", "-targets", "a.contoso.com"), "-hosts needs -ttl"},
	} {
		code, _, errs := runPrep(env, tc.args...)
		if code != exitBadInput || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: exit %d, want 2 and %q in:\n%s", tc.args, code, tc.want, errs)
		}
	}
	if code, _, errs := runPrep(env, "-h"); code != exitOK || !strings.Contains(errs, "Exit codes") {
		t.Errorf("-h: exit %d\n%s", code, errs)
	}
}

// The same run from a config file; a file holding the TSIG secret is refused.
func TestConfigFile(t *testing.T) {
	t.Parallel()
	lab := failovertest.Start(t, failovertest.Options{ServersPerPool: 1, Domains: []string{"contoso.com"}})
	_, env := labArgs(lab)
	p := lab.Provider()
	dir := t.TempDir()
	write := func(name string, v any) string {
		b, _ := json.Marshal(v)
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	prov := map[string]any{"type": "rfc2136", "server": p.Server, "key_name": p.KeyName, "secret_env": "TEST_TSIG"}
	cfg := map[string]any{
		"dns_providers": map[string]any{"lab": prov},
		"domains":       []any{map[string]any{"name": "contoso.com", "zone": "contoso.com.", "provider": "lab"}},
		"targets":       []string{"access2.contoso.com", "access1.contoso.com"},
	}
	code, out, errs := runPrep(env, "-config", write("ok.json", cfg), "-apply")
	if code != exitOK || strings.Contains(errs, "deprecated") || !strings.Contains(out, "rfc2136: conditional and atomic") {
		t.Fatalf("exit %d\n%s\n%s", code, out, errs)
	}
	// The old member still works, with a deprecation warning.
	old := map[string]any{"dns_provider": prov, "domains": []any{map[string]any{"name": "contoso.com", "zone": "contoso.com."}}, "ttl": "5m"}
	if code, out, errs := runPrep(env, "-config", write("old.json", old)); code != exitOK || !strings.Contains(errs, "dns_provider is deprecated") {
		t.Errorf("dns_provider: exit %d\n%s\n%s", code, out, errs)
	}
	cfg["dns_provider"] = prov
	if code, _, errs := runPrep(env, "-config", write("both.json", cfg)); code != exitBadInput || !strings.Contains(errs, "keep dns_providers only") {
		t.Errorf("both members: exit %d\n%s", code, errs)
	}
	delete(cfg, "dns_provider")
	st, _ := lab.Snapshot(context.Background())
	if got := st.DNS["_xmpp-server._tcp.contoso.com. SRV"]; len(got) != 2 || !strings.HasSuffix(got[0], "10 0 5269 access2.contoso.com.") {
		t.Errorf("SRV set %v", got)
	}
	prov["secret"] = string(p.Secret)
	code, _, errs = runPrep(env, "-config", write("leak.json", cfg))
	if code != exitBadInput || !strings.Contains(errs, "dns_providers.lab.secret") || strings.Contains(errs, string(p.Secret)) {
		t.Errorf("secret in file: exit %d\n%s", code, errs)
	}
}

// The sample config loads and passes every check that needs no network.
func TestSampleConfig(t *testing.T) {
	t.Parallel()
	var c config
	if err := setup.LoadJSON("prepare-dr.sample.json", &c); err != nil {
		t.Fatal(err)
	}
	if err := c.check(providers()); err != nil {
		t.Fatal(err)
	}
	if c.Domains[1].Provider != "ad" || c.DNSProviders["ad"].Auth != "gss-tsig" {
		t.Errorf("sample: %+v", c)
	}
}
