package checkcmd

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/pem"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xmppfed/edgefailover/failover/failovertest"
	"github.com/xmppfed/edgefailover/lync/lynctest"
)

// labArgs points check at the lab: its name servers as resolvers and NS
// overrides, the pools' external addresses mapped to their listeners, the
// listeners' CAs, and its management host over plain HTTP.
func labArgs(t *testing.T, lab *failovertest.Lab) ([]string, func(string) (string, bool)) {
	t.Helper()
	var ns, connect []string
	for h, a := range lab.NameserverAddrs() {
		ns = append(ns, h+"="+a)
	}
	var ca bytes.Buffer
	for _, p := range lab.Pools() {
		connect = append(connect, p.ExternalIP.String()+":5269="+p.Listener.Addr())
		pem.Encode(&ca, &pem.Block{Type: "CERTIFICATE", Bytes: p.Listener.CA().Raw})
	}
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(caFile, ca.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	user, pw := lab.Deployment().Credentials()
	args := []string{
		"-domains", strings.Join(lab.Domains(), ","),
		"-resolvers", strings.Join(lab.ResolverAddrs(), ","),
		"-ns", strings.Join(ns, ","), "-connect", strings.Join(connect, ","), "-ca-file", caFile,
		"-expect-host", failovertest.FederationHost, "-expect-addr", "192.0.2.10",
		"-mgmt", failovertest.ManagementHost, "-mgmt-http", "-mgmt-address", lab.Deployment().Host(failovertest.ManagementHost).Addr(),
		"-user", user, "-password-env", "TEST_PW", "-site", failovertest.SourceSite, "-expect-pool", failovertest.SourcePool,
		"-timeout", "20s",
	}
	return args, func(k string) (string, bool) { return pw, k == "TEST_PW" }
}

func runCheck(env func(string) (string, bool), args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := RunEnv(context.Background(), args, &out, &errb, env)
	return code, out.String(), errb.String()
}

func TestHealthyThenBroken(t *testing.T) {
	t.Parallel()
	lab := failovertest.Start(t, failovertest.Options{})
	args, env := labArgs(t, lab)
	code, out, errs := runCheck(env, args...)
	if code != ExitHealthy {
		t.Fatalf("healthy lab: exit %d\n%s\n%s", code, out, errs)
	}
	for _, want := range []string{"remote/contoso.com", "remote/fabrikam.com", "dns/SRV _xmpp-server._tcp.fabrikam.com.", "dns/A xmpp.contoso.com.", "route/Site1", "services/edge1b.contoso.com", "replica/edge1a.contoso.com", "names ok, chain ok", "healthy:"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q\n%s", want, out)
		}
	}

	// -json for monitoring.
	code, out, _ = runCheck(env, append(args, "-json")...)
	var doc struct {
		Healthy bool
		Checks  []result
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil || code != ExitHealthy || !doc.Healthy || len(doc.Checks) < 8 {
		t.Fatalf("-json: exit %d, %v, %d checks\n%s", code, err, len(doc.Checks), out)
	}
	if !strings.Contains(out, `"candidates"`) || !strings.Contains(out, `"probe"`) {
		t.Errorf("-json lacks the remote view's data:\n%s", out)
	}

	// Break it: the pool's services stop behind everyone's back.
	p, _ := lab.Pool(failovertest.SourcePool)
	for _, srv := range p.Servers {
		if err := lab.Deployment().SetServiceStatus(srv, "RTCSRV", lynctest.Stopped); err != nil {
			t.Fatal(err)
		}
	}
	code, out, errs = runCheck(env, args...)
	if code != ExitUnhealthy {
		t.Fatalf("broken lab: exit %d\n%s\n%s", code, out, errs)
	}
	for _, want := range []string{"FAIL     remote/contoso.com", "FAIL     services/edge1a.contoso.com", "RTCSRV Stopped", "UNHEALTHY"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q\n%s", want, out)
		}
	}
}

