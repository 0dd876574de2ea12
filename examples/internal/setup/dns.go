package setup

import (
	"context"
	"encoding/base64"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"strings"

	"github.com/xmppfed/edgefailover/xmppdns"
	"github.com/xmppfed/edgefailover/xmppdns/rfc2136"
)

// DNSProvider is a DNS provider in a config file (a member of
// "dns_providers"). Type "rfc2136" is built in: RFC 2136 dynamic update
// signed with TSIG ("auth": "tsig", an HMAC key) or GSS-TSIG ("auth":
// "gss-tsig", Kerberos: what AD-integrated Windows DNS requires). Any other
// type must be registered in the program's Registry (see Registry). Secrets
// come from the environment variables the members name, or a prompt, never
// from the file.
type DNSProvider struct {
	Type string `json:"type"` // "rfc2136", or a type registered in the program's Registry
	// Name replaces the provider's package name in the dry run's
	// guarantees line ("cloudflare (account 2)").
	Name string `json:"name,omitempty"`

	Server    string    `json:"server,omitempty"`    // rfc2136: primary server, "host:port" or "host" (port 53)
	Net       string    `json:"net,omitempty"`       // rfc2136: "", "tcp" or "udp" (see rfc2136.Provider.Net)
	Auth      string    `json:"auth,omitempty"`      // rfc2136: "tsig" (default) or "gss-tsig"
	KeyName   string    `json:"key_name,omitempty"`  // tsig: key name, e.g. "xmpp-update."
	Algorithm string    `json:"algorithm,omitempty"` // tsig: hmac-sha256 (default), hmac-sha384, hmac-sha512
	SecretEnv string    `json:"secret_env,omitempty"`
	Kerberos  *Kerberos `json:"kerberos,omitempty"` // gss-tsig: the client principal
	Timeout   Duration  `json:"timeout,omitempty"`  // per exchange; default rfc2136.DefaultTimeout

	// Settings are the members of a registered type, passed to its
	// constructor as they are in the file.
	Settings map[string]any `json:"settings,omitempty"`
}

// Kerberos is the client principal of "auth": "gss-tsig" (see
// rfc2136.Kerberos): exactly one of password_env, keytab or ccache.
type Kerberos struct {
	Realm       string `json:"realm"`                  // e.g. CONTOSO.COM
	Username    string `json:"username,omitempty"`     // principal without the realm, e.g. svc-xmppdns
	PasswordEnv string `json:"password_env,omitempty"` // variable holding its password
	Keytab      string `json:"keytab,omitempty"`       // or a keytab file
	CCache      string `json:"ccache,omitempty"`       // or a credential cache (kinit)
	KDC         string `json:"kdc,omitempty"`          // host[:88]; default: krb5_conf
	Krb5Conf    string `json:"krb5_conf,omitempty"`    // default /etc/krb5.conf
	SPN         string `json:"spn,omitempty"`          // default DNS/<server host>; set it when server is an address
}

// placeholder is a well-formed secret, to validate a provider's other
// fields before its real secret is asked for.
const placeholder = "cGxhY2Vob2xkZXI="

// Check validates the fields that need no secret, against reg (nil: the
// built-in types only).
func (p DNSProvider) Check(reg Registry) error {
	if p.Type != "rfc2136" {
		if _, ok := reg[p.Type]; !ok {
			return fmt.Errorf("type %q: use %s", p.Type, reg.known())
		}
		return nil
	}
	if p.Settings != nil {
		return fmt.Errorf("settings: only for registered types; rfc2136 takes its members directly")
	}
	if err := CheckServer(p.Server); err != nil {
		return fmt.Errorf("server: %v", err)
	}
	switch p.Auth {
	case "", "tsig":
		if p.Kerberos != nil {
			return fmt.Errorf(`kerberos: only with "auth": "gss-tsig"`)
		}
		if p.SecretEnv == "" {
			return fmt.Errorf("secret_env is required: the name of the environment variable holding the TSIG secret")
		}
	case "gss-tsig":
		if p.Kerberos == nil {
			return fmt.Errorf(`"auth": "gss-tsig" needs a kerberos member (realm, username, and one of password_env, keytab, ccache)`)
		}
		if p.KeyName != "" || p.Algorithm != "" || p.SecretEnv != "" {
			return fmt.Errorf(`key_name, algorithm and secret_env are for "auth": "tsig"; gss-tsig signs with Kerberos`)
		}
		if p.Kerberos.KDC != "" {
			if err := CheckServer(p.Kerberos.KDC); err != nil {
				return fmt.Errorf("kerberos.kdc: %v", err)
			}
		}
	default:
		return fmt.Errorf("auth %q: use tsig or gss-tsig", p.Auth)
	}
	if err := p.rfc2136(placeholder).Validate(); err != nil {
		return err
	}
	return nil
}

