package winrm

import (
	"bufio"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/xmppfed/edgefailover/internal/testpeer"
)

// mitPython returns a python3 that has MIT krb5's GSS-API bindings (Debian
// python3-gssapi), or ends the test as a missing peer.
func mitPython(t *testing.T) string {
	t.Helper()
	for _, p := range []string{"/usr/bin/python3", "python3"} {
		if exec.Command(p, "-c", "import gssapi.raw; gssapi.raw.wrap_iov").Run() == nil {
			return p
		}
	}
	testpeer.Missing(t, "python3 with MIT GSS-API bindings not found (install the Debian package python3-gssapi: apt-get install -y python3-gssapi)")
	return ""
}

// startMITAcceptor runs testdata/mit_acceptor.py with the service keytab
// and returns its address.
func startMITAcceptor(t *testing.T, kdc *testpeer.KDC, keytab string) string {
	t.Helper()
	cmd := exec.Command(mitPython(t), "testdata/mit_acceptor.py")
	cmd.Env = append(kdc.Env(), "KRB5_KTNAME=FILE:"+keytab)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	port, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("mit_acceptor.py: %v", err)
	}
	go func() { _, _ = io.Copy(io.Discard, out) }()
	return "127.0.0.1:" + strings.TrimSpace(port)
}

// TestKerberosSealAgainstMIT cross-checks the client's Kerberos message
// encryption with MIT krb5's own GSS-API (gss_accept_sec_context,
// gss_unwrap, gss_wrap_iov as pywinrm uses it), not with lynctest: MIT
// accepts the AP-REQ and answers its AP-REP, unwraps every sealed request
// (it answers 400 otherwise) and wraps answers the client must open, with
// sequence numbers advancing over several messages on one connection.
// Then answers MIT tampered with are each refused with ErrEncryption: a
// bit of the header's sequence number (protected only by the encrypted
// header copy), a bit of the sealed body (the checksum), the previous
// answer replayed (the sequence number), and the client's own token sent
// back with SentByAcceptor set (sealed with the initiator's key usage).
func TestKerberosSealAgainstMIT(t *testing.T) {
	t.Parallel()
	kdc := testpeer.StartKDC(t, "CONTOSO.COM")
	kdc.AddUser(t, "lyncadmin", "Krb-Passw0rd-4")
	keytab := kdc.AddService(t, "HTTP/fe01.contoso.com")
	addr := startMITAcceptor(t, kdc, keytab)
	ep, err := Endpoint{Host: "fe01.contoso.com", PlainHTTP: true, Auth: AuthKerberos,
		Dial: func(ctx context.Context, network, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, network, addr)
		},
		Credentials: Credentials{Username: "lyncadmin", Password: "Krb-Passw0rd-4"},
		Kerberos:    &Kerberos{Realm: "CONTOSO.COM", ConfigPath: kdc.Krb5Conf}}.withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	p := newPoster(ep, slog.New(slog.DiscardHandler))
	defer p.closeIdle()
	post := func(body string) (string, error) {
		ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
		defer cancel()
		a, err := p.pool.roundTrip(ctx, []byte(body))
		if err != nil {
			return "", err
		}
		if a.status != 200 {
			return "", errors.New("HTTP " + a.header.Get("X-MIT-Error"))
		}
		return string(a.body), nil
	}
	for i, msg := range []string{"<s:Envelope>first</s:Envelope>", strings.Repeat("<x>second, longer</x>", 500), "third"} {
		got, err := post(msg)
		if err != nil {
			t.Fatalf("message %d: %v", i+1, err)
		}
		// MIT's answer header is 60 octets for aes256-cts-hmac-sha1-96
		// (16 + RRC 28 + confounder 16), as is ours that it unwrapped.
		if want := `<mit n="` + string(rune('1'+i)) + `" hl="60">` + msg + "</mit>"; got != want {
			t.Fatalf("message %d: answer %.80q, want %.80q", i+1, got, want)
		}
	}
	if n := p.pool.handshakes.Load(); n != 1 {
		t.Fatalf("%d logins for 3 sequential messages, want 1", n)
	}
	for _, tc := range []struct{ tamper, reason string }{
		{"header", "header differs from its encrypted copy"},
		{"body", "does not decrypt"},
		{"replay", "sequence number"},
		{"reflect", "does not decrypt"},
	} {
		if tc.tamper == "replay" { // one good answer on the connection first
			if _, err := post("before the replay"); err != nil {
				t.Fatal(err)
			}
		}
		_, err := post("<x>TAMPER:" + tc.tamper + "</x>")
		var ee *EncryptionError
		if !errors.Is(err, ErrEncryption) || !errors.As(err, &ee) || ee.Op != "unseal" || !strings.Contains(err.Error(), tc.reason) {
			t.Fatalf("tamper %s: err = %v, want an unseal EncryptionError (%s)", tc.tamper, err, tc.reason)
		}
	}
}
