package winrm

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/masterzen/winrm"

	"github.com/xmppfed/edgefailover/lync"
)

const testFault = `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:w="http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd"><s:Body><s:Fault>` +
	`<s:Code><s:Value>s:Receiver</s:Value><s:Subcode><s:Value>w:%SUB%</s:Value></s:Subcode></s:Code>` +
	`<s:Reason><s:Text xml:lang="en-US">Something OperationTimeout-ish happened. </s:Text></s:Reason>` +
	`<s:Detail><f:WSManFault xmlns:f="http://schemas.microsoft.com/wbem/wsman/1/wsmanfault" Code="2150858793" Machine="h"><f:Message>m</f:Message></f:WSManFault></s:Detail>` +
	`</s:Fault></s:Body></s:Envelope>`

// faultServer answers every request with status and body, counting requests.
func faultServer(t *testing.T, status int, ctype, body string) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		if u, p, ok := r.BasicAuth(); !ok || u != "admin" || p != "s3cret" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", ctype)
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

func testEndpoint(t *testing.T, srv *httptest.Server) Endpoint {
	t.Helper()
	u, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	addr := u.Host
	return Endpoint{
		Host: "winrm.test.example", PlainHTTP: true, AllowUnencrypted: true,
		Credentials:      Credentials{Username: "admin", Password: "s3cret"},
		OperationTimeout: time.Second,
		Dial: func(ctx context.Context, network, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, network, addr)
		},
	}
}

func testRunner(t *testing.T, ep Endpoint) *WinRM {
	t.Helper()
	w, err := NewWinRM(ep, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = w.Close() })
	return w
}

func receiveRequest(w *WinRM) string {
	req := winrm.NewGetOutputRequest(w.p.url, "shell", "cmd", "stdout stderr", winrm.DefaultParameters)
	defer req.Free()
	return req.String()
}