// rfc2136 returns the provider with secret as its TSIG secret or Kerberos
// password.
func (p DNSProvider) rfc2136(secret string) *rfc2136.Provider {
	rp := &rfc2136.Provider{Server: p.Server, Net: p.Net, Timeout: timeDuration(p.Timeout)}
	if k := p.Kerberos; k != nil && p.Auth == "gss-tsig" {
		rk := &rfc2136.Kerberos{Realm: k.Realm, Username: k.Username, Keytab: k.Keytab, CCache: k.CCache,
			KDC: k.KDC, Krb5Conf: k.Krb5Conf, SPN: k.SPN}
		if k.PasswordEnv != "" {
			rk.Password = rfc2136.Secret(secret)
		}
		rp.Kerberos = rk
		return rp
	}
	rp.KeyName, rp.Algorithm, rp.Secret = p.KeyName, p.Algorithm, rfc2136.Secret(secret)
	return rp
}

// Provider builds the provider, reading its secret through c, and the
// zone options that name it. A secret that is not what the provider takes
// (a TSIG secret that is not base64) is an error, before anything is sent.
func (p DNSProvider) Provider(ctx context.Context, c *Console, reg Registry) (xmppdns.Provider, xmppdns.ZoneOptions, error) {
	opts := xmppdns.ZoneOptions{ProviderName: p.Name}
	if err := p.Check(reg); err != nil {
		return nil, opts, err
	}
	if p.Type != "rfc2136" {
		prov, err := reg[p.Type](ctx, p.Settings, c)
		if err != nil {
			return nil, opts, fmt.Errorf("type %s: %w", p.Type, err)
		}
		return prov, opts, nil
	}
	env, what := p.SecretEnv, "TSIG secret of key "+p.KeyName
	if p.Auth == "gss-tsig" {
		env, what = p.Kerberos.PasswordEnv, "Kerberos password of "+p.Kerberos.Username+"@"+p.Kerberos.Realm
	}
	secret := ""
	if env != "" {
		s, err := c.Secret(ctx, env, what)
		if err != nil {
			return nil, opts, err
		}
		if p.Auth != "gss-tsig" {
			if b, err := base64.StdEncoding.DecodeString(s); err != nil || len(b) == 0 {
				return nil, opts, fmt.Errorf("%s (environment variable %s) is not base64, as in the key's secret \"...\"; line of named.conf", what, env)
			}
		}
		secret = s
	}
	rp := p.rfc2136(secret)
	if err := rp.Validate(); err != nil {
		return nil, opts, err
	}
	return rp, opts, nil
}

// CheckServer validates a server address: "host" or "host:port", the host
// an IP address or an FQDN, the port 1-65535.
func CheckServer(s string) error {
	host, port, err := net.SplitHostPort(s)
	if err != nil {
		host, port = strings.Trim(s, "[]"), ""
	}
	if host == "" {
		return fmt.Errorf("%q: a host is required", s)
	}
	if port != "" {
		if n, err := strconv.ParseUint(port, 10, 16); err != nil || n == 0 {
			return fmt.Errorf("%q: port must be 1 to 65535", s)
		}
	}
	if _, err := netip.ParseAddr(host); err == nil {
		return nil
	}
	if _, err := ParseHost(host); err != nil {
		return fmt.Errorf("%q: %v", s, err)
	}
	return nil
}

// CheckAddrPort validates an "ip:port" with a port of 1-65535 (resolvers,
// name-server overrides).
func CheckAddrPort(s string) error {
	ap, err := netip.ParseAddrPort(s)
	if err != nil {
		return fmt.Errorf("%q is not ip:port", s)
	}
	if ap.Port() == 0 {
		return fmt.Errorf("%q: port must be 1 to 65535", s)
	}
	return nil
}

// CheckNameservers validates name-server overrides: FQDN keys, "ip:port"
// values.
func CheckNameservers(ns map[string]string) error {
	for h, a := range ns {
		if _, err := ParseHost(h); err != nil {
			return fmt.Errorf("%q: %v", h, err)
		}
		if err := CheckAddrPort(a); err != nil {
			return fmt.Errorf("%s: %v", h, err)
		}
	}
	return nil
}
