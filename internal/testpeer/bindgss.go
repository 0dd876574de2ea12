package testpeer

import (
	"fmt"
	"testing"
)

// BINDKerberos is the GSS-TSIG side of a BIND started by StartBINDKerberos.
type BINDKerberos struct {
	SPN    string // the server's service principal, "DNS/ns1.<zone>"
	Keytab string // named's keytab (tkey-gssapi-keytab)
}

// StartBINDKerberos starts named as StartBIND does, but accepting updates
// signed with GSS-TSIG (RFC 3645) by the Kerberos principals granted
// (name@realm of kdc, e.g. "xmpp-update"), as well as with the HMAC key,
// through an update-policy:
//
//	tkey-gssapi-keytab "<dir>/DNS_ns1.<zone>.keytab";
//	update-policy { grant "xmpp-update." zonesub ANY; grant xmpp-update@EXAMPLE.TEST zonesub ANY; };
//
// It creates the service principal DNS/ns1.<zone> in kdc with its keytab.
// Transfers are allowed to the HMAC key and to loopback clients (a GSS-TSIG
// key has no name to allow in advance).
func StartBINDKerberos(t testing.TB, zone, zoneText string, kdc *KDC, grant ...string) (*BIND, BINDKerberos) {
	t.Helper()
	named := Require(t, "named", "bind9")
	b := newBIND(t, zone)
	spn := "DNS/ns1." + b.Zone[:len(b.Zone)-1]
	g := BINDKerberos{SPN: spn, Keytab: kdc.AddService(t, spn)}
	policy := fmt.Sprintf("grant %q zonesub ANY;", b.KeyName)
	for _, p := range grant {
		policy += fmt.Sprintf(" grant %s@%s zonesub ANY;", p, kdc.Realm)
	}
	b.access = fmt.Sprintf("update-policy { %s };\n\tallow-transfer { key %q; 127.0.0.1; };", policy, b.KeyName)
	b.options = fmt.Sprintf("\ttkey-gssapi-keytab %q;\n", g.Keytab)
	b.env = kdc.Env()
	return b.start(t, named, zoneText), g
}