func TestWrongExpectation(t *testing.T) {
	t.Parallel()
	lab := failovertest.Start(t, failovertest.Options{ServersPerPool: 1, Domains: []string{"contoso.com"}})
	args, env := labArgs(t, lab)
	// Federation runs on pool 1 (192.0.2.10); expecting pool 2 is unhealthy.
	code, out, _ := runCheck(env, append(args, "-expect-addr", "192.0.2.20", "-site", failovertest.TargetSite, "-expect-pool", failovertest.TargetPool)...)
	if code != ExitUnhealthy || !strings.Contains(out, "not at an expected address") || !strings.Contains(out, "FAIL     route/Site2") {
		t.Errorf("exit %d\n%s", code, out)
	}
}

func TestBadInput(t *testing.T) {
	t.Parallel()
	none := func(string) (string, bool) { return "", false }
	r := []string{"-resolvers", "127.0.0.1:1"}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{r, "-domains is required"},
		{append(r, "-domains", "contoso.com", "-expect-addr", "nope"), "-expect-addr"},
		{append(r, "-domains", "contoso com"), "-domains"},
		{append(r, "-domains", "contoso.com", "-site", "Site1"), "need -mgmt"},
		{append(r, "-domains", "contoso.com", "-mgmt", "fe1.contoso.com", "-user", "u", "-site", "S'; x", "-expect-pool", "p.contoso.com"), "-site"},
		{append(r, "-domains", "contoso.com", "-mgmt", "fe1.contoso.com", "-mgmt-http", "-user", "u", "-site", "S", "-expect-pool", "p.contoso.com"), "EDGEFAILOVER_WINRM_PASSWORD"},
		{append(r, "-domains", "contoso.com", "-connect", "x=y"), "-connect"},
		{append(r, "extra"), "unexpected argument"},
	} {
		code, _, errs := runCheck(none, tc.args...)
		if code != ExitBadInput || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: exit %d, want 2 and %q:\n%s", tc.args, code, tc.want, errs)
		}
	}
	if code, _, errs := runCheck(none, "-h"); code != ExitHealthy || !strings.Contains(errs, "Exit codes") {
		t.Errorf("-h: exit %d\n%s", code, errs)
	}
}

// A silent resolver costs the remote view its own budget only: the
// management checks still run and pass, the SRV check that needs the
// resolution is "not run" with why, and -v logs each connection attempt.
func TestSilentResolverDoesNotStarveTheOthers(t *testing.T) {
	t.Parallel()
	lab := failovertest.Start(t, failovertest.Options{ServersPerPool: 1, Domains: []string{"contoso.com"}})
	silent, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	args, env := labArgs(t, lab)
	for i, a := range args {
		if a == "-resolvers" {
			args[i+1] = silent.LocalAddr().String()
		}
		if a == "-timeout" {
			// Each check's budget: the remote view spends all of it on
			// the silent resolver; the management checks need a fraction.
			args[i+1] = "5s"
		}
	}
	code, out, errs := runCheck(env, append(args, "-v")...)
	if code != ExitUnhealthy {
		t.Fatalf("exit %d\n%s\n%s", code, out, errs)
	}
	for _, want := range []string{
		"FAIL     remote/contoso.com", "NOT RUN  dns/SRV _xmpp-server._tcp.contoso.com.",
		"ok       route/Site1", "ok       services/edge1a.contoso.com", "ok       replica/edge1a.contoso.com",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q\n%s", want, out)
		}
	}
	if !strings.Contains(errs, "msg=connected host="+failovertest.ManagementHost+" scheme=winrm-http") || !strings.Contains(errs, "elapsed=") {
		t.Errorf("-v did not log the WinRM connection:\n%s", errs)
	}
	if strings.Contains(errs, "lynctest-Passw0rd") {
		t.Errorf("-v logged the password:\n%s", errs)
	}
}
