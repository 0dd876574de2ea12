package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/xmppfed/edgefailover/examples/internal/labfiles"
	"github.com/xmppfed/edgefailover/failover/failovertest"
)

// Every bad input of issue 16's list is exit 2 with nothing sent: no
// WS-Man request, no DNS message, no connection to a listener — against
// the config examples/lab writes (HTTPS, CA files, env vars).
func TestBadInputTableSendsNoPacket(t *testing.T) {
	t.Parallel()
	lab, files := labfiles.Start(t, failovertest.Options{ServersPerPool: 1})
	base, err := os.ReadFile(files.Failover)
	if err != nil {
		t.Fatal(err)
	}
	devnull, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer devnull.Close()
	type cfg = map[string]any
	sub := func(c cfg, k string) cfg { return c[k].(cfg) }
	lp := func(c cfg) cfg { return sub(sub(c, "dns_providers"), "lab") }
	cases := []struct {
		name  string
		edit  func(c cfg, env map[string]string)
		stdin io.Reader
		want  string
	}{
		{"injection in site", func(c cfg, _ map[string]string) { c["site"] = "Site2'; Remove-CsSite -Identity 'Site1" }, nil, "site"},
		{"unicode quote in site", func(c cfg, _ map[string]string) { c["site"] = "Site2\u2019" }, nil, "site"},
		{"bad pool name", func(c cfg, _ map[string]string) { c["target_pool"] = "edge pool2" }, nil, "TargetPool"},
		{"unknown member", func(c cfg, _ map[string]string) { c["targetpool"] = "x" }, nil, "targetpool"},
		{"password in the file", func(c cfg, _ map[string]string) { sub(c, "credentials")["password"] = "hunter2" }, nil, "credentials.password"},
		{"TSIG secret in the file", func(c cfg, _ map[string]string) { lp(c)["secret"] = "c2VjcmV0" }, nil, "dns_providers.lab.secret"},
		{"plain http with Basic, unencrypted", func(c cfg, _ map[string]string) {
			sub(c, "management")["plain_http"] = true
			sub(c, "management")["auth"] = "basic"
		}, nil, "allow_unencrypted"},
		{"unknown provider of a domain", func(c cfg, _ map[string]string) { c["domains"].([]any)[0].(cfg)["provider"] = "nope" }, nil, "nope"},
		{"empty answer to the prompt", func(_ cfg, e map[string]string) { delete(e, labfiles.PasswordEnv) }, strings.NewReader("\n"), "set the environment variable " + labfiles.PasswordEnv},
		{"resolver not ip:port", func(c cfg, _ map[string]string) { sub(c, "verify")["resolvers"] = []any{"notanip"} }, nil, "verify.resolvers"},
		{"resolver port 0", func(c cfg, _ map[string]string) { sub(c, "verify")["resolvers"] = []any{"127.0.0.1:0"} }, nil, "verify.resolvers"},
		{"name-server override not an address", func(c cfg, _ map[string]string) {
			sub(c, "verify")["nameservers"] = cfg{"ns1.contoso.com.": "foo"}
		}, nil, "verify.nameservers"},
		{"negative TTL", func(c cfg, _ map[string]string) { c["srv_ttl"] = "-5s" }, nil, "negative"},
		{"DNS server port 0", func(c cfg, _ map[string]string) { lp(c)["server"] = "127.0.0.1:0" }, nil, "port must be 1 to 65535"},
		{"DNS server not a name", func(c cfg, _ map[string]string) { lp(c)["server"] = "ns 1:53" }, nil, "server"},
		{"TSIG secret not base64", func(_ cfg, e map[string]string) { e[labfiles.TSIGEnv] = "not base64!" }, nil, "not base64"},
		{"gss-tsig without kerberos", func(c cfg, _ map[string]string) { lp(c)["auth"] = "gss-tsig" }, nil, "kerberos"},
		{"gss-tsig with a TSIG key", func(c cfg, _ map[string]string) {
			lp(c)["auth"] = "gss-tsig"
			lp(c)["kerberos"] = cfg{"realm": "CONTOSO.COM", "username": "svc", "password_env": "KRB_PW"}
		}, nil, "key_name, algorithm and secret_env"},
		{"unknown provider type", func(c cfg, _ map[string]string) { lp(c)["type"] = "cloudflare" }, nil, `type "cloudflare"`},
		{"WinRM address override not host:port", func(c cfg, _ map[string]string) {
			sub(c, "edge_servers")["addresses"] = cfg{"edge2a.contoso.com": "foo"}
		}, nil, "addresses"},
		{"CA file missing, loaded before the prompt", func(c cfg, e map[string]string) {
			sub(c, "management")["ca_file"] = "/nonexistent/ca.pem"
			delete(e, labfiles.PasswordEnv)
		}, devnull, "ca_file"},
		{"no password, stdin is /dev/null", func(_ cfg, e map[string]string) { delete(e, labfiles.PasswordEnv) }, devnull, "set the environment variable " + labfiles.PasswordEnv},
		{"no TSIG secret, no stdin", func(_ cfg, e map[string]string) { delete(e, labfiles.TSIGEnv) }, nil, labfiles.TSIGEnv},
	}
	before := snapshot(t, lab)
	for _, tc := range cases {
		// Not parallel: the lab's counters must not move.
		var c cfg
		if err := json.Unmarshal(base, &c); err != nil {
			t.Fatal(err)
		}
		env := labfiles.Env(lab.Endpoints())
		tc.edit(c, env)
		b, _ := json.Marshal(c)
		path := filepath.Join(t.TempDir(), "failover.json")
		if err := os.WriteFile(path, b, 0o600); err != nil {
			t.Fatal(err)
		}
		a := &app{env: func(k string) (string, bool) { v, ok := env[k]; return v, ok }}
		if tc.stdin != nil {
			a.stdin = tc.stdin
		}
		labfiles.Refused(t, lab, tc.name, tc.want, func() (int, string) {
			var out, errb bytes.Buffer
			code := a.run(context.Background(), []string{"-config", path, "-apply", "-yes"}, &out, &errb)
			all := out.String() + errb.String()
			switch {
			case !strings.Contains(all, "nothing was sent"):
				t.Errorf("%s: the error does not say nothing was sent:\n%s", tc.name, all)
			case strings.Contains(all, "hunter2") || strings.Contains(all, "c2VjcmV0"):
				t.Errorf("%s: the output shows the secret", tc.name)
			case tc.name == "CA file missing, loaded before the prompt" && strings.Contains(errb.String(), "password"):
				t.Errorf("%s: asked for the password before loading the CA:\n%s", tc.name, all)
			}
			return code, all
		})
	}
	if diff := cmp.Diff(before, snapshot(t, lab)); diff != "" {
		t.Errorf("bad input changed the lab:\n%s", diff)
	}
}
