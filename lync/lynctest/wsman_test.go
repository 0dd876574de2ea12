package lynctest_test

import (
	"encoding/base64"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/xmppfed/edgefailover/lync/lynctest"
)

// rawRequest builds a WS-Man request by hand (not with the client library).
func rawRequest(action, messageID, shellID, timeout, body string) string {
	sel := ""
	if shellID != "" {
		sel = `<w:SelectorSet><w:Selector Name="ShellId">` + shellID + `</w:Selector></w:SelectorSet>`
	}
	return `<?xml version="1.0" encoding="UTF-8"?><env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope" ` +
		`xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:w="http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd" ` +
		`xmlns:rsp="http://schemas.microsoft.com/wbem/wsman/1/windows/shell"><env:Header>` +
		`<a:Action>` + action + `</a:Action><a:MessageID>` + messageID + `</a:MessageID>` +
		`<w:OperationTimeout>` + timeout + `</w:OperationTimeout>` +
		`<w:ResourceURI>http://schemas.microsoft.com/wbem/wsman/1/windows/shell/cmd</w:ResourceURI>` + sel +
		`</env:Header><env:Body>` + body + `</env:Body></env:Envelope>`
}

// envelope is what the test reads back from a response.
type envelope struct {
	Action    string `xml:"Header>Action"`
	RelatesTo string `xml:"Header>RelatesTo"`
	Selector  string `xml:"Body>ResourceCreated>ReferenceParameters>SelectorSet>Selector"`
	CommandID string `xml:"Body>CommandResponse>CommandId"`
	Streams   []struct {
		Name string `xml:"Name,attr"`
		Data string `xml:",chardata"`
	} `xml:"Body>ReceiveResponse>Stream"`
	State struct {
		State    string `xml:"State,attr"`
		ExitCode string `xml:"ExitCode"`
	} `xml:"Body>ReceiveResponse>CommandState"`
	Subcode string `xml:"Body>Fault>Code>Subcode>Value"`
	Code    string `xml:"Body>Fault>Code>Value"`
	Fault   struct {
		Code    string `xml:"Code,attr"`
		Message string `xml:"Message"`
	} `xml:"Body>Fault>Detail>WSManFault"`
}

func post(t *testing.T, d *lynctest.Deployment, h *lynctest.Host, body string) (int, envelope) {
	t.Helper()
	return postAs(t, h, wsmanUser, wsmanPassword, body)
}

// postAs posts body in clear with Basic credentials of a local account.
func postAs(t *testing.T, h *lynctest.Host, user, password, body string) (int, envelope) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, "http://"+h.Addr()+"/wsman", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/soap+xml;charset=UTF-8")
	req.SetBasicAuth(user, password) // a local account: Basic takes no other
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if ct := resp.Header.Get("Content-Type"); ct != "application/soap+xml;charset=UTF-8" {
		t.Fatalf("Content-Type %q", ct)
	}
	var env envelope
	if err := xml.Unmarshal(raw, &env); err != nil {
		t.Fatalf("%v in %s", err, raw)
	}
	return resp.StatusCode, env
}

// The raw exchange goes in clear with Basic, which a host allows only when
// configured to.
const wsmanUser, wsmanPassword = "admin", "local-Passw0rd"

