package setup

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"strings"
	"testing"

	"github.com/xmppfed/edgefailover/lync/winrm"
)

func TestFindSecrets(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		doc  string
		want string // "" = accepted; else a member path in the error
	}{
		{`{"credentials":{"username":"u","password_env":"PW"}}`, ""},
		{`{"credentials":{"password":""}}`, ""}, // empty: nothing leaked
		{`{"credentials":{"Password":"hunter2"}}`, "credentials.Password"},
		{`{"dns":[{"a":1},{"secret":"c2VjcmV0"}]}`, "dns[1].secret"},
		{`{"x":{"y":{"token":"t"}}}`, "x.y.token"},
		{`{"password":1}`, ""}, // not a string: a type error later, not a leak
	} {
		err := FindSecrets([]byte(tc.doc))
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: %v", tc.doc, err)
		case tc.want != "" && (!errors.Is(err, ErrSecretInFile) || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s: err %v, want ErrSecretInFile naming %s", tc.doc, err, tc.want)
		case err != nil && (strings.Contains(err.Error(), "hunter2") || strings.Contains(err.Error(), "c2VjcmV0")):
			t.Errorf("%s: the error shows the secret: %v", tc.doc, err)
		}
	}
}

func FuzzFindSecrets(f *testing.F) {
	f.Add([]byte(`{"credentials":{"password":"hunter2"}}`))
	f.Add([]byte(`[{"secret":"s"},{"a":[{"token":"t"}]}]`))
	f.Fuzz(func(t *testing.T, doc []byte) {
		err := FindSecrets(doc)
		// Any document, valid or not, gives an answer without panicking;
		// a secret is reported only in a valid JSON document.
		if errors.Is(err, ErrSecretInFile) && !json.Valid(doc) {
			t.Errorf("ErrSecretInFile for invalid JSON %q", doc)
		}
	})
}

func TestConsole(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	env := func(k string) (string, bool) { return "from-env", k == "SET" }
	c := NewConsole(strings.NewReader("piped\nyes\nno\n"), io.Discard, env)
	if s, err := c.Secret(ctx, "SET", "x"); s != "from-env" || err != nil {
		t.Errorf("env: %q %v", s, err)
	}
	if s, err := c.Secret(ctx, "UNSET", "x"); s != "piped" || err != nil {
		t.Errorf("pipe: %q %v", s, err)
	}
	if !c.Confirm(ctx, "?") || c.Confirm(ctx, "?") || c.Confirm(ctx, "?") {
		t.Error("confirm: want yes, no, then no at EOF")
	}
	if _, err := NewConsole(nil, io.Discard, env).Secret(ctx, "UNSET", "x"); !errors.Is(err, ErrNoSecret) || !strings.Contains(err.Error(), "UNSET") {
		t.Errorf("no stdin: %v", err)
	}
	if _, err := NewConsole(strings.NewReader("\n"), io.Discard, env).Secret(ctx, "UNSET", "x"); !errors.Is(err, ErrNoSecret) {
		t.Errorf("empty answer: %v", err)
	}
}

func TestWinRMEndpoint(t *testing.T) {
	t.Parallel()
	w := WinRM{Host: "{name}.mgmt.contoso.com", Auth: "ntlm", Addresses: map[string]string{"EDGE2A.mgmt.contoso.com": "127.0.0.1:1"}}
	if err := w.Check(true); err != nil {
		t.Fatal(err)
	}
	ep, err := w.Endpoint("edge2a.contoso.com", true, winrm.Credentials{Username: "u", Password: "p"})
	if err != nil {
		t.Fatal(err)
	}
	if ep.Host != "edge2a.mgmt.contoso.com" || ep.Auth != winrm.AuthNTLM || ep.Dial == nil {
		t.Errorf("endpoint %+v", ep)
	}
	for _, bad := range []WinRM{
		{Host: "fe01.contoso.com", PlainHTTP: true, Auth: "basic"}, // in clear: needs allow_unencrypted
		{Host: "fe01.contoso.com", Auth: "digest"},
		{Host: "fe01.contoso.com", Auth: "kerberos"},
		{Host: "fe01 contoso.com"},
		{Host: "fe01.contoso.com", Addresses: map[string]string{"fe01.contoso.com": "nope"}},
	} {
		if err := bad.Check(false); err == nil {
			t.Errorf("%+v accepted", bad)
		}
	}
}

// The probe dialer resolves through the given resolvers and maps addresses,
// reporting the mapped-from address as RemoteAddr.
func TestProbeDialerMaps(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	dial := ProbeDialer(nil, map[string]string{"192.0.2.20:5269": ln.Addr().String()})
	c, err := dial(context.Background(), "tcp", "192.0.2.20:5269")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if got := c.RemoteAddr().String(); got != "192.0.2.20:5269" {
		t.Errorf("RemoteAddr %s, want the mapped-from address", got)
	}
	if err := CheckConnect(map[string]string{"xmpp.contoso.com:5269": "127.0.0.1:1"}); err == nil {
		t.Error("a host name key was accepted")
	}
}

func TestSplitPairs(t *testing.T) {
	t.Parallel()
	m, err := SplitPairs(" a=1, b=2 ,")
	if err != nil || m["a"] != "1" || m["b"] != "2" || len(m) != 2 {
		t.Errorf("%v %v", m, err)
	}
	if _, err := SplitPairs("a"); err == nil {
		t.Error("a pair without = was accepted")
	}
}

// An interrupt at a prompt ends it at once, without waiting for a line.
func TestPromptInterrupted(t *testing.T) {
	t.Parallel()
	r, w := io.Pipe()
	defer w.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	c := NewConsole(r, io.Discard, nil)
	if c.Confirm(ctx, "?") {
		t.Error("an interrupted confirmation said yes")
	}
	if _, err := c.Secret(ctx, "UNSET", "x"); !errors.Is(err, context.Canceled) {
		t.Errorf("interrupted secret: %v", err)
	}
}
