package lynctest_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"net"
	"strings"
	"time"
	"unicode/utf16"

	"github.com/masterzen/winrm"
	"github.com/xmppfed/edgefailover/lync/lynctest"
)

// exampleConfig is a one-site deployment with an Edge pool of one server.
func exampleConfig() lynctest.Config {
	return lynctest.Config{
		Product: lynctest.Lync2013,
		Sites:   []lynctest.Site{{Name: "Site1"}},
		Pools: []lynctest.Pool{
			{FQDN: "edgepool1.contoso.com", Site: "Site1", Role: lynctest.Edge,
				Servers: []lynctest.Server{{FQDN: "edge01.contoso.com"}}},
		},
	}
}

// winrmClient connects the real WinRM client to a host by name over HTTPS
// with NTLM (a default host has Basic off), trusting the deployment's test
// CA.
func winrmClient(d *lynctest.Deployment, fqdn string) (*winrm.Client, error) {
	params := *winrm.DefaultParameters
	params.TransportDecorator = func() winrm.Transporter {
		return winrm.NewClientNTLMWithDial(func(network, addr string) (net.Conn, error) {
			return d.DialContext(context.Background(), network, addr)
		})
	}
	user, pass := d.Credentials()
	ep := &winrm.Endpoint{Host: fqdn, Port: lynctest.HTTPSPort, HTTPS: true, CACert: d.CACertPEM(), Timeout: 10 * time.Second}
	return winrm.NewClientWithParameters(ep, user, pass, &params)
}

// frameTemplate is docs/wire.md §2, typed again here (not shared with the
// package) so that the tests check the package against the document; the
// Examples and the tests of this directory use it.
const frameTemplate = `& { $ErrorActionPreference = 'Stop'; $m = '<M>'; try { $o = @(& ([ScriptBlock]::Create([Text.Encoding]::UTF8.GetString([Convert]::FromBase64String('<B>'))))); [Console]::Out.WriteLine($m + ':ok:' + [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes((ConvertTo-Json -InputObject $o -Depth 4 -Compress)))) } catch { $e = $_; [Console]::Out.WriteLine($m + ':err:' + [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes((ConvertTo-Json -Compress -InputObject @{ Type = $e.Exception.GetType().FullName; Message = $e.Exception.Message; FullyQualifiedErrorId = [string]$e.FullyQualifiedErrorId; Category = [string]$e.CategoryInfo.Category; Cmdlet = [string]$e.InvocationInfo.MyCommand.Name })))) } }`

// encodedCommand is the powershell.exe command line that runs line, as
// docs/wire.md §1 gives it: UTF-16LE, base64.
func encodedCommand(line string) string {
	u := utf16.Encode([]rune(line))
	b := make([]byte, 2*len(u))
	for i, c := range u {
		b[2*i], b[2*i+1] = byte(c), byte(c>>8)
	}
	return "powershell.exe -NoProfile -NonInteractive -EncodedCommand " + base64.StdEncoding.EncodeToString(b)
}

// runFramed runs one inner script as a docs/wire.md frame line in its own
// powershell.exe -EncodedCommand process and returns the decoded result.
func runFramed(c *winrm.Client, script string) (string, error) {
	const marker = "EF0123456789abcdef0123456789abcdef-1"
	line := strings.NewReplacer("<M>", marker, "<B>", base64.StdEncoding.EncodeToString([]byte(script))).Replace(frameTemplate)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	stdout, _, _, err := c.RunCmdWithContext(ctx, encodedCommand(line))
	if err != nil {
		return "", err
	}
	for _, l := range strings.Split(stdout, "\r\n") {
		if rest, ok := strings.CutPrefix(l, marker+":"); ok {
			kind, b64, _ := strings.Cut(rest, ":")
			js, err := base64.StdEncoding.DecodeString(b64)
			return kind + " " + string(js), err
		}
	}
	return "", fmt.Errorf("no result line")
}

