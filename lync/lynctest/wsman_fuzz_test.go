package lynctest

import (
	"bytes"
	"encoding/base64"
	"encoding/xml"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"
)

// fuzzEnvelope is a WS-Man request as a client sends it; {SHELL} in the
// fuzz input stands for the id of a shell the target opened just before.
func fuzzEnvelope(action, shell, timeout, body string) string {
	sel := ""
	if shell != "" {
		sel = `<w:SelectorSet><w:Selector Name="ShellId">` + shell + `</w:Selector></w:SelectorSet>`
	}
	return `<?xml version="1.0" encoding="UTF-8"?><env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope" ` +
		`xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:w="http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd" ` +
		`xmlns:rsp="http://schemas.microsoft.com/wbem/wsman/1/windows/shell"><env:Header>` +
		`<a:Action>` + action + `</a:Action><a:MessageID>uuid:00000000-0000-0000-0000-000000000001</a:MessageID>` +
		`<w:OperationTimeout>` + timeout + `</w:OperationTimeout>` +
		`<w:ResourceURI>http://schemas.microsoft.com/wbem/wsman/1/windows/shell/cmd</w:ResourceURI>` + sel +
		`</env:Header><env:Body>` + body + `</env:Body></env:Envelope>`
}

var fuzzShellID = regexp.MustCompile(`<w:Selector Name="ShellId">([^<]+)</w:Selector>`)

// FuzzWSManRequest posts arbitrary SOAP bodies, as a WinRM client sends
// them, to a host of the double (Basic over HTTP, allowed), after opening a
// shell whose id replaces {SHELL}: parseRequest and every action behind it.
// It must not panic or hang, and answers 200 or a fault status with one
// well-formed XML document, as a Windows host does.
func FuzzWSManRequest(f *testing.F) {
	const shellNS = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/"
	cmd := base64.StdEncoding.EncodeToString([]byte("Get-CsSite"))
	for _, s := range []string{
		fuzzEnvelope("http://schemas.xmlsoap.org/ws/2004/09/transfer/Create", "", "PT1S",
			`<rsp:Shell><rsp:InputStreams>stdin</rsp:InputStreams><rsp:OutputStreams>stdout stderr</rsp:OutputStreams></rsp:Shell>`),
		fuzzEnvelope(shellNS+"Command", "{SHELL}", "PT1S",
			`<rsp:CommandLine><rsp:Command>powershell.exe</rsp:Command><rsp:Arguments>-EncodedCommand `+cmd+`</rsp:Arguments></rsp:CommandLine>`),
		fuzzEnvelope(shellNS+"Receive", "{SHELL}", "PT0.01S", `<rsp:Receive><rsp:DesiredStream CommandId="X">stdout stderr</rsp:DesiredStream></rsp:Receive>`),
		fuzzEnvelope(shellNS+"Send", "{SHELL}", "PT1S", `<rsp:Send><rsp:Stream Name="stdin" CommandId="X">AAAA</rsp:Stream></rsp:Send>`),
		fuzzEnvelope(shellNS+"Signal", "{SHELL}", "PT1S", `<rsp:Signal CommandId="X"><rsp:Code>`+shellNS+`signal/terminate</rsp:Code></rsp:Signal>`),
		fuzzEnvelope("http://schemas.xmlsoap.org/ws/2004/09/transfer/Delete", "{SHELL}", "PT1S", ""),
		fuzzEnvelope("urn:nothing", "", "P", ""),
		"<env:Envelope", "",
	} {
		f.Add(s)
	}
	d := readerDeployment(f, func(c *Config) {
		c.WinRM = WinRMService{Basic: true, AllowUnencrypted: true,
			LocalAccounts: []LocalAccount{{Host: "fe01.contoso.com", Username: "admin", Password: "local-Passw0rd"}}}
		c.MaxOperationTimeout = 20 * time.Millisecond
	})
	hd := &handler{d: d, h: d.Host("fe01.contoso.com")}
	post := func(t *testing.T, body string) (int, []byte) {
		r := httptest.NewRequest(http.MethodPost, "/wsman", strings.NewReader(body))
		r.SetBasicAuth("admin", "local-Passw0rd")
		r.Header.Set("Content-Type", contentType)
		w := httptest.NewRecorder()
		hd.ServeHTTP(w, r)
		b, _ := io.ReadAll(w.Result().Body)
		return w.Code, b
	}
	f.Fuzz(func(t *testing.T, body string) {
		code, created := post(t, fuzzEnvelope("http://schemas.xmlsoap.org/ws/2004/09/transfer/Create", "", "PT1S",
			`<rsp:Shell><rsp:InputStreams>stdin</rsp:InputStreams><rsp:OutputStreams>stdout stderr</rsp:OutputStreams></rsp:Shell>`))
		m := fuzzShellID.FindSubmatch(created)
		if code != http.StatusOK || m == nil {
			t.Fatalf("opening a shell: %d %s", code, created)
		}
		shell := string(m[1])
		defer post(t, fuzzEnvelope("http://schemas.xmlsoap.org/ws/2004/09/transfer/Delete", shell, "PT1S", ""))
		code, out := post(t, strings.ReplaceAll(body, "{SHELL}", shell))
		switch code {
		case http.StatusOK, http.StatusBadRequest, http.StatusInternalServerError:
		default:
			t.Fatalf("status %d for %q", code, body)
		}
		dec := xml.NewDecoder(bytes.NewReader(out))
		for {
			_, err := dec.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("answer %q is not well-formed XML: %v", out, err)
			}
		}
		if len(bytes.TrimSpace(out)) == 0 {
			t.Fatalf("status %d with an empty answer to %q", code, body)
		}
	})
}
