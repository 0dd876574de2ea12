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

// Every bad input is exit 2 with nothing sent to the lab's name servers
// (nor to anything else of the lab).
func TestBadInputTableSendsNoPacket(t *testing.T) {
	t.Parallel()
	lab, files := labfiles.Start(t, failovertest.Options{ServersPerPool: 1})
	cfgFile := func(edit func(map[string]any)) string {
		c := labfiles.PrepareDR(lab.Endpoints())
		edit(c)
		b, _ := json.Marshal(c)
		p := filepath.Join(t.TempDir(), "p.json")
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	prov := func(c map[string]any) map[string]any {
		return c["dns_providers"].(map[string]any)["lab"].(map[string]any)
	}
	good := []string{"-config", files.PrepareDR}
	for _, tc := range []struct {
		name string
		args []string
		env  map[string]string
		want string
	}{
		{"negative -ttl", append(good, "-ttl", "-5s"), nil, "negative"},
		{"negative ttl in the file", []string{"-config", cfgFile(func(c map[string]any) { c["ttl"] = "-5s" })}, nil, "negative"},
		{"secret not base64", good, map[string]string{labfiles.TSIGEnv: "not base64!"}, "not base64"},
		{"no secret", good, map[string]string{}, labfiles.TSIGEnv},
		{"-server port 0", append(good, "-server", "127.0.0.1:0"), nil, "port must be 1 to 65535"},
		{"server not a name", []string{"-config", cfgFile(func(c map[string]any) { prov(c)["server"] = "ns 1" })}, nil, "server"},
		{"zero -timeout", append(good, "-timeout", "0s"), nil, "-timeout"},
		{"unknown provider of a domain", []string{"-config", cfgFile(func(c map[string]any) {
			c["domains"].([]any)[0].(map[string]any)["provider"] = "nope"
		})}, nil, `provider "nope"`},
		{"gss-tsig without kerberos", []string{"-config", cfgFile(func(c map[string]any) { prov(c)["auth"] = "gss-tsig" })}, nil, "kerberos"},
		{"both dns_provider and dns_providers", []string{"-config", cfgFile(func(c map[string]any) { c["dns_provider"] = prov(c) })}, nil, "keep dns_providers only"},
		{"single-label zone", append(good, "-domains", "contoso.com=com"), nil, "two labels"},
	} {
		env := tc.env
		if env == nil {
			env = files.Env
		}
		labfiles.Refused(t, lab, tc.name, tc.want, func() (int, string) {
			code, out, errs := runPrep(func(k string) (string, bool) { v, ok := env[k]; return v, ok }, tc.args...)
			return code, out + errs
		})
	}
	// The lab's own file works: a dry run that reads.
	env := func(k string) (string, bool) { v, ok := files.Env[k]; return v, ok }
	if code, out, errs := runPrep(env, good...); code != exitOK || !strings.Contains(out, "dry run") {
		t.Errorf("lab config: exit %d\n%s%s", code, out, errs)
	}
	// A zone is the same zone with or without the trailing dot.
	_, abs, _ := runPrep(env, append(good, "-domains", "contoso.com=contoso.com.")...)
	if code, rel, errs := runPrep(env, append(good, "-domains", "contoso.com=contoso.com")...); code != exitOK || rel != abs || !strings.Contains(rel, "dry run") {
		t.Errorf("zone without the dot: exit %d\n%s%s\nwith it:\n%s", code, rel, errs, abs)
	}
}