func TestWSManExchange(t *testing.T) {
	t.Parallel()
	cfg := testConfig()
	cfg.WinRM = lynctest.WinRMService{Basic: true, AllowUnencrypted: true,
		LocalAccounts: []lynctest.LocalAccount{{Host: "edge02.contoso.com", Username: wsmanUser, Password: wsmanPassword}}}
	cfg.MaxOperationTimeout = time.Hour // the request's PT0.05S wins
	d := start(t, cfg)
	h := d.Host("edge02.contoso.com")
	const shellNS = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/"
	n := 0
	step := func(action, shellID, timeout, body string, wantStatus int, wantAction string) envelope {
		t.Helper()
		n++
		id := fmt.Sprintf("uuid:00000000-0000-0000-0000-%012d", n)
		status, env := post(t, d, h, rawRequest(action, id, shellID, timeout, body))
		if status != wantStatus || env.Action != wantAction || env.RelatesTo != id {
			t.Fatalf("%s: status %d action %q relatesTo %q (sent %s)", action, status, env.Action, env.RelatesTo, id)
		}
		return env
	}
	env := step("http://schemas.xmlsoap.org/ws/2004/09/transfer/Create", "", "PT60S",
		`<rsp:Shell><rsp:InputStreams>stdin</rsp:InputStreams><rsp:OutputStreams>stdout stderr</rsp:OutputStreams></rsp:Shell>`,
		200, "http://schemas.xmlsoap.org/ws/2004/09/transfer/CreateResponse")
	shell := env.Selector
	env = step(shellNS+"Command", shell, "PT60S",
		`<rsp:CommandLine><rsp:Command><![CDATA[powershell.exe -NoProfile -NonInteractive -Command -]]></rsp:Command></rsp:CommandLine>`,
		200, shellNS+"CommandResponse")
	cmd := env.CommandID
	receive := `<rsp:Receive><rsp:DesiredStream CommandId="` + cmd + `">stdout stderr</rsp:DesiredStream></rsp:Receive>`
	env = step(shellNS+"Receive", shell, "PT0.05S", receive, 500, "http://schemas.dmtf.org/wbem/wsman/1/wsman/fault")
	if env.Subcode != "w:TimedOut" {
		t.Fatalf("long poll subcode %q", env.Subcode)
	}
	line := frame("EF-1", "Get-CsNothing") + "\r\nnot a frame\r\n"
	step(shellNS+"Send", shell, "PT60S", `<rsp:Send><rsp:Stream Name="stdin" CommandId="`+cmd+`" End="true">`+
		base64.StdEncoding.EncodeToString([]byte(line))+`</rsp:Stream></rsp:Send>`, 200, shellNS+"SendResponse")
	var stdout, stderr string
	for env.State.State != shellNS+"CommandState/Done" {
		env = step(shellNS+"Receive", shell, "PT5S", receive, 200, shellNS+"ReceiveResponse")
		for _, s := range env.Streams {
			b, _ := base64.StdEncoding.DecodeString(s.Data)
			if s.Name == "stdout" {
				stdout += string(b)
			} else {
				stderr += string(b)
			}
		}
	}
	if env.State.ExitCode != "0" || !strings.HasPrefix(stdout, "EF-1:err:") || strings.Count(stdout, "\n") != 1 ||
		!strings.Contains(stderr, "ParserError") {
		t.Fatalf("exit %q stdout %q stderr %q", env.State.ExitCode, stdout, stderr)
	}
	step(shellNS+"Signal", shell, "PT60S", `<rsp:Signal CommandId="`+cmd+`"><rsp:Code>`+shellNS+`signal/terminate</rsp:Code></rsp:Signal>`,
		200, shellNS+"SignalResponse")
	step("http://schemas.xmlsoap.org/ws/2004/09/transfer/Delete", shell, "PT60S", "", 200,
		"http://schemas.xmlsoap.org/ws/2004/09/transfer/DeleteResponse")
	env = step(shellNS+"Receive", shell, "PT60S", receive, 500, "http://schemas.dmtf.org/wbem/wsman/1/wsman/fault")
	if env.Subcode != "w:InvalidSelectors" {
		t.Fatalf("after Delete: %q", env.Subcode)
	}
	step("http://schemas.xmlsoap.org/ws/2004/09/enumeration/Enumerate", "", "PT60S", "", 500,
		"http://schemas.dmtf.org/wbem/wsman/1/wsman/fault")
	c := h.Counters()
	if c.Requests[lynctest.ActionReceive] < 3 || c.Requests[lynctest.ActionSend] != 1 || c.Shells != 1 || c.Scripts != 1 {
		t.Fatalf("counters %+v", c)
	}
}

func TestUnauthorizedHeaders(t *testing.T) {
	t.Parallel()
	d := start(t, testConfig())
	resp, err := http.Post("http://"+d.Host("fe01.contoso.com").Addr()+"/wsman", "application/soap+xml", strings.NewReader("<x/>"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	// A default host offers Negotiate only (Basic is off, no Kerberos realm).
	if resp.StatusCode != 401 || strings.Join(resp.Header.Values("WWW-Authenticate"), ",") != "Negotiate" {
		t.Fatalf("status %d headers %v", resp.StatusCode, resp.Header)
	}
}
