package winrm

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"net/netip"
	"time"

	"github.com/xmppfed/edgefailover/internal/dnsname"
)

// Default ports and timeouts of an Endpoint.
const (
	DefaultHTTPSPort        = 5986
	DefaultHTTPPort         = 5985
	DefaultOperationTimeout = 60 * time.Second
	// DefaultTimeoutMargin is added to OperationTimeout for the default HTTP
	// request Timeout, so that a long poll is never cut by the client.
	DefaultTimeoutMargin = 30 * time.Second
)

// Endpoint says how to reach the WinRM service of one Windows host. The zero
// values of its fields give HTTPS on 5986 with the certificate verified
// against the system roots and Basic authentication (which Windows allows
// for local accounts only, and only once enabled).
//
// The combinations a Windows host accepts in its default configuration
// (winrm quickconfig: an HTTP listener on 5985, Basic off,
// AllowUnencrypted off) and with an HTTPS listener added:
//
//	listener      Auth             accounts        on the wire
//	HTTP 5985     AuthNTLM         domain, local   every message sealed with the NTLM session key (MS-WSMV 2.2.9.1)
//	HTTP 5985     AuthKerberos     domain          every message sealed with the AP-REP's subkey (RFC 4121 Wrap, AES only)
//	HTTPS 5986    AuthNTLM         domain, local   TLS
//	HTTPS 5986    AuthKerberos     domain          TLS (domain members only: not workgroup Edge servers)
//	HTTPS 5986    AuthBasic        local only      TLS (Basic must be enabled on the host)
//	HTTPS 5986    AuthCertificate  mapped local    TLS
//
// Over plain HTTP, AuthNTLM and AuthKerberos always encrypt (Kerberos
// needs an AES session key: an RC4-HMAC or DES3 one fails with
// ErrKerberosEtype); AuthBasic would send the password and scripts in
// clear, so it is refused unless AllowUnencrypted is set, which works only
// against a host whose AllowUnencrypted is true as well: an explicit opt-in
// for labs. A Basic credential with a domain is refused
// (ErrBasicDomainAccount).
type Endpoint struct {
	Host string // FQDN (or IP literal) of the host; required
	Port int    // default 5986, or 5985 with PlainHTTP

	// PlainHTTP selects http:// (port 5985), the only listener of a
	// default Windows host. With AuthNTLM and AuthKerberos every message
	// is encrypted.
	PlainHTTP bool
	// AllowUnencrypted lets AuthBasic run over plain HTTP, in clear: the
	// password, scripts and their output are readable on the network.
	// Never for production hosts; the host must have
	// AllowUnencrypted=true too. AuthNTLM and AuthKerberos ignore it
	// (they encrypt, which a host that allows unencrypted traffic accepts
	// as well).
	AllowUnencrypted bool

	TLS TLSConfig // HTTPS settings; ignored with PlainHTTP

	Auth        AuthMethod  // default AuthBasic
	Credentials Credentials // for AuthBasic, AuthNTLM, and AuthKerberos without a CCache
	Kerberos    *Kerberos   // required with AuthKerberos

	// Dial, if set, opens every connection (jump hosts; tests mapping FQDNs
	// to loopback ports). addr is "host:port" of the endpoint.
	Dial func(ctx context.Context, network, addr string) (net.Conn, error)

	// OperationTimeout is the WS-Management OperationTimeout sent with every
	// request: how long the host holds a Receive long poll. Default 60s.
	OperationTimeout time.Duration
	// Timeout bounds each HTTP request; it must exceed OperationTimeout.
	// Default OperationTimeout + 30s.
	Timeout time.Duration
}

// TLSConfig holds the HTTPS settings of an Endpoint.
type TLSConfig struct {
	RootCAs    *x509.CertPool // nil: the system roots
	ServerName string         // name checked in the certificate; default Host
	// InsecureSkipVerify turns certificate verification off. Only for labs.
	InsecureSkipVerify bool
	// ClientCertificate is presented to the host; required with AuthCertificate.
	ClientCertificate *tls.Certificate
}

// AuthMethod selects how the client authenticates to WinRM.
type AuthMethod int

// Authentication methods.
const (
	AuthBasic       AuthMethod = iota // HTTP Basic (local accounts only, HTTPS)
	AuthNTLM                          // NTLM (Negotiate); message encryption over HTTP
	AuthKerberos                      // Kerberos (Negotiate), see Kerberos; message encryption over HTTP
	AuthCertificate                   // TLS client certificate mapped on the host
)

