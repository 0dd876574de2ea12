package rfc2136_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/xmppfed/edgefailover/xmppdns/rfc2136"
)

// Sign updates with GSS-TSIG as an AD account, for an AD-integrated zone
// on a domain controller addressed by IP (so the SPN is given). Printing
// the provider never shows the password; a configuration naming two
// credential sources is refused before anything is sent.
func ExampleKerberos() {
	p := &rfc2136.Provider{
		Server: "10.0.0.10:53",
		Kerberos: &rfc2136.Kerberos{
			Realm: "CONTOSO.COM", Username: "svc-xmppdns", Password: "from the vault",
			KDC: "dc1.contoso.com", SPN: "DNS/dc1.contoso.com",
		},
	}
	fmt.Println(p)

	p.Kerberos.Keytab = "/etc/xmppdns.keytab"
	_, err := p.GetRRset(context.Background(), "contoso.com.", "_xmpp-server._tcp", "SRV")
	fmt.Println(errors.Is(err, rfc2136.ErrInvalid), err)
	// Output:
	// rfc2136.Provider{Server:10.0.0.10:53 Net: Kerberos:rfc2136.Kerberos{Realm:CONTOSO.COM Username:svc-xmppdns Password:REDACTED Keytab: CCache: KDC:dc1.contoso.com Krb5Conf: SPN:DNS/dc1.contoso.com} Timeout:0s}
	// true rfc2136: invalid config "Kerberos": exactly one of Password, Keytab or CCache is required
}