func TestPostStatusMapping(t *testing.T) {
	t.Parallel()
	soapCT := "application/soap+xml;charset=UTF-8"
	tests := []struct {
		name   string
		status int
		ctype  string
		body   string
		creds  Password
		check  func(t *testing.T, err error)
	}{
		{"401", 200, soapCT, "<x/>", "wrong", func(t *testing.T, err error) {
			if !errors.Is(err, lync.ErrUnauthorized) {
				t.Errorf("err = %v, want lync.ErrUnauthorized", err)
			}
		}},
		{"500 fault", 500, soapCT, strings.ReplaceAll(testFault, "%SUB%", "InternalError"), "s3cret", func(t *testing.T, err error) {
			var f *WSManFault
			if !errors.As(err, &f) || f.StatusCode != 500 || f.Subcode != "w:InternalError" || f.Code != "s:Receiver" ||
				f.WSManFaultCode != "2150858793" || f.Action != "Receive" || f.TimedOut() {
				t.Errorf("err = %#v", err)
			}
		}},
		{"503 no body", 503, "text/plain", "busy", "s3cret", func(t *testing.T, err error) {
			var f *WSManFault
			if !errors.As(err, &f) || f.StatusCode != 503 || f.Code != "" {
				t.Errorf("err = %#v", err)
			}
		}},
		{"200 garbage", 200, soapCT, "<<<not xml", "s3cret", func(t *testing.T, err error) {
			if !errors.Is(err, lync.ErrProtocol) {
				t.Errorf("err = %v, want lync.ErrProtocol", err)
			}
		}},
		{"200 wrong type", 200, "text/html", "<html/>", "s3cret", func(t *testing.T, err error) {
			if !errors.Is(err, lync.ErrProtocol) {
				t.Errorf("err = %v, want lync.ErrProtocol", err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, n := faultServer(t, tt.status, tt.ctype, tt.body)
			ep := testEndpoint(t, srv)
			ep.Credentials.Password = tt.creds
			w := testRunner(t, ep)
			_, err := w.p.post(t.Context(), "Receive", receiveRequest(w))
			var te *lync.TransportError
			if !errors.As(err, &te) || te.Op != "Receive" {
				t.Fatalf("err = %v, want *lync.TransportError for Receive", err)
			}
			var ue *url.Error
			if errors.As(err, &ue) {
				t.Errorf("error unwraps to *url.Error (the winrm loop would re-poll): %v", err)
			}
			tt.check(t, err)
			if got := n.Load(); got != 1 {
				t.Errorf("requests = %d, want 1", got)
			}
		})
	}
}

// emptyReceive is a ReceiveResponse without output: the command still runs.
const emptyReceive = `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:rsp="http://schemas.microsoft.com/wbem/wsman/1/windows/shell"><s:Body>` +
	`<rsp:ReceiveResponse><rsp:CommandState CommandId="cmd" State="http://schemas.microsoft.com/wbem/wsman/1/windows/shell/CommandState/Running"></rsp:CommandState></rsp:ReceiveResponse>` +
	`</s:Body></s:Envelope>`

// TestReceiveNeverSpins drives the bound transport the way the masterzen
// Receive loop does (poll again at once on an "OperationTimeout" error or an
// answer without output) against hosts that answer instantly, and counts
// the requests.
func TestReceiveNeverSpins(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		status int
		body   string
	}{
		{"TimedOut", 500, strings.ReplaceAll(testFault, "%SUB%", "TimedOut")},
		{"empty answer", 200, emptyReceive},
		{"InternalError", 500, strings.ReplaceAll(testFault, "%SUB%", "InternalError")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, n := faultServer(t, tt.status, "application/soap+xml", tt.body)
			w := testRunner(t, testEndpoint(t, srv))
			ctx, cancel := context.WithTimeout(t.Context(), 1500*time.Millisecond)
			defer cancel()
			bt := newBoundTransport(ctx, w.p)
			wc, err := w.newClient(bt)
			if err != nil {
				t.Fatal(err)
			}
			req := winrm.NewGetOutputRequest(w.p.url, "shell", "cmd", "stdout stderr", &wc.Parameters)
			defer req.Free()
			loops := 0
			for {
				loops++
				out, err := bt.Post(wc, req)
				if err == nil && out == emptyReceive {
					continue // the winrm loop polls again: the command runs
				}
				if err == nil || !strings.Contains(err.Error(), "OperationTimeout") {
					break // the winrm loop ends the command here
				}
			}
			got := n.Load()
			if tt.name == "InternalError" {
				if got != 1 || loops != 1 {
					t.Errorf("requests = %d, loops = %d; a fault other than TimedOut must end the loop at once", got, loops)
				}
				return
			}
			// 1.5s of instant answers with 50ms..1s backoff: about 6 polls.
			if got > 12 {
				t.Errorf("%d requests in 1.5s: the long poll spins", got)
			}
			if ctx.Err() == nil {
				t.Errorf("loop ended before the deadline")
			}
		})
	}
}

func TestParseFaultTimedOut(t *testing.T) {
	t.Parallel()
	f, err := parseFault([]byte(strings.ReplaceAll(testFault, "%SUB%", "TimedOut")))
	if err != nil {
		t.Fatal(err)
	}
	if !f.TimedOut() || f.Reason == "" {
		t.Errorf("fault = %+v", f)
	}
	if _, err := parseFault([]byte(`<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body/></s:Envelope>`)); !errors.Is(err, errNoFault) {
		t.Errorf("err = %v, want errNoFault", err)
	}
}

func FuzzParseFault(f *testing.F) {
	f.Add([]byte(strings.ReplaceAll(testFault, "%SUB%", "TimedOut")))
	f.Add([]byte("<a/>"))
	f.Fuzz(func(t *testing.T, b []byte) {
		fault, err := parseFault(b)
		if err == nil && fault == nil {
			t.Fatal("nil fault without error")
		}
		if err == nil {
			_ = fault.Error()
			_ = fault.TimedOut()
		}
		_ = wsmanAction(string(b))
	})
}

func TestWSManAction(t *testing.T) {
	t.Parallel()
	w := &WinRM{p: &poster{url: "http://h:5985/wsman"}}
	if got := wsmanAction(receiveRequest(w)); got != "Receive" {
		t.Errorf("action = %q", got)
	}
}