// String returns the name of the method.
func (m AuthMethod) String() string {
	switch m {
	case AuthBasic:
		return "basic"
	case AuthNTLM:
		return "ntlm"
	case AuthKerberos:
		return "kerberos"
	case AuthCertificate:
		return "certificate"
	}
	return fmt.Sprintf("AuthMethod(%d)", int(m))
}

// scheme is the HTTP authentication scheme of m, as WWW-Authenticate names
// it.
func (m AuthMethod) scheme() string {
	switch m {
	case AuthBasic:
		return "Basic"
	case AuthNTLM:
		return "Negotiate"
	case AuthKerberos:
		return "Negotiate"
	}
	return ""
}

// Kerberos holds the settings of AuthKerberos (the fields of
// winrm.NewClientKerberos). The password, when no CCache is given, comes
// from Endpoint.Credentials.
type Kerberos struct {
	Realm      string // e.g. CONTOSO.COM
	ConfigPath string // krb5.conf; required
	CCachePath string // credential cache; empty: log in with Credentials
	SPN        string // default "HTTP/<Host>"
}

// withDefaults validates e and fills in the defaults.
func (e Endpoint) withDefaults() (Endpoint, error) {
	if _, err := netip.ParseAddr(e.Host); err != nil {
		h, err := dnsname.ParseFQDN(e.Host)
		if err != nil {
			return e, inputError("host", e.Host, "not an FQDN or IP address", err)
		}
		e.Host = h
	}
	if e.Port == 0 {
		e.Port = DefaultHTTPSPort
		if e.PlainHTTP {
			e.Port = DefaultHTTPPort
		}
	}
	if e.Port < 1 || e.Port > 65535 {
		return e, inputError("port", fmt.Sprint(e.Port), "out of range 1-65535", nil)
	}
	if e.OperationTimeout == 0 {
		e.OperationTimeout = DefaultOperationTimeout
	}
	if e.OperationTimeout < 100*time.Millisecond {
		return e, inputError("OperationTimeout", e.OperationTimeout.String(), "below 100ms", nil)
	}
	if e.Timeout == 0 {
		e.Timeout = e.OperationTimeout + DefaultTimeoutMargin
	}
	if e.Timeout <= e.OperationTimeout {
		return e, inputError("Timeout", e.Timeout.String(), "must exceed OperationTimeout", nil)
	}
	switch e.Auth {
	case AuthBasic:
		if e.PlainHTTP && !e.AllowUnencrypted {
			return e, inputError("Auth", e.Auth.String(),
				"Basic sends the password in clear over plain HTTP: use HTTPS, or AuthNTLM (encrypted), or set AllowUnencrypted (labs only)", nil)
		}
		if e.Credentials.Username == "" {
			return e, inputError("Credentials", "", "user name required", nil)
		}
		if _, dom := splitAccount(e.Credentials.Username); dom != "" && dom != "." {
			return e, inputError("Credentials", e.Credentials.Username,
				"Windows WinRM authenticates only local accounts with Basic, and this names a domain: use AuthNTLM or AuthKerberos for a domain account",
				ErrBasicDomainAccount)
		}
	case AuthNTLM:
		if e.Credentials.Username == "" {
			return e, inputError("Credentials", "", "user name required", nil)
		}
	case AuthKerberos:
		if e.Kerberos == nil || e.Kerberos.ConfigPath == "" || e.Kerberos.Realm == "" {
			return e, inputError("Kerberos", "", "Realm and ConfigPath required", nil)
		}
	case AuthCertificate:
		if e.PlainHTTP || e.TLS.ClientCertificate == nil {
			return e, inputError("Auth", e.Auth.String(), "needs HTTPS and TLS.ClientCertificate", nil)
		}
	default:
		return e, inputError("Auth", e.Auth.String(), "unknown method", nil)
	}
	return e, nil
}

func (e Endpoint) url() string {
	scheme := "https"
	if e.PlainHTTP {
		scheme = "http"
	}
	return fmt.Sprintf("%s://%s/wsman", scheme, net.JoinHostPort(e.Host, fmt.Sprint(e.Port)))
}

// wsmanDuration renders d as an xs:duration such as "PT60S" or "PT1.5S".
func wsmanDuration(d time.Duration) string {
	ms := d.Milliseconds()
	if ms%1000 == 0 {
		return fmt.Sprintf("PT%dS", ms/1000)
	}
	return fmt.Sprintf("PT%d.%03dS", ms/1000, ms%1000)
}
