package rfc2136

import (
	"fmt"
	"log/slog"
	"net"
	"strings"
	"sync"

	"github.com/jcmturner/gokrb5/v8/client"
	krb5config "github.com/jcmturner/gokrb5/v8/config"
	"github.com/jcmturner/gokrb5/v8/credentials"
	"github.com/jcmturner/gokrb5/v8/keytab"
)

// DefaultKrb5Conf is the Kerberos configuration file read when
// Kerberos.KDC and Kerberos.Krb5Conf are empty.
const DefaultKrb5Conf = "/etc/krb5.conf"

// Kerberos makes a Provider sign with GSS-TSIG (RFC 3645) instead of an
// HMAC key: the secure dynamic updates that AD-integrated Windows DNS zones
// require, and BIND's tkey-gssapi-keytab. Credentials come from exactly one
// of Password, Keytab or CCache. The security context negotiated with the
// server (one TKEY exchange) is kept and reused by every call until it
// expires; a Kerberos value holds that state, so it must not be copied
// after first use (share it by pointer). Nothing is read from the
// environment (no KRB5CCNAME or KRB5_CONFIG): paths are given here.
type Kerberos struct {
	// Realm is the Kerberos realm, e.g. "CONTOSO.COM" (upper case in AD).
	Realm string `json:"realm"`
	// Username is the client principal without the realm, e.g.
	// "svc-xmppdns" (an AD user or computer account: "HOST1$"). With CCache
	// it may be empty: the cache's principal is used.
	Username string `json:"username,omitempty"`
	// Password authenticates Username. It is redacted when printed.
	Password Secret `json:"password,omitempty"`
	// Keytab is the path of a keytab holding Username's keys.
	Keytab string `json:"keytab,omitempty"`
	// CCache is the path of a credential cache (kinit's, "FILE:" prefix
	// optional) holding a valid ticket-granting ticket.
	CCache string `json:"ccache,omitempty"`
	// KDC is the KDC's "host:port" (port 88 if absent). When set, no
	// configuration file is read. When empty, Krb5Conf is.
	KDC string `json:"kdc,omitempty"`
	// Krb5Conf is the path of a krb5.conf naming the realm's KDCs (default
	// DefaultKrb5Conf); ignored when KDC is set.
	Krb5Conf string `json:"krb5_conf,omitempty"`
	// SPN is the server's service principal, default "DNS/<host>" where
	// <host> is the host part of Provider.Server. Set it when Server is an
	// address: AD registers DNS/<dc fqdn>, never DNS/<ip>.
	SPN string `json:"spn,omitempty"`

	mu       sync.Mutex
	cl       *client.Client
	sessions map[string]*gssContext   // by gssKey
	pending  map[string]chan struct{} // by gssKey: a negotiation under way, closed when it ends
	stats    gssStats
}

// String describes the configuration without the password.
func (k *Kerberos) String() string {
	if k == nil {
		return "<nil>"
	}
	return fmt.Sprintf("rfc2136.Kerberos{Realm:%s Username:%s Password:%s Keytab:%s CCache:%s KDC:%s Krb5Conf:%s SPN:%s}",
		k.Realm, k.Username, redacted(k.Password), k.Keytab, k.CCache, k.KDC, k.Krb5Conf, k.SPN)
}

// Format prints String for every verb.
func (k *Kerberos) Format(f fmt.State, _ rune) { fmt.Fprint(f, k.String()) }

// LogValue describes the configuration for log/slog without the password.
func (k *Kerberos) LogValue() slog.Value {
	if k == nil {
		return slog.StringValue("<nil>")
	}
	return slog.GroupValue(slog.String("realm", k.Realm), slog.String("username", k.Username),
		slog.String("keytab", k.Keytab), slog.String("ccache", k.CCache), slog.String("kdc", k.KDC), slog.String("spn", k.SPN))
}

// redacted shows whether a secret is set, never its value.
func redacted(s Secret) string {
	if s == "" {
		return ""
	}
	return "REDACTED"
}

