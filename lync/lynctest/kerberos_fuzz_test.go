package lynctest

import (
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jcmturner/gofork/encoding/asn1"
	"github.com/jcmturner/gokrb5/v8/client"
	"github.com/jcmturner/gokrb5/v8/config"
	"github.com/jcmturner/gokrb5/v8/gssapi"
	"github.com/jcmturner/gokrb5/v8/iana/etypeID"
	"github.com/jcmturner/gokrb5/v8/iana/nametype"
	"github.com/jcmturner/gokrb5/v8/keytab"
	"github.com/jcmturner/gokrb5/v8/messages"
	"github.com/jcmturner/gokrb5/v8/spnego"
	"github.com/jcmturner/gokrb5/v8/types"
)

// fuzzKDC issues service tickets from a keytab, as a KDC would for the
// accounts the keytab holds the keys of.
type fuzzKDC struct {
	kt    *keytab.Keytab
	realm string
}

// token returns the AP-REQ of user for spn (a ticket valid from start for
// an hour, a fresh authenticator), bare or in a SPNEGO NegTokenInit.
func (k fuzzKDC) token(tb testing.TB, user, spn string, etype int32, start time.Time, inSPNEGO bool) []byte {
	tb.Helper()
	cname := types.NewPrincipalName(nametype.KRB_NT_PRINCIPAL, user)
	sname := types.NewPrincipalName(nametype.KRB_NT_SRV_INST, spn)
	tkt, key, err := messages.NewTicket(cname, k.realm, sname, k.realm, asn1.BitString{Bytes: make([]byte, 4), BitLength: 32},
		k.kt, etype, 1, start, start, start.Add(time.Hour), start.Add(time.Hour))
	if err != nil {
		tb.Fatal(err)
	}
	cl := client.NewWithPassword(user, k.realm, "unused", config.New())
	kt, err := spnego.NewKRB5TokenAPREQ(cl, tkt, key, []int{gssapi.ContextFlagInteg, gssapi.ContextFlagConf, gssapi.ContextFlagMutual}, nil)
	if err != nil {
		tb.Fatal(err)
	}
	b, err := kt.Marshal()
	if err != nil {
		tb.Fatal(err)
	}
	if !inSPNEGO {
		return b
	}
	st := spnego.SPNEGOToken{Init: true, NegTokenInit: spnego.NegTokenInit{
		MechTypes: []asn1.ObjectIdentifier{gssapi.OIDKRB5.OID()}, MechTokenBytes: b}}
	if b, err = st.Marshal(); err != nil {
		tb.Fatal(err)
	}
	return b
}

