package lynctest_test

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/xmppfed/edgefailover/lync/lynctest"
)

func TestLongPollTimedOut(t *testing.T) {
	t.Parallel()
	cfg := testConfig()
	cfg.MaxOperationTimeout = 30 * time.Millisecond
	d := start(t, cfg)
	h := d.Host("edge01.contoso.com")
	s := openSession(t, client(t, d, h.FQDN(), false, ""))
	// With nothing to say, every Receive ends with the w:TimedOut fault and
	// the client polls again.
	for h.Counters().Requests[lynctest.ActionReceive] < 4 {
		time.Sleep(10 * time.Millisecond)
	}
	if r := s.run(imp + "; Get-CsSite -Identity 'Site1' | Select-Object -Property SiteId"); r.JSON != `[{"SiteId":1}]` {
		t.Fatalf("after long polls: %+v", r)
	}
	// An injected instant TimedOut delays output but loses nothing.
	remove, err := d.Inject(lynctest.Fault{Kind: lynctest.FaultTimedOut, Host: h.FQDN(), Nth: 0})
	if err != nil {
		t.Fatal(err)
	}
	before := h.Counters().Requests[lynctest.ActionReceive]
	done := make(chan result, 1)
	go func() { done <- s.run("Get-CsSite -Identity 'Site2' | Select-Object -Property SiteId") }()
	for h.Counters().Requests[lynctest.ActionReceive] < before+3 {
		time.Sleep(5 * time.Millisecond)
	}
	remove()
	if r := <-done; r.JSON != `[{"SiteId":2}]` {
		t.Fatalf("after TimedOut faults: %+v", r)
	}
}

const imp = "Import-Module -Name 'SkypeForBusiness' -Global"

func TestHTTPFaultsWithRealClient(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		fault lynctest.Fault
		check func(t *testing.T, err error)
	}{
		{"soap fault on Command", lynctest.Fault{Kind: lynctest.FaultSOAP, Action: lynctest.ActionCommand}, nil},
		{"401 on Create", lynctest.Fault{Kind: lynctest.FaultUnauthorized, Action: lynctest.ActionCreate},
			func(t *testing.T, err error) {
				if !strings.Contains(err.Error(), "401") {
					t.Errorf("err = %v, want 401", err)
				}
			}},
		{"reset on Create", lynctest.Fault{Kind: lynctest.FaultReset, Action: lynctest.ActionCreate}, nil},
		{"hang on Create", lynctest.Fault{Kind: lynctest.FaultHang, Action: lynctest.ActionCreate}, nil},
		{"refused dial", lynctest.Fault{Kind: lynctest.FaultRefuse}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d := start(t, testConfig())
			tt.fault.Host = "edge01.contoso.com"
			if _, err := d.Inject(tt.fault); err != nil {
				t.Fatal(err)
			}
			// Over HTTPS: masterzen/winrm's Encryption (HTTP) ignores
			// the dialer and the endpoint's timeout, so a refused dial
			// or a hang could not be seen through it.
			c := clientWithTimeout(t, d, "edge01.contoso.com", true, "", 300*time.Millisecond)
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			_, _, _, err := c.RunCmdWithContext(ctx, encodedCommand(frame("EF-1", "")))
			if err == nil {
				t.Fatal("no error")
			}
			if tt.check != nil {
				tt.check(t, err)
			}
		})
	}
}

func TestCmdletFaultAndPersistentExit(t *testing.T) {
	t.Parallel()
	d := start(t, testConfig())
	rec := lynctest.ErrorRecord{Type: "Microsoft.Rtc.Management.ManagementException", Message: "CMS is read-only",
		FullyQualifiedErrorId: "ReadOnly,Microsoft.Rtc.Management.Xds.SetSiteCmdlet", Category: "WriteError"}
	if _, err := d.Inject(lynctest.Fault{Kind: lynctest.FaultCmdletError, Cmdlet: "Set-CsSite", Nth: 1, Record: rec}); err != nil {
		t.Fatal(err)
	}
	s := openSession(t, client(t, d, "fe01.contoso.com", true, ""))
	set := imp + "; Set-CsSite -Identity 'Site2' -XmppFederationRoute 'EdgeServer:edgepool2.contoso.com'"
	r := s.run(set)
	rec.Cmdlet = "Set-CsSite"
	if r.Kind != "err" || r.Error != rec {
		t.Fatalf("first call: %+v", r)
	}
	if r := s.run(set); r.Kind != "ok" {
		t.Fatalf("second call (Nth=1 fired already): %+v", r)
	}

	if _, err := d.Inject(lynctest.Fault{Kind: lynctest.FaultPersistentExit, Host: "edge01.contoso.com"}); err != nil {
		t.Fatal(err)
	}
	c := client(t, d, "edge01.contoso.com", false, "")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, stderr, code, err := c.RunCmdWithContext(ctx, "powershell.exe -NoProfile -NonInteractive -Command -")
	if err != nil || code != 1 || !strings.Contains(stderr, "could not start") {
		t.Fatalf("persistent exit: code %d err %v stderr %q", code, err, stderr)
	}
}