// check validates the configuration for a provider talking to server and
// returns the SPN to ask a ticket for.
func (k *Kerberos) check(server string) (string, error) {
	if k.Realm == "" || strings.ContainsAny(k.Realm, " \t\n@/") {
		return "", invalid("config", k.Realm, "Kerberos.Realm is required, without spaces, '@' or '/'")
	}
	n := 0
	for _, set := range []bool{k.Password != "", k.Keytab != "", k.CCache != ""} {
		if set {
			n++
		}
	}
	if n != 1 {
		return "", invalid("config", "Kerberos", "exactly one of Password, Keytab or CCache is required")
	}
	if k.Username == "" && k.CCache == "" {
		return "", invalid("config", "Kerberos.Username", "a username is required with a password or a keytab")
	}
	if strings.ContainsAny(k.Username, "@ \t\n") {
		return "", invalid("config", k.Username, "Kerberos.Username is the principal without the realm")
	}
	spn := k.SPN
	if spn == "" {
		host, _, _ := net.SplitHostPort(server)
		spn = "DNS/" + strings.TrimSuffix(host, ".")
	}
	if svc, host, ok := strings.Cut(spn, "/"); !ok || svc == "" || host == "" || strings.ContainsAny(spn, "@ \t\n") {
		return "", invalid("config", spn, `Kerberos.SPN must look like "DNS/ns1.contoso.com"`)
	}
	return spn, nil
}

// krb5Config returns the Kerberos configuration: a minimal one naming KDC,
// or the file Krb5Conf.
func (k *Kerberos) krb5Config() (*krb5config.Config, error) {
	if k.KDC == "" {
		path := k.Krb5Conf
		if path == "" {
			path = DefaultKrb5Conf
		}
		return krb5config.Load(path)
	}
	kdc := k.KDC
	if _, _, err := net.SplitHostPort(kdc); err != nil {
		kdc = net.JoinHostPort(strings.Trim(kdc, "[]"), "88")
	}
	// udp_preference_limit = 1: always TCP, so large AD tickets (PAC) are
	// never truncated.
	return krb5config.NewFromString(fmt.Sprintf(`[libdefaults]
 default_realm = %[1]s
 dns_lookup_kdc = false
 dns_lookup_realm = false
 udp_preference_limit = 1
 permitted_enctypes = aes256-cts-hmac-sha1-96 aes128-cts-hmac-sha1-96 aes256-cts-hmac-sha384-192 aes128-cts-hmac-sha256-128
 default_tkt_enctypes = aes256-cts-hmac-sha1-96 aes128-cts-hmac-sha1-96 aes256-cts-hmac-sha384-192 aes128-cts-hmac-sha256-128
 default_tgs_enctypes = aes256-cts-hmac-sha1-96 aes128-cts-hmac-sha1-96 aes256-cts-hmac-sha384-192 aes128-cts-hmac-sha256-128
[realms]
 %[1]s = {
  kdc = %[2]s
 }
`, k.Realm, kdc))
}

// client returns a gokrb5 client for the configured credentials. It sends
// nothing; the first ticket request logs in.
func (k *Kerberos) client() (*client.Client, error) {
	cfg, err := k.krb5Config()
	if err != nil {
		return nil, fmt.Errorf("%w: krb5 configuration: %w", ErrKerberos, err)
	}
	// PA-FX-FAST off: AD and MIT accept the plain exchange, and gokrb5 does
	// not implement FAST armouring.
	settings := []func(*client.Settings){client.DisablePAFXFAST(true)}
	switch {
	case k.Password != "":
		return client.NewWithPassword(k.Username, k.Realm, string(k.Password), cfg, settings...), nil
	case k.Keytab != "":
		kt, err := keytab.Load(k.Keytab)
		if err != nil {
			return nil, fmt.Errorf("%w: keytab %s: %w", ErrKerberos, k.Keytab, err)
		}
		return client.NewWithKeytab(k.Username, k.Realm, kt, cfg, settings...), nil
	default:
		path := strings.TrimPrefix(k.CCache, "FILE:")
		cc, err := credentials.LoadCCache(path)
		if err != nil {
			return nil, fmt.Errorf("%w: credential cache %s: %w", ErrKerberos, path, err)
		}
		cl, err := client.NewFromCCache(cc, cfg, settings...)
		if err != nil {
			return nil, fmt.Errorf("%w: credential cache %s: %w", ErrKerberos, path, err)
		}
		return cl, nil
	}
}