func ExampleNew() {
	d, err := lynctest.New(exampleConfig())
	if err != nil {
		panic(err)
	}
	defer d.Close()
	c, err := winrmClient(d, "edge01.contoso.com")
	if err != nil {
		panic(err)
	}
	out, err := runFramed(c, "Import-Module -Name 'Lync'; Get-CsWindowsService -Name 'REPLICA' | "+
		"Select-Object -Property Name, Status, @{ Name = 'Text'; Expression = { [string]$_.Status } }")
	fmt.Println(out, err)
	out, _ = runFramed(c, "Get-CsWindowsService")
	fmt.Println(out)
	fmt.Println(d.Counters().Processes, "processes,", d.Counters().ModuleImports, "module import")
	// Output:
	// ok [{"Name":"REPLICA","Status":4,"Text":"Running"}] <nil>
	// err {"Type":"System.Management.Automation.CommandNotFoundException","Message":"The term \u0027Get-CsWindowsService\u0027 is not recognized as the name of a cmdlet, function, script file, or operable program. Check the spelling of the name, or if a path was included, verify that the path is correct and try again.","FullyQualifiedErrorId":"CommandNotFoundException","Category":"ObjectNotFound","Cmdlet":""}
	// 2 processes, 1 module import
}

func ExampleDeployment_Inject() {
	d, err := lynctest.New(exampleConfig())
	if err != nil {
		panic(err)
	}
	defer d.Close()
	// The second Stop-CsWindowsService fails as a real cmdlet would.
	remove, err := d.Inject(lynctest.Fault{Kind: lynctest.FaultCmdletError, Cmdlet: "Stop-CsWindowsService", Nth: 2,
		Record: lynctest.ErrorRecord{Type: "System.InvalidOperationException", Message: "Access is denied.",
			FullyQualifiedErrorId: "AccessDenied", Category: "PermissionDenied"}})
	if err != nil {
		panic(err)
	}
	defer remove()
	c, err := winrmClient(d, "edge01.contoso.com")
	if err != nil {
		panic(err)
	}
	stop := "Import-Module -Name 'Lync'; Stop-CsWindowsService -Name 'RTCXMPPTGWPX'"
	for i := 0; i < 2; i++ {
		out, _ := runFramed(c, stop)
		fmt.Println(out)
	}
	fmt.Println(d.Snapshot().Services["edge01.contoso.com"]["RTCXMPPTGWPX"])
	// Output:
	// ok []
	// err {"Type":"System.InvalidOperationException","Message":"Access is denied.","FullyQualifiedErrorId":"AccessDenied","Category":"PermissionDenied","Cmdlet":"Stop-CsWindowsService"}
	// Stopped
}

func ExampleConfig_callbacks() {
	cfg := exampleConfig()
	cfg.Sites = append(cfg.Sites, lynctest.Site{Name: "Site2"})
	cfg.OnServiceChange = func(e lynctest.ServiceEvent) {
		if e.Service == "RTCXMPPTGWPX" { // e.g. stop or start a test XMPP listener here
			fmt.Println(e.Host, e.Service, e.From, "->", e.To)
		}
	}
	cfg.OnRouteChange = func(e lynctest.RouteEvent) { fmt.Printf("%s: %q -> %q\n", e.Site, e.From, e.To) }
	d, err := lynctest.New(cfg)
	if err != nil {
		panic(err)
	}
	defer d.Close()
	c, err := winrmClient(d, "edge01.contoso.com")
	if err != nil {
		panic(err)
	}
	_, _ = runFramed(c, "Import-Module -Name 'Lync'; Stop-CsWindowsService -Graceful; "+
		"Set-CsSite -Identity 'Site2' -XmppFederationRoute 'EdgeServer:edgepool1.contoso.com'")
	fmt.Println(d.Snapshot().Replicas)
	// Output:
	// edge01.contoso.com RTCXMPPTGWPX Running -> StopPending
	// edge01.contoso.com RTCXMPPTGWPX StopPending -> Stopped
	// Site2: "" -> "EdgeServer:edgepool1.contoso.com"
	// map[edge01.contoso.com:false]
}
