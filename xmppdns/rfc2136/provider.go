package rfc2136

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"time"

	"github.com/libdns/libdns"
	"github.com/miekg/dns"
)

// DefaultTimeout bounds one exchange with the server when Provider.Timeout
// is zero.
const DefaultTimeout = 5 * time.Second

// Provider reads and writes the records of zones on one DNS server through
// direct queries and RFC 2136 dynamic updates signed with TSIG: an HMAC key
// (KeyName, Algorithm, Secret) or GSS-TSIG (Kerberos). Its zero value is not
// usable: Server and either KeyName and Secret or Kerberos are required. A
// Provider is safe for concurrent use; its fields must not change while it
// is in use.
type Provider struct {
	// Server is the primary server's address, "host:port" or "host" (port 53).
	Server string `json:"server"`
	// Net selects the transport. "" (default): queries over UDP, retried over
	// TCP when the answer is truncated, updates and transfers over TCP.
	// "tcp": everything over TCP. "udp": updates over UDP too, unless they
	// exceed 512 octets.
	Net string `json:"net,omitempty"`
	// KeyName is the TSIG key's name, e.g. "xmpp-update." (trailing dot optional).
	KeyName string `json:"key_name"`
	// Algorithm is "hmac-sha256" (default), "hmac-sha384" or "hmac-sha512".
	Algorithm string `json:"algorithm,omitempty"`
	// Secret is the TSIG key's base64 secret. It is redacted when printed.
	Secret Secret `json:"secret"`
	// Timeout bounds each exchange (default DefaultTimeout); a context
	// deadline that comes sooner wins.
	Timeout time.Duration `json:"timeout,omitempty"`
	// Kerberos, when set, signs with GSS-TSIG (RFC 3645) instead of an HMAC
	// key; KeyName, Algorithm and Secret must then be empty. Share one
	// Kerberos value among providers of one server to negotiate once.
	Kerberos *Kerberos `json:"kerberos,omitempty"`
}

// Compile-time checks: Provider is a libdns provider.
var (
	_ libdns.RecordGetter   = (*Provider)(nil)
	_ libdns.RecordSetter   = (*Provider)(nil)
	_ libdns.RecordAppender = (*Provider)(nil)
	_ libdns.RecordDeleter  = (*Provider)(nil)
)

// Secret is a secret: a TSIG key's base64 secret or a Kerberos password. It
// prints as "REDACTED" in every format, log record and JSON document.
type Secret string

// String returns "REDACTED".
func (Secret) String() string { return "REDACTED" }

// GoString returns "REDACTED".
func (Secret) GoString() string { return "REDACTED" }

// Format prints "REDACTED" for every verb.
func (Secret) Format(f fmt.State, _ rune) { fmt.Fprint(f, "REDACTED") }

// LogValue returns "REDACTED".
func (Secret) LogValue() slog.Value { return slog.StringValue("REDACTED") }

// MarshalJSON encodes "REDACTED".
func (Secret) MarshalJSON() ([]byte, error) { return json.Marshal("REDACTED") }

// String describes the provider without its secret.
func (p *Provider) String() string {
	if p.Kerberos != nil {
		return fmt.Sprintf("rfc2136.Provider{Server:%s Net:%s Kerberos:%s Timeout:%s}", p.Server, p.Net, p.Kerberos, p.Timeout)
	}
	return fmt.Sprintf("rfc2136.Provider{Server:%s Net:%s KeyName:%s Algorithm:%s Secret:REDACTED Timeout:%s}",
		p.Server, p.Net, p.KeyName, p.Algorithm, p.Timeout)
}

// Format prints String for every verb, so that %+v and %#v do not show the
// secret either.
func (p *Provider) Format(f fmt.State, _ rune) { fmt.Fprint(f, p.String()) }

// LogValue describes the provider for log/slog without its secret.
func (p *Provider) LogValue() slog.Value {
	if p.Kerberos != nil {
		return slog.GroupValue(slog.String("server", p.Server), slog.String("net", p.Net), slog.Any("kerberos", p.Kerberos))
	}
	return slog.GroupValue(slog.String("server", p.Server), slog.String("net", p.Net),
		slog.String("key_name", p.KeyName), slog.String("algorithm", p.Algorithm))
}

// Validate checks the provider's fields as every call does, without sending
// anything, so that a program can refuse a bad configuration before its dry
// run. Errors match ErrInvalid.
func (p *Provider) Validate() error {
	_, err := p.config()
	return err
}

// config is a validated copy of the provider's settings.
type config struct {
	server, net, key, alg, secret string
	timeout                       time.Duration
	krb                           *Kerberos // GSS-TSIG instead of key, alg and secret
	spn                           string    // with krb: the server's principal
}

// begin validates the provider's fields and the zone of a call.
func (p *Provider) begin(zone string) (config, string, error) {
	c, err := p.config()
	if err != nil {
		return c, "", err
	}
	z, err := parseZone(zone)
	return c, z, err
}

// config validates the provider's fields.
func (p *Provider) config() (config, error) {
	c := config{server: p.Server, net: p.Net, timeout: p.Timeout, secret: string(p.Secret)}
	if c.server == "" {
		return c, invalid("config", "Server", "the server address is required")
	}
	if _, _, err := net.SplitHostPort(c.server); err != nil {
		c.server = net.JoinHostPort(strings.Trim(c.server, "[]"), "53")
	}
	switch c.net {
	case "", "tcp", "udp":
	default:
		return c, invalid("config", c.net, `Net must be "", "tcp" or "udp"`)
	}
	if c.timeout <= 0 {
		c.timeout = DefaultTimeout
	}
	if p.Kerberos != nil {
		if p.KeyName != "" || p.Algorithm != "" || p.Secret != "" {
			return c, invalid("config", "Kerberos", "KeyName, Algorithm and Secret must be empty with Kerberos (GSS-TSIG)")
		}
		spn, err := p.Kerberos.check(c.server)
		if err != nil {
			return c, err
		}
		c.krb, c.spn = p.Kerberos, spn
		return c, nil
	}
	if _, ok := dns.IsDomainName(p.KeyName); !ok || strings.Trim(p.KeyName, ".") == "" {
		return c, invalid("config", p.KeyName, "KeyName must be a domain name")
	}
	c.key = dns.CanonicalName(p.KeyName)
	switch a := strings.TrimSuffix(strings.ToLower(p.Algorithm), "."); a {
	case "", "hmac-sha256":
		c.alg = dns.HmacSHA256
	case "hmac-sha384":
		c.alg = dns.HmacSHA384
	case "hmac-sha512":
		c.alg = dns.HmacSHA512
	default:
		return c, invalid("config", p.Algorithm, "Algorithm must be hmac-sha256, hmac-sha384 or hmac-sha512")
	}
	if b, err := base64.StdEncoding.DecodeString(c.secret); err != nil || len(b) == 0 {
		return c, invalid("config", "Secret", "the secret must be non-empty base64")
	}
	return c, nil
}
