package lynctest_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/xmppfed/edgefailover/lync/lynctest"
)

// TestShellOfAnotherUser: a shell belongs to the user who created it. Every
// request of another authenticated user on its ShellId (Command, Send,
// Receive, Signal, Delete) gets "Access is denied." (HTTP 500, s:Receiver,
// w:InternalError, 0x80070005), whether it comes with Basic in clear or
// sealed with NTLM (the real masterzen/winrm client), and leaves the shell
// working for its owner.
func TestShellOfAnotherUser(t *testing.T) {
	t.Parallel()
	const host, otherUser, otherPass = "edge02.contoso.com", "operator", "operator-Passw0rd"
	cfg := testConfig()
	cfg.WinRM = lynctest.WinRMService{Basic: true, AllowUnencrypted: true, LocalAccounts: []lynctest.LocalAccount{
		{Host: host, Username: wsmanUser, Password: wsmanPassword},
		{Host: host, Username: otherUser, Password: otherPass}}}
	d := start(t, cfg)
	h := d.Host(host)
	const shellNS = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/"
	const transfer = "http://schemas.xmlsoap.org/ws/2004/09/transfer/"
	n := 0
	as := func(user, pass, action, shellID, body string) (int, envelope) {
		t.Helper()
		n++
		return postAs(t, h, user, pass, rawRequest(action, fmt.Sprintf("uuid:00000000-0000-0000-0000-%012d", n), shellID, "PT5S", body))
	}
	_, env := as(wsmanUser, wsmanPassword, transfer+"Create", "",
		`<rsp:Shell><rsp:InputStreams>stdin</rsp:InputStreams><rsp:OutputStreams>stdout stderr</rsp:OutputStreams></rsp:Shell>`)
	shell := env.Selector
	status, env := as(wsmanUser, wsmanPassword, shellNS+"Command", shell,
		`<rsp:CommandLine><rsp:Command>powershell.exe</rsp:Command><rsp:Arguments>-NoProfile</rsp:Arguments></rsp:CommandLine>`)
	cmd := env.CommandID
	if status != 200 || cmd == "" {
		t.Fatalf("owner's Command: %d %+v", status, env)
	}
	others := []struct{ action, body string }{
		{shellNS + "Command", `<rsp:CommandLine><rsp:Command>cmd.exe</rsp:Command></rsp:CommandLine>`},
		{shellNS + "Send", `<rsp:Send><rsp:Stream Name="stdin" CommandId="` + cmd + `">eA==</rsp:Stream></rsp:Send>`},
		{shellNS + "Receive", `<rsp:Receive><rsp:DesiredStream CommandId="` + cmd + `">stdout stderr</rsp:DesiredStream></rsp:Receive>`},
		{shellNS + "Signal", `<rsp:Signal CommandId="` + cmd + `"><rsp:Code>` + shellNS + `signal/terminate</rsp:Code></rsp:Signal>`},
		{transfer + "Delete", ""},
	}
	for _, o := range others {
		status, env := as(otherUser, otherPass, o.action, shell, o.body)
		if status != 500 || env.Code != "s:Receiver" || env.Subcode != "w:InternalError" ||
			env.Fault.Code != "2147942405" || env.Fault.Message != "Access is denied. " {
			t.Fatalf("%s by another user: %d %+v", o.action, status, env)
		}
	}
	// The same user, whatever the case of the name, is the owner.
	if status, env := as(strings.ToUpper(wsmanUser), wsmanPassword, shellNS+"Signal", shell,
		`<rsp:Signal CommandId="`+cmd+`"><rsp:Code>`+shellNS+`signal/ctrl_c</rsp:Code></rsp:Signal>`); status != 200 {
		t.Fatalf("owner's Signal (name in upper case): %d %+v", status, env)
	}

	// A domain account, sealed with NTLM by the real client.
	other := client(t, d, host, false, "")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	// (masterzen/winrm reports any fault as "unsupported action"; the
	// counter below says which fault it was.)
	if _, err := other.NewShell(shell).ExecuteWithContext(ctx, "powershell.exe"); err == nil {
		t.Fatalf("Command by a domain account on another user's shell: %v", err)
	}
	_ = other.NewShell(shell).Close() // masterzen reads no fault in a Delete answer: the counters below do
	if c := h.Counters(); c.OwnerFaults != len(others)+2 || h.ShellCount() != 1 || c.ShellsDeleted != 0 {
		t.Fatalf("owner faults %d (want %d), %d shells open, %d deleted", c.OwnerFaults, len(others)+2, h.ShellCount(), c.ShellsDeleted)
	}
	if status, _ := as(wsmanUser, wsmanPassword, transfer+"Delete", shell, ""); status != 200 || h.ShellCount() != 0 {
		t.Fatalf("owner's Delete: %d, %d shells open", status, h.ShellCount())
	}
}
