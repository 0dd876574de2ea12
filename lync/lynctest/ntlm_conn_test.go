package lynctest

import (
	"encoding/base64"
	"net/http"
	"testing"
)

// TestNTLMBoundToConnection: NTLM authenticates a connection, as on
// Windows. An AUTHENTICATE sent on another connection than the one that got
// its CHALLENGE gets 401; on its own connection it gets 200. (A client that
// spreads the three round trips of a login over pooled connections, as
// masterzen/winrm's ClientNTLM does with concurrent posts, fails this way.)
func TestNTLMBoundToConnection(t *testing.T) {
	t.Parallel()
	d := newTestDeployment(t)
	h := d.Host("fe01.contoso.com")
	user, dom, pass := credentialsOf(d)
	spec := authSpec{user: user, domain: dom, password: pass}
	a, b := dialRaw(t, h.Addr()), dialRaw(t, h.Addr())
	neg := buildNegotiate()
	resp, _ := a.post("Negotiate "+base64.StdEncoding.EncodeToString(neg), "", nil)
	ch, err := base64.StdEncoding.DecodeString(resp.Header.Get("WWW-Authenticate")[len("Negotiate "):])
	if resp.StatusCode != http.StatusUnauthorized || err != nil || len(ch) < 48 {
		t.Fatalf("NEGOTIATE answered %d", resp.StatusCode)
	}
	auth, _ := buildAuthenticate(spec, neg, ch)
	authz := "Negotiate " + base64.StdEncoding.EncodeToString(auth)
	if resp, _ := b.post(authz, "", nil); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("AUTHENTICATE on another connection answered %d, want 401", resp.StatusCode)
	}
	if resp, _ := a.post(authz, "", nil); resp.StatusCode != http.StatusOK {
		t.Fatalf("AUTHENTICATE on the CHALLENGE's connection answered %d, want 200", resp.StatusCode)
	}
	if c := h.Counters(); c.Auth.NTLM != 1 || c.Auth.Handshakes != 1 {
		t.Errorf("auth counters %+v", c.Auth)
	}
}
