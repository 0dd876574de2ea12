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
// plain HTTP only where both sides allow unencrypted traffic (Kerberos wrap
// tokens are not built). A wrong password fails at the KDC, before any
// WS-Man request. Skips without krb5kdc unless EDGEFAILOVER_REQUIRE_PEERS=1.
func TestKerberosAgainstKDC(t *testing.T) {
	t.Parallel()
	kdc := testpeer.StartKDC(t, "CONTOSO.COM")
	kdc.AddUser(t, "lyncadmin", "Krb-Passw0rd-1")
	keytab := kdc.AddService(t, "HTTP/fe01.contoso.com")
	for _, allow := range []bool{false, true} {
		d := ntlmDeployment(t, lynctest.WinRMService{AllowUnencrypted: allow,
			Kerberos: &lynctest.KerberosService{Keytab: keytab, Realm: "CONTOSO.COM"}})
		ep := Endpoint{Host: "fe01.contoso.com", Auth: AuthKerberos, TLS: TLSConfig{RootCAs: d.CertPool()},
			PlainHTTP: allow, AllowUnencrypted: allow, Dial: d.DialContext, OperationTimeout: time.Second,
			Credentials: Credentials{Username: `CONTOSO\lyncadmin`, Password: "Krb-Passw0rd-1"},
			Kerberos:    &Kerberos{Realm: "CONTOSO.COM", ConfigPath: kdc.Krb5Conf}}
		w := testRunner(t, ep)
		if _, err := lync.NewClient(w, lync.ClientOptions{}).Sites.List(t.Context()); err != nil {
			t.Fatalf("plain HTTP %v: %v", allow, err)
		}
		if err := w.Close(); err != nil { // no long poll runs on
			t.Fatal(err)
		}
		cnt := d.Host("fe01.contoso.com").Counters()
		if cnt.Auth.Kerberos != cnt.Total() || cnt.Auth.NTLM != 0 || cnt.Unauthorized != 0 {
			t.Fatalf("plain HTTP %v: %d requests, %+v, %d 401s", allow, cnt.Total(), cnt.Auth, cnt.Unauthorized)
		}
		if allow {
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
