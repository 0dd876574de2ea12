package lynctest

import (
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/xmppfed/edgefailover/internal/testpeer"
)

// mitStep is one sealed request of testdata/mit_initiator.py and what came
// back.
type mitStep struct {
	Body   string `json:"body"`
	Tamper string `json:"tamper,omitempty"`
}

type mitResult struct {
	Status    int    `json:"status"`
	CType     string `json:"ctype"`
	Body      string `json:"body"`
	Encrypted bool   `json:"encrypted"`
	HL        int    `json:"hl"`
	UnwrapErr string `json:"unwrap_error"`
}

// mitKerberos is a realm with lyncadmin logged in (a credential cache for
// MIT's initiator) and a deployment whose hosts accept its tickets.
type mitKerberos struct {
	kdc    *testpeer.KDC
	ccache string
	keytab string
	python string
	d      *Deployment
}

func newMITKerberos(t *testing.T) *mitKerberos {
	t.Helper()
	python := ""
	for _, p := range []string{"/usr/bin/python3", "python3"} {
		if exec.Command(p, "-c", "import gssapi.raw; gssapi.raw.wrap_iov").Run() == nil {
			python = p
			break
		}
	}
	kdc := testpeer.StartKDC(t, "CONTOSO.COM")
	if python == "" {
		testpeer.Missing(t, "python3 with MIT GSS-API bindings not found (install the Debian package python3-gssapi: apt-get install -y python3-gssapi)")
	}
	kdc.AddUser(t, "lyncadmin", "Krb-Passw0rd-5")
	kt := kdc.AddService(t, "HTTP/fe01.contoso.com")
	cfg := TwoSites(TwoSitesOptions{})
	cfg.WinRM.Kerberos = &KerberosService{Keytab: kt, Realm: "CONTOSO.COM"}
	d, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(d.Close)
	return &mitKerberos{kdc: kdc, ccache: kdc.Kinit(t, "lyncadmin", "Krb-Passw0rd-5"), keytab: kt, python: python, d: d}
}

// run logs MIT's initiator in to fe01 over HTTP and posts steps sealed.
func (m *mitKerberos) run(t *testing.T, scheme string, spnego, mutual bool, steps ...mitStep) []mitResult {
	t.Helper()
	in, _ := json.Marshal(map[string]any{"addr": m.d.Host("fe01.contoso.com").Addr(), "scheme": scheme, "spnego": spnego, "mutual": mutual, "steps": steps})
	cmd := exec.Command(m.python, "testdata/mit_initiator.py")
	cmd.Env = append(m.kdc.Env(), "KRB5CCNAME=FILE:"+m.ccache)
	cmd.Stdin = strings.NewReader(string(in))
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("mit_initiator.py: %v", err)
	}
	var res []mitResult
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("mit_initiator.py: %s", out)
	}
	return res
}

// TestKerberosSealedWithMIT: MIT krb5's GSS-API as the client (what
// pywinrm runs: a bare KRB5 token or SPNEGO under Negotiate, gss_wrap_iov
// with HEADER, DATA and PADDING) logs in to a default host over HTTP and
// sends sealed requests; the double unseals them with its own acceptor and
// answers sealed, which MIT unwraps (checksum, header and sequence number
// checked by MIT). Several requests on one connection advance the sequence
// numbers both ways; without mutual authentication there is no AP-REP and
// the initiator's subkey seals. Under the Kerberos scheme the messages
// travel as application/HTTP-Kerberos-session-encrypted. Skips without krb5kdc and python3-gssapi
// unless EDGEFAILOVER_REQUIRE_PEERS=1.
func TestKerberosSealedWithMIT(t *testing.T) {
	t.Parallel()
	m := newMITKerberos(t)
	for _, tc := range []struct {
		name, scheme   string
		spnego, mutual bool
		ctype          string
	}{
		{"krb5 token", "Negotiate", false, true, encContentType},
		{"spnego", "Negotiate", true, true, encContentType},
		{"no mutual authentication", "Negotiate", false, false, encContentType},
		{"Kerberos scheme", "Kerberos", false, true, encContentTypeOf(encProtocolKerberos)},
	} {
		res := m.run(t, tc.scheme, tc.spnego, tc.mutual, mitStep{Body: createEnvelope}, mitStep{Body: createEnvelope}, mitStep{Body: createEnvelope})
		if len(res) != 3 {
			t.Fatalf("%s: %d answers: %+v", tc.name, len(res), res)
		}
		for i, r := range res {
			if r.Status != http.StatusOK || r.UnwrapErr != "" || !r.Encrypted || r.HL != 60 ||
				r.CType != tc.ctype || !strings.Contains(r.Body, "ResourceCreated") {
				t.Fatalf("%s: answer %d: %+v", tc.name, i+1, r)
			}
		}
	}
	a := m.d.Host("fe01.contoso.com").Counters().Auth
	if a.Kerberos != 4 || a.Sealed != 12 || a.SealFailures != 0 || a.Unencrypted != 0 {
		t.Fatalf("auth counters %+v", a)
	}
}

