package lynctest_test

import (
	"context"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/masterzen/winrm"

	"github.com/xmppfed/edgefailover/lync/lynctest"
)

func TestEncodedCommandWithRealClient(t *testing.T) {
	t.Parallel()
	d := start(t, testConfig())
	for _, https := range []bool{false, true} {
		c := client(t, d, "edge01.contoso.com", https, "")
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		marker := "EFaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-1"
		script := "Import-Module -Name 'SkypeForBusiness' -Global; Get-CsSite -Identity 'Site1' | Select-Object -Property " +
			"@{ Name = 'Identity'; Expression = { [string]$_.Identity } }, SiteId, " +
			"@{ Name = 'XmppFederationRoute'; Expression = { [string]$_.XmppFederationRoute } }"
		stdout, stderr, code, err := c.RunCmdWithContext(ctx, encodedCommand(frame(marker, script)))
		if err != nil || code != 0 || stderr != "" {
			t.Fatalf("https=%v: code %d err %v stderr %q", https, code, err, stderr)
		}
		r, ok := findFrame(t, stdout, marker)
		want := `[{"Identity":"Site:Site1","SiteId":1,"XmppFederationRoute":"EdgeServer:edgepool1.contoso.com"}]`
		if !ok || r.Kind != "ok" || r.JSON != want {
			t.Fatalf("https=%v: got %+v, want %s", https, r, want)
		}
	}
}

func TestPersistentSessionWithRealClient(t *testing.T) {
	t.Parallel()
	d := start(t, testConfig())
	s := openSession(t, client(t, d, "admin.contoso.com", false, ""))
	if r := s.run("Get-CsSite"); r.Kind != "err" || r.Error.FullyQualifiedErrorId != "CommandNotFoundException" {
		t.Fatalf("before import: %+v", r)
	}
	if r := s.run("Import-Module -Name 'SkypeForBusiness' -Global"); r.Kind != "ok" || r.JSON != "[]" {
		t.Fatalf("import: %+v", r)
	}
	if r := s.run("Set-CsSite -Identity 'Site2' -XmppFederationRoute 'EdgeServer:edgepool2.contoso.com'"); r.Kind != "ok" {
		t.Fatalf("set: %+v", r)
	}
	r := s.run("Get-CsSite -Identity 'Site2' | Select-Object -Property @{ Name = 'XmppFederationRoute'; Expression = { [string]$_.XmppFederationRoute } }")
	if r.JSON != `[{"XmppFederationRoute":"EdgeServer:edgepool2.contoso.com"}]` {
		t.Fatalf("get: %+v", r)
	}
	r = s.run("Get-CsWindowsService -ComputerName 'edge03.contoso.com' -Name 'RTCSRV' | Select-Object -Property Name, @{ Name = 'Text'; Expression = { [string]$_.Status } }, Status")
	if r.JSON != `[{"Name":"RTCSRV","Text":"Running","Status":4}]` {
		t.Fatalf("services: %+v", r)
	}
	c := d.Counters()
	if c.Processes != 1 || c.ModuleImports != 1 || c.Shells != 1 {
		t.Fatalf("counters: %+v", c)
	}
	if got := d.Snapshot().Sites["Site2"].XmppRoute; got != "EdgeServer:edgepool2.contoso.com" {
		t.Fatalf("snapshot route %q", got)
	}
}

func TestUnauthorizedWithRealClient(t *testing.T) {
	t.Parallel()
	d := start(t, testConfig())
	c := client(t, d, "edge01.contoso.com", false, "wrong")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, _, _, err := c.RunCmdWithContext(ctx, "powershell.exe -NoProfile -NonInteractive -Command -")
	if err == nil || !strings.Contains(err.Error(), "401") {
		t.Fatalf("err = %v, want a 401", err)
	}
	// Two refusals: masterzen/winrm's Encryption, when its handshake fails,
	// posts again with ClientNTLM, which would send the message in clear;
	// the host refuses that AUTHENTICATE too. Nothing was logged in.
	c2 := d.Host("edge01.contoso.com").Counters()
	if c2.Unauthorized != 2 || c2.Auth.NTLM != 0 || c2.Total() != 0 {
		t.Fatalf("unauthorized = %d, NTLM logins %d, requests %d", c2.Unauthorized, c2.Auth.NTLM, c2.Total())
	}
	_ = lynctest.ActionCreate
}

