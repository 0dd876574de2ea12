package lynctest

import (
	"bytes"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jcmturner/gokrb5/v8/iana/etypeID"
	"github.com/jcmturner/gokrb5/v8/keytab"
)

// TestKerberosReplaySPNSpelling: an AP-REQ logs in once, and its replay is
// refused however the ticket spells the service name (the name is in
// clear; the keytab holds the key as HTTP/ and http/, since Windows matches
// SPNs in any case). gokrb5's replay cache compares the name as spelled,
// so the replay with http/ logged in again.
func TestKerberosReplaySPNSpelling(t *testing.T) {
	t.Parallel()
	const realm = "CONTOSO.COM"
	now := time.Now().Add(-time.Minute)
	kt := keytab.New()
	if err := kt.AddEntry("HTTP/fe01.contoso.com", realm, "host-Passw0rd", now, 1, etypeID.AES256_CTS_HMAC_SHA1_96); err != nil {
		t.Fatal(err)
	}
	lower := kt.Entries[0]
	lower.Principal.Components = []string{"http", "fe01.contoso.com"}
	kt.Entries = append(kt.Entries, lower)
	b, err := kt.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "http.keytab")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	d := readerDeployment(t, func(c *Config) {
		c.WinRM = WinRMService{Kerberos: &KerberosService{Keytab: path, Realm: realm}}
	})
	hd := &handler{d: d, h: d.Host("fe01.contoso.com")}
	post := func(tok []byte) int {
		r := httptest.NewRequest(http.MethodPost, "/wsman", nil)
		r.Header.Set("Authorization", "Negotiate "+base64.StdEncoding.EncodeToString(tok))
		w := httptest.NewRecorder()
		hd.ServeHTTP(w, r)
		return w.Code
	}
	tok := fuzzKDC{kt: kt, realm: realm}.token(t, "lyncadmin", "HTTP/fe01.contoso.com", etypeID.AES256_CTS_HMAC_SHA1_96, now, true)
	respelled := bytes.Replace(tok, []byte("\x1b\x04HTTP"), []byte("\x1b\x04http"), 1)
	if bytes.Equal(respelled, tok) {
		t.Fatal("the ticket's service name is not where the test looks")
	}
	for i, want := range []int{http.StatusOK, http.StatusUnauthorized} {
		if code := post(tok); code != want {
			t.Fatalf("post %d of the AP-REQ: %d, want %d", i+1, code, want)
		}
	}
	if code := post(respelled); code != http.StatusUnauthorized {
		t.Fatalf("its replay with the service name spelled http/: %d, want 401", code)
	}
	if n := d.Host("fe01.contoso.com").Counters().Auth.Kerberos; n != 1 {
		t.Fatalf("%d Kerberos logins, want 1", n)
	}
}