func TestDialer(t *testing.T) {
	t.Parallel()
	d := start(t, testConfig())
	ctx := context.Background()
	_, err := d.DialContext(ctx, "tcp", "nohost.contoso.com:5985")
	var dnsErr *net.DNSError
	if !errors.As(err, &dnsErr) || !dnsErr.IsNotFound {
		t.Fatalf("unknown host: %v", err)
	}
	if _, err := d.DialContext(ctx, "tcp", "edge01.contoso.com:80"); err == nil {
		t.Fatal("port 80 dialed")
	}
	for _, addr := range []string{"EDGE01.contoso.com.:5986", d.Host("edge01.contoso.com").Addr()} {
		conn, err := d.DialContext(ctx, "tcp", addr)
		if err != nil {
			t.Fatalf("%s: %v", addr, err)
		}
		conn.Close()
	}
}

func TestCommandLines(t *testing.T) {
	t.Parallel()
	d := start(t, testConfig())
	c := client(t, d, "edge01.contoso.com", false, "")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	tests := []struct {
		cmd, stdoutHas, stderrHas string
		code                      int
	}{
		{"ipconfig /all", "", "'ipconfig' is not recognized as an internal or external command", 1},
		{encodedCommand("Get-Date"), "", "#< CLIXML", 1},
		{encodedCommand(frame("EF-9", "Get-Nothing")), "EF-9:err:", "", 0},
		{"powershell.exe -NoProfile -NonInteractive -EncodedCommand !!!", "", "not properly encoded", 1},
	}
	for _, tt := range tests {
		stdout, stderr, code, err := c.RunCmdWithContext(ctx, tt.cmd)
		if err != nil || code != tt.code || !strings.Contains(stdout, tt.stdoutHas) || !strings.Contains(stderr, tt.stderrHas) {
			t.Errorf("%.40s: code %d err %v stdout %q stderr %q", tt.cmd, code, err, stdout, stderr)
		}
	}
}

func TestCommandLineTooLong(t *testing.T) {
	t.Parallel()
	d := start(t, testConfig())
	c := client(t, d, "edge01.contoso.com", false, "")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	// cmd.exe refuses more than 8191 characters: about 1,700 characters of
	// inner script fit in an -EncodedCommand frame line.
	long := encodedCommand(frame("EF-1", "Get-CsSite -Identity '"+strings.Repeat("a", 2000)+"'"))
	_, stderr, code, err := c.RunCmdWithContext(ctx, long)
	if err != nil || code != 1 || stderr != "The command line is too long.\r\n" {
		t.Fatalf("len %d: code %d err %v stderr %q", len(long), code, err, stderr)
	}
	short := encodedCommand(frame("EF-2", "Get-CsSite -Identity '"+strings.Repeat("a", 1500)+"'"))
	stdout, _, code, err := c.RunCmdWithContext(ctx, short)
	if err != nil || code != 0 || !strings.Contains(stdout, "EF-2:err:") {
		t.Fatalf("len %d: code %d err %v stdout %q", len(short), code, err, stdout)
	}
}

func TestNoiseOnStdout(t *testing.T) {
	t.Parallel()
	d := start(t, testConfig())
	if _, err := d.Inject(lynctest.Fault{Kind: lynctest.FaultNoise}); err != nil {
		t.Fatal(err)
	}
	c := client(t, d, "edge01.contoso.com", false, "")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	stdout, _, code, err := c.RunCmdWithContext(ctx, encodedCommand(frame("EF-7", "")))
	r, ok := findFrame(t, stdout, "EF-7")
	if err != nil || code != 0 || !ok || r.JSON != "[]" || !strings.HasPrefix(stdout, "WARNING: ") || strings.Count(stdout, "\n") != 3 {
		t.Fatalf("code %d err %v stdout %q", code, err, stdout)
	}
}
