package winrm

import (
	"fmt"
	"log/slog"
	"strings"
)

// Password is a secret that never prints itself: String, GoString, Format,
// LogValue and MarshalJSON all give "[REDACTED]" (or "" when empty), so a
// Credentials or Endpoint value can be logged or printed with %v safely.
type Password string

const redacted = "[REDACTED]"

func (p Password) show() string {
	if p == "" {
		return ""
	}
	return redacted
}

// String returns "[REDACTED]", or "" for an empty password.
func (p Password) String() string { return p.show() }

// GoString returns the redacted form, quoted.
func (p Password) GoString() string { return fmt.Sprintf("%q", p.show()) }

// Format prints the redacted form for every verb.
func (p Password) Format(f fmt.State, verb rune) {
	if verb == 'q' || (verb == 'v' && f.Flag('#')) {
		fmt.Fprintf(f, "%q", p.show())
		return
	}
	fmt.Fprint(f, p.show())
}

// LogValue gives slog the redacted form.
func (p Password) LogValue() slog.Value { return slog.StringValue(p.show()) }

// MarshalJSON writes the redacted form.
func (p Password) MarshalJSON() ([]byte, error) { return fmt.Appendf(nil, "%q", p.show()), nil }

// MarshalText writes the redacted form (encoding/xml, YAML and TOML encoders).
func (p Password) MarshalText() ([]byte, error) { return []byte(p.show()), nil }

// Credentials are a user name and password for Basic, NTLM or Kerberos
// authentication. Username may be "DOMAIN\user" or "user@domain" (a domain
// account: NTLM or Kerberos), "HOST\user" (a local account of HOST, the
// host's NetBIOS name: NTLM; see LocalCredentials) or "user" (a local
// account: Basic or NTLM). Edge servers are usually not in the domain, so
// each has its own local account: give each Endpoint its own Credentials.
type Credentials struct {
	Username string
	Password Password
}

// LogValue logs the user name only.
func (c Credentials) LogValue() slog.Value {
	return slog.GroupValue(slog.String("username", c.Username), slog.String("password", c.Password.show()))
}

// LocalCredentials are the credentials of the local account user of host:
// "HOST\user", HOST being the host's NetBIOS name (the first label of its
// FQDN, upper-cased, at most 15 characters), the form NTLM needs to name a
// local account. Basic takes the bare user name instead.
func LocalCredentials(host, user string, password Password) Credentials {
	name, _, _ := strings.Cut(host, ".")
	name = strings.ToUpper(name)
	if len(name) > 15 {
		name = name[:15]
	}
	return Credentials{Username: name + `\` + user, Password: password}
}