func TestDropShells(t *testing.T) {
	t.Parallel()
	d := start(t, testConfig())
	h := d.Host("edge02.contoso.com")
	c := client(t, d, h.FQDN(), false, "")
	sh, err := c.CreateShell()
	if err != nil {
		t.Fatal(err)
	}
	if n := h.DropShells(); n != 1 || h.ShellCount() != 0 {
		t.Fatalf("dropped %d, left %d", n, h.ShellCount())
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := sh.ExecuteWithContext(ctx, "powershell.exe -NoProfile -NonInteractive -Command -"); err == nil {
		t.Fatal("command on a dropped shell succeeded")
	}
}

func TestConfigRedactsPassword(t *testing.T) {
	t.Parallel()
	acct := lynctest.Account{Username: "edge01\\admin", Password: "s3cret-other"}
	cfg := lynctest.Config{Password: "s3cret-value", Accounts: []lynctest.Account{acct}}
	for _, s := range []string{fmt.Sprint(cfg), fmt.Sprintf("%+v", cfg), fmt.Sprintf("%#v", cfg),
		fmt.Sprint(acct), fmt.Sprintf("%+v", acct), fmt.Sprintf("%#v", acct), fmt.Sprint(cfg.Accounts)} {
		if strings.Contains(s, "s3cret") {
			t.Errorf("password printed: %s", s)
		}
	}
}

func TestCloseEndsLongPolls(t *testing.T) {
	t.Parallel()
	cfg := testConfig()
	cfg.MaxOperationTimeout = time.Hour
	d, err := lynctest.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	h := d.Host("edge01.contoso.com")
	c := client(t, d, h.FQDN(), false, "")
	sh, err := c.CreateShell()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cmd, err := sh.ExecuteWithContext(ctx, "powershell.exe -NoProfile -NonInteractive -Command -")
	if err != nil {
		t.Fatal(err)
	}
	for h.Counters().Requests[lynctest.ActionReceive] == 0 {
		time.Sleep(time.Millisecond)
	}
	d.Close() // must not wait for the hour-long poll
	d.Close()
	cmd.Wait() // the client's Receive loop sees the connection end
	if _, err := c.CreateShell(); err == nil {
		t.Fatal("request after Close succeeded")
	}
}

func TestShellQuota(t *testing.T) {
	t.Parallel()
	cfg := testConfig()
	cfg.MaxShellsPerUser = 2
	d := start(t, cfg)
	h := d.Host("edge01.contoso.com")
	c := client(t, d, h.FQDN(), false, "")
	var shells []interface{ Close() error }
	for i := 0; i < 2; i++ {
		sh, err := c.CreateShell()
		if err != nil {
			t.Fatal(err)
		}
		shells = append(shells, sh)
	}
	// masterzen/winrm reads the 500 fault body as a Create response without
	// a ShellId (no error): the shell it returns is unusable.
	sh, err := c.CreateShell()
	if err == nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if _, err = sh.ExecuteWithContext(ctx, "powershell.exe -NoProfile -NonInteractive -Command -"); err == nil {
			t.Fatal("third shell over a quota of 2 works")
		}
	}
	if got := h.ShellCount(); got != 2 {
		t.Fatalf("%d shells open", got)
	}
	if err := shells[0].Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateShell(); err != nil || h.ShellCount() != 2 {
		t.Fatalf("after closing one: %v, %d shells", err, h.ShellCount())
	}
	if cnt := h.Counters(); cnt.QuotaFaults != 1 || cnt.ShellsDeleted != 1 || cnt.Shells != 3 {
		t.Errorf("quota faults=%d deleted=%d created=%d, want 1, 1, 3", cnt.QuotaFaults, cnt.ShellsDeleted, cnt.Shells)
	}
}

