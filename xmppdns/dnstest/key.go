package dnstest

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"

	"github.com/miekg/dns"
)

// Key is a TSIG key a Server accepts for UPDATE and zone transfer. Its
// Secret never appears when the Key is printed, logged or marshalled.
type Key struct {
	Name      string // key name, e.g. "xmpp-update." (trailing dot optional)
	Algorithm string // dns.HmacSHA256, dns.HmacSHA384 or dns.HmacSHA512 (trailing dot optional)
	Secret    string // base64 of the shared secret
}

// NewKey returns a key with a random 32-byte secret.
func NewKey(name, algorithm string) (Key, error) {
	k := Key{Name: name, Algorithm: algorithm}
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return Key{}, fmt.Errorf("dnstest: generating a TSIG secret: %w", err)
	}
	k.Secret = base64.StdEncoding.EncodeToString(b)
	return k, k.check()
}

// check validates the key and reports the first problem.
func (k Key) check() error {
	if _, ok := dns.IsDomainName(k.Name); !ok || strings.Trim(k.Name, ".") == "" {
		return fmt.Errorf("dnstest: bad TSIG key name %q", k.Name)
	}
	switch dns.CanonicalName(k.Algorithm) {
	case dns.HmacSHA256, dns.HmacSHA384, dns.HmacSHA512:
	default:
		return fmt.Errorf("dnstest: TSIG key %s: unsupported algorithm %q", k.Name, k.Algorithm)
	}
	if b, err := base64.StdEncoding.DecodeString(k.Secret); err != nil || len(b) == 0 {
		return fmt.Errorf("dnstest: TSIG key %s: the secret is not base64", k.Name)
	}
	return nil
}

// String returns the key's name and algorithm; the secret is redacted.
func (k Key) String() string {
	return fmt.Sprintf("Key{Name:%s Algorithm:%s Secret:REDACTED}", k.Name, k.Algorithm)
}

// GoString is String, so that %#v does not print the secret either.
func (k Key) GoString() string { return k.String() }

// Format prints String for every verb, so no verb shows the secret.
func (k Key) Format(f fmt.State, _ rune) { fmt.Fprint(f, k.String()) }

// LogValue returns the key for log/slog without its secret.
func (k Key) LogValue() slog.Value {
	return slog.GroupValue(slog.String("name", k.Name), slog.String("algorithm", k.Algorithm), slog.String("secret", "REDACTED"))
}

// MarshalJSON encodes the key with its secret redacted.
func (k Key) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct{ Name, Algorithm, Secret string }{k.Name, k.Algorithm, "REDACTED"})
}
