package winrm

import (
	"errors"
	"fmt"
	"strings"

	"github.com/xmppfed/edgefailover/lync"
)

// Errors of authentication and message encryption.
var (
	// ErrBasicDomainAccount: a Basic credential names a domain
	// ("DOMAIN\user" or "user@domain"). Windows' WinRM authenticates only
	// local accounts with Basic, so the endpoint is refused before anything
	// is sent (an *InputError that wraps it); use AuthNTLM or AuthKerberos
	// for a domain account, or "HOST\user" with AuthNTLM for a local one.
	ErrBasicDomainAccount = errors.New("lync: Basic authenticates local accounts only")
	// ErrEncryption: a message that should have come sealed with the
	// security context of its connection did not unseal (bad framing,
	// signature, sequence number or length), or did not come encrypted. The
	// connection is closed; nothing is ever resent in clear. It is also a
	// broken session (ErrSessionBroken): the next call logs in again.
	ErrEncryption = errors.New("lync: message encryption failed")
)

// SchemeError is a 401 answer that does not offer the authentication scheme
// the endpoint uses: the host's WinRM service has it turned off (Basic is
// off by default) or cannot do it (Kerberos on a workgroup server). It
// matches ErrUnauthorized.
type SchemeError struct {
	Scheme  string   // what the client tried: "Negotiate", "Basic", "Kerberos"
	Offered []string // the schemes of the host's WWW-Authenticate headers
}

// Error implements error.
func (e *SchemeError) Error() string {
	off := "none"
	if len(e.Offered) > 0 {
		off = strings.Join(e.Offered, ", ")
	}
	return fmt.Sprintf("lync: the host does not offer %s authentication (it offers: %s)", e.Scheme, off)
}

// Is reports whether target is lync.ErrUnauthorized.
func (e *SchemeError) Is(target error) bool { return target == lync.ErrUnauthorized }

// EncryptionError reports a message that failed message encryption: Op is
// "seal" (a request) or "unseal" (an answer). It matches ErrEncryption.
type EncryptionError struct {
	Op  string
	Err error
}

// Error implements error.
func (e *EncryptionError) Error() string {
	return fmt.Sprintf("lync: message encryption: %s: %v", e.Op, e.Err)
}

// Is reports whether target is ErrEncryption.
func (e *EncryptionError) Is(target error) bool { return target == ErrEncryption }

// Unwrap returns the cause.
func (e *EncryptionError) Unwrap() error { return e.Err }

// offeredSchemes returns the scheme names of WWW-Authenticate values
// ("Negotiate", "Basic", ...), without their tokens or parameters.
func offeredSchemes(values []string) []string {
	var out []string
	for _, v := range values {
		for _, part := range strings.Split(v, ",") {
			name, _, _ := strings.Cut(strings.TrimSpace(part), " ")
			if name != "" && !strings.Contains(name, "=") {
				out = append(out, name)
			}
		}
	}
	return out
}

// offers reports whether the WWW-Authenticate values offer scheme.
func offers(values []string, scheme string) bool {
	for _, s := range offeredSchemes(values) {
		if strings.EqualFold(s, scheme) {
			return true
		}
	}
	return false
}