// FuzzKerberosAPReq posts tokens to a host of the double in the
// Negotiate and Kerberos schemes, as a client logging in with a ticket
// does. Seeds: valid AP-REQs of the deployment's account (bare and in
// SPNEGO, under both schemes, an RC4 ticket too), and tickets the host
// must refuse (another host's SPN, a principal that is no account, an
// expired ticket, another realm). Every token gets 401 or 400, or 200 with
// one Kerberos login when it is an AP-REQ of that account for this host
// whose authenticator has not logged in before (a replay is refused); never
// a panic or another status. The seeds' authenticators pass the 5-minute
// clock skew for the first minutes of a run only.
func FuzzKerberosAPReq(f *testing.F) {
	const realm = "CONTOSO.COM"
	kt := keytab.New()
	now := time.Now().Add(-time.Minute)
	for _, e := range []struct {
		spn   string
		etype int32
	}{
		{"HTTP/fe01.contoso.com", etypeID.AES256_CTS_HMAC_SHA1_96}, {"HTTP/fe01.contoso.com", etypeID.RC4_HMAC},
		{"HTTP/edge01.contoso.com", etypeID.AES256_CTS_HMAC_SHA1_96},
	} {
		if err := kt.AddEntry(e.spn, realm, "host-Passw0rd-"+e.spn, now, 1, e.etype); err != nil {
			f.Fatal(err)
		}
	}
	b, err := kt.Marshal()
	if err != nil {
		f.Fatal(err)
	}
	path := filepath.Join(f.TempDir(), "http.keytab")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		f.Fatal(err)
	}
	d := readerDeployment(f, func(c *Config) {
		c.WinRM = WinRMService{Kerberos: &KerberosService{Keytab: path, Realm: realm}}
	})
	h := d.Host("fe01.contoso.com")
	hd := &handler{d: d, h: h}
	post := func(scheme string, tok []byte) int {
		r := httptest.NewRequest(http.MethodPost, "/wsman", nil)
		r.Header.Set("Authorization", scheme+" "+base64.StdEncoding.EncodeToString(tok))
		w := httptest.NewRecorder()
		hd.ServeHTTP(w, r)
		return w.Code
	}
	kdc := fuzzKDC{kt: kt, realm: realm}
	aes := int32(etypeID.AES256_CTS_HMAC_SHA1_96)
	for _, login := range []struct {
		scheme   string
		etype    int32
		inSPNEGO bool
	}{
		{"Negotiate", aes, true}, {"Kerberos", aes, false}, {"Kerberos", aes, true}, {"Negotiate", etypeID.RC4_HMAC, true},
	} {
		tok := kdc.token(f, "lyncadmin", "HTTP/fe01.contoso.com", login.etype, now, login.inSPNEGO)
		if code := post(login.scheme, tok); code != http.StatusOK {
			f.Fatalf("a valid AP-REQ (%s, etype %d, SPNEGO %v) is refused: %d", login.scheme, login.etype, login.inSPNEGO, code)
		}
		if code := post(login.scheme, tok); code != http.StatusUnauthorized {
			f.Fatalf("a replayed AP-REQ (%s, etype %d, SPNEGO %v): %d, want 401", login.scheme, login.etype, login.inSPNEGO, code)
		}
		// The seed is another ticket, which no process has posted yet.
		f.Add(kdc.token(f, "lyncadmin", "HTTP/fe01.contoso.com", login.etype, now, login.inSPNEGO), login.scheme == "Kerberos")
	}
	for _, tok := range [][]byte{
		kdc.token(f, "lyncadmin", "HTTP/edge01.contoso.com", aes, now, true),                  // a ticket for another host
		kdc.token(f, "stranger", "HTTP/fe01.contoso.com", aes, now, true),                     // no account of the deployment
		kdc.token(f, "lyncadmin", "HTTP/fe01.contoso.com", aes, now.Add(-2*time.Hour), false), // expired
		{0x60, 0x03, 0x06, 0x01, 0x00}, {0xa0, 0x00}, []byte("NTLMSSP\x00\x03\x00\x00\x00"), nil,
	} {
		f.Add(tok, false)
	}
	other := fuzzKDC{kt: keytab.New(), realm: "FABRIKAM.COM"}
	if err := other.kt.AddEntry("HTTP/fe01.contoso.com", other.realm, "host-Passw0rd-HTTP/fe01.contoso.com", now, 1, aes); err != nil {
		f.Fatal(err)
	}
	f.Add(other.token(f, "lyncadmin", "HTTP/fe01.contoso.com", aes, now, true), true) // another realm's ticket
	seen := map[string]bool{}                                                         // the authenticators that logged in, in this process
	f.Fuzz(func(t *testing.T, tok []byte, kerberosScheme bool) {
		scheme := "Negotiate"
		if kerberosScheme {
			scheme = "Kerberos"
		}
		before := h.Counters().Auth.Kerberos
		code := post(scheme, tok)
		logins := h.Counters().Auth.Kerberos - before
		switch {
		case code == http.StatusUnauthorized || code == http.StatusBadRequest:
			if logins != 0 {
				t.Fatalf("%s token %x: %d, and %d Kerberos logins", scheme, tok, code, logins)
			}
			return
		case code != http.StatusOK || logins != 1:
			t.Fatalf("%s token %x: status %d with %d Kerberos logins, want 401 or 400, or 200 for a login", scheme, tok, code, logins)
		}
		// A login: an AP-REQ of lyncadmin for this host, its
		// authenticator never seen before, and never again.
		req := fuzzAPReq(t, tok)
		if seen[string(req.EncryptedAuthenticator.Cipher)] {
			t.Fatalf("%s token %x: a replayed authenticator logged in", scheme, tok)
		}
		seen[string(req.EncryptedAuthenticator.Cipher)] = true
		sname := req.Ticket.SName
		if err := req.Ticket.DecryptEncPart(kt, &sname); err != nil || req.Ticket.DecryptedEncPart.CName.PrincipalNameString() != "lyncadmin" ||
			!strings.EqualFold(sname.PrincipalNameString(), "HTTP/fe01.contoso.com") {
			t.Fatalf("%s token %x logged in with a ticket of %v for %v (%v)", scheme, tok, req.Ticket.DecryptedEncPart.CName, sname, err)
		}
		if code := post(scheme, tok); code != http.StatusUnauthorized {
			t.Fatalf("%s token %x logged in, and again as a replay: %d", scheme, tok, code)
		}
	})
}

// fuzzAPReq is the AP-REQ of a token the double accepted: bare, or the
// mech token of a SPNEGO NegTokenInit.
func fuzzAPReq(t *testing.T, tok []byte) messages.APReq {
	t.Helper()
	var st spnego.SPNEGOToken
	if err := st.Unmarshal(tok); err == nil && st.Init {
		tok = st.NegTokenInit.MechTokenBytes
	}
	var kt spnego.KRB5Token
	if err := kt.Unmarshal(tok); err != nil || !kt.IsAPReq() {
		t.Fatalf("token %x logged in, and is no AP-REQ: %v", tok, err)
	}
	return kt.APReq
}