// TestKerberosSealTampered: requests MIT sealed and then spoilt are each
// refused as a real host refuses a message that does not decrypt: 400, the
// connection closed and its context dropped. A bit of the header's
// sequence number (only the encrypted header copy protects it), a bit of
// the sealed body, a replayed request, the host's own answer sent back
// (flag SentByAcceptor; without it, sealed with the acceptor's key usage),
// a Wrap token without confidentiality (no Sealed flag), and the protocol
// string of the other scheme (Kerberos under Negotiate, SPNEGO under
// Kerberos). A body in clear after the
// login gets 401 (AllowUnencrypted off).
func TestKerberosSealTampered(t *testing.T) {
	t.Parallel()
	m := newMITKerberos(t)
	good := mitStep{Body: createEnvelope}
	for _, tc := range []struct {
		tamper string
		want   int
		scheme string
	}{
		{"header", http.StatusBadRequest, "Negotiate"},
		{"body", http.StatusBadRequest, "Negotiate"},
		{"replay", http.StatusBadRequest, "Negotiate"},
		{"reflect", http.StatusBadRequest, "Negotiate"},
		{"reflect-unflagged", http.StatusBadRequest, "Negotiate"},
		{"unsealed", http.StatusBadRequest, "Negotiate"},
		{"protocol", http.StatusBadRequest, "Negotiate"},
		{"protocol", http.StatusBadRequest, "Kerberos"},
		{"clear", http.StatusUnauthorized, "Negotiate"},
	} {
		before := m.d.Host("fe01.contoso.com").Counters().Auth
		res := m.run(t, tc.scheme, false, true, good, mitStep{Body: createEnvelope, Tamper: tc.tamper}, good)
		if len(res) < 2 || res[0].Status != http.StatusOK || res[1].Status != tc.want {
			t.Fatalf("%s: answers %+v, want 200 then %d", tc.tamper, res, tc.want)
		}
		if len(res) == 3 && res[2].Status != http.StatusUnauthorized {
			t.Fatalf("%s: the connection's context survived: %+v", tc.tamper, res[2])
		}
		a := m.d.Host("fe01.contoso.com").Counters().Auth
		fails, unenc := a.SealFailures-before.SealFailures, a.Unencrypted-before.Unencrypted
		if tc.want == http.StatusBadRequest && (fails != 1 || unenc != 0) || tc.want == http.StatusUnauthorized && (fails != 0 || unenc != 1) {
			t.Fatalf("%s: %d seal failures, %d refused in clear", tc.tamper, fails, unenc)
		}
	}
}

// TestWriteMITVectors regenerates testdata/mit_wrap_vectors.json (and the
// client's copy) with testdata/mit_vectors.py when
// EDGEFAILOVER_WRITE_VECTORS=1; otherwise it does nothing.
func TestWriteMITVectors(t *testing.T) {
	if os.Getenv("EDGEFAILOVER_WRITE_VECTORS") != "1" {
		t.Skip("set EDGEFAILOVER_WRITE_VECTORS=1 to regenerate the MIT vectors")
	}
	m := newMITKerberos(t)
	cmd := exec.Command(m.python, "testdata/mit_vectors.py")
	cmd.Env = append(m.kdc.Env(), "KRB5CCNAME=FILE:"+m.ccache, "KRB5_KTNAME=FILE:"+m.keytab)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"testdata/mit_wrap_vectors.json", "../winrm/testdata/mit_wrap_vectors.json"} {
		if err := os.WriteFile(p, out, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