// TestShellQuotaPerUser: the quota counts the shells of each user apart.
func TestShellQuotaPerUser(t *testing.T) {
	t.Parallel()
	cfg := testConfig()
	cfg.MaxShellsPerUser = 1
	cfg.Accounts = []lynctest.Account{{Username: "edge01\\admin", Password: "other-Passw0rd"}}
	d := start(t, cfg)
	h := d.Host("edge01.contoso.com")
	first := client(t, d, h.FQDN(), false, "")
	other := clientAs(t, d, h.FQDN(), cfg.Accounts[0].Username, cfg.Accounts[0].Password)
	if _, err := first.CreateShell(); err != nil {
		t.Fatal(err)
	}
	if _, err := other.CreateShell(); err != nil {
		t.Fatalf("another user's first shell: %v", err)
	}
	sh, err := first.CreateShell() // masterzen reads the fault as a shell without ID
	if err == nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if _, err = sh.ExecuteWithContext(ctx, "powershell.exe -NoProfile -NonInteractive -Command -"); err == nil {
			t.Fatal("second shell of one user over a quota of 1 works")
		}
	}
	if cnt := h.Counters(); cnt.QuotaFaults != 1 || h.ShellCount() != 2 {
		t.Errorf("quota faults=%d open=%d, want 1 and 2", cnt.QuotaFaults, h.ShellCount())
	}
}

// TestIdleShellFreesQuota: a shell past its idle timeout is ended by the
// host and no longer counts against the quota, although no request named it.
func TestIdleShellFreesQuota(t *testing.T) {
	t.Parallel()
	cfg := testConfig()
	cfg.MaxShellsPerUser = 1
	cfg.ShellIdleTimeout = 20 * time.Millisecond
	d := start(t, cfg)
	h := d.Host("edge01.contoso.com")
	c := client(t, d, h.FQDN(), false, "")
	if _, err := c.CreateShell(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(50 * time.Millisecond)
	if n := h.ShellCount(); n != 0 {
		t.Fatalf("%d shells open past the idle timeout", n)
	}
	// masterzen reads a QuotaLimit fault as a shell without ID: count instead
	// (the new shell may expire too before a command reaches it).
	if _, err := c.CreateShell(); err != nil {
		t.Fatal(err)
	}
	if cnt := h.Counters(); cnt.Shells != 2 || cnt.ShellsExpired != 1 || cnt.QuotaFaults != 0 {
		t.Errorf("created=%d expired=%d quota faults=%d, want 2, 1, 0", cnt.Shells, cnt.ShellsExpired, cnt.QuotaFaults)
	}
}

func TestShellIdleTimeout(t *testing.T) {
	t.Parallel()
	cfg := testConfig()
	cfg.ShellIdleTimeout = 20 * time.Millisecond
	d := start(t, cfg)
	h := d.Host("edge02.contoso.com")
	c := client(t, d, h.FQDN(), false, "")
	sh, err := c.CreateShell()
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(50 * time.Millisecond) // idle for longer than the timeout
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := sh.ExecuteWithContext(ctx, "powershell.exe -NoProfile -NonInteractive -Command -"); err == nil {
		t.Fatal("command on an idle-expired shell succeeded")
	}
	if h.ShellCount() != 0 {
		t.Fatalf("%d shells left", h.ShellCount())
	}
}

// TestUnencryptedRefused: a default host refuses NTLM in clear over HTTP
// (masterzen/winrm's ClientNTLM) and Basic; it takes them once configured
// to (AllowUnencrypted, Basic for a local account).
func TestUnencryptedRefused(t *testing.T) {
	t.Parallel()
	for _, svc := range []lynctest.WinRMService{{}, {AllowUnencrypted: true}} {
		d := start(t, func() lynctest.Config { c := testConfig(); c.WinRM = svc; return c }())
		params := *winrm.DefaultParameters
		params.TransportDecorator = func() winrm.Transporter {
			return winrm.NewClientNTLMWithDial(func(network, addr string) (net.Conn, error) {
				return d.DialContext(context.Background(), network, addr)
			})
		}
		user, pass := d.Credentials()
		c, err := winrm.NewClientWithParameters(&winrm.Endpoint{Host: "fe01.contoso.com", Port: lynctest.HTTPPort, Timeout: 5 * time.Second}, user, pass, &params)
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		_, _, _, err = c.RunCmdWithContext(ctx, encodedCommand(frame("EF-1", "")))
		cancel()
		cnt := d.Host("fe01.contoso.com").Counters()
		if svc.AllowUnencrypted {
			if err != nil || cnt.Auth.Unencrypted != 0 {
				t.Fatalf("AllowUnencrypted: err %v, %+v", err, cnt.Auth)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), "401") || cnt.Auth.Unencrypted == 0 || cnt.Total() != 0 {
			t.Fatalf("default host: err %v, %d requests, %+v", err, cnt.Total(), cnt.Auth)
		}
	}
}
