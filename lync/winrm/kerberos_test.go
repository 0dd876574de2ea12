package winrm

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/xmppfed/edgefailover/internal/testpeer"
	"github.com/xmppfed/edgefailover/lync/lynctest"

	"github.com/xmppfed/edgefailover/lync"
)

// TestKerberosAgainstKDC logs in to lynctest with a ticket from a real MIT
// KDC (Debian krb5-kdc, started on a loopback port): over HTTPS, and over
// plain HTTP with every message sealed (RFC 4121 Wrap tokens under the
// AP-REP's subkey), against a default host (AllowUnencrypted off) and one
// that allows unencrypted traffic (the client encrypts all the same). A
// wrong password fails at the KDC, before any WS-Man request. Skips
// without krb5kdc unless EDGEFAILOVER_REQUIRE_PEERS=1.
func TestKerberosAgainstKDC(t *testing.T) {
	t.Parallel()
	kdc := testpeer.StartKDC(t, "CONTOSO.COM")
	kdc.AddUser(t, "lyncadmin", "Krb-Passw0rd-1")
	keytab := kdc.AddService(t, "HTTP/fe01.contoso.com")
	for _, tc := range []struct {
		name             string
		plain, hostAllow bool
	}{{"https", false, false}, {"http sealed", true, false}, {"http sealed, host allows clear", true, true}} {
		d := ntlmDeployment(t, lynctest.WinRMService{AllowUnencrypted: tc.hostAllow,
			Kerberos: &lynctest.KerberosService{Keytab: keytab, Realm: "CONTOSO.COM"}})
		ep := Endpoint{Host: "fe01.contoso.com", Auth: AuthKerberos, TLS: TLSConfig{RootCAs: d.CertPool()},
			PlainHTTP: tc.plain, Dial: d.DialContext, OperationTimeout: time.Second,
			Credentials: Credentials{Username: `CONTOSO\lyncadmin`, Password: "Krb-Passw0rd-1"},
			Kerberos:    &Kerberos{Realm: "CONTOSO.COM", ConfigPath: kdc.Krb5Conf}}
		w := testRunner(t, ep)
		c := lync.NewClient(w, lync.ClientOptions{})
		for range 2 { // the second call reuses the session and its connections
			if _, err := c.Sites.List(t.Context()); err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
		}
		if err := w.Close(); err != nil { // no long poll runs on
			t.Fatal(err)
		}
		cnt := d.Host("fe01.contoso.com").Counters()
		a := cnt.Auth
		switch {
		case cnt.Unauthorized != 0 || a.NTLM != 0 || a.SealFailures != 0 || a.Unencrypted != 0:
			t.Fatalf("%s: %d 401s, %+v", tc.name, cnt.Unauthorized, a)
		case !tc.plain && (a.Kerberos != cnt.Total() || a.Sealed != 0):
			t.Fatalf("%s: %d requests, %+v: want one AP-REQ each, nothing sealed", tc.name, cnt.Total(), a)
		case tc.plain && (a.Sealed != cnt.Total() || a.Kerberos < 1 || a.Kerberos > 4 || int64(a.Kerberos) != w.p.pool.handshakes.Load()):
			t.Fatalf("%s: %d requests, %+v, %d client logins: want all sealed, one login per connection", tc.name, cnt.Total(), a, w.p.pool.handshakes.Load())
		}
		if tc.plain {
			continue
		}
		ep.Credentials.Password = "Wr0ng-Krb-Passw0rd"
		_, err := testRunner(t, ep).Run(t.Context(), "Get-CsSite")
		var te *lync.TransportError
		if !errors.As(err, &te) || strings.Contains(err.Error(), "Wr0ng") {
			t.Fatalf("wrong password: err = %v", err)
		}
		// The closed runner's last Receive long poll may reach the host
		// after Close returned (Close cancels it; it was already on the
		// wire): a Receive counted late is not the new runner's, whose
		// first request would be a Create.
		after := d.Host("fe01.contoso.com").Counters()
		n := after.Total() - (after.Requests[lynctest.ActionReceive] - cnt.Requests[lynctest.ActionReceive])
		if n != cnt.Total() || after.Unauthorized != cnt.Unauthorized {
			t.Fatalf("wrong password: %d WS-Man requests sent, %d 401s", n-cnt.Total(), after.Unauthorized-cnt.Unauthorized)
		}
	}
}
