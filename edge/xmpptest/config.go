package xmpptest

import (
	"crypto/x509"
	"errors"
	"fmt"
	"strings"
	"time"
)

// TLSMode says whether a Server offers STARTTLS.
type TLSMode int

const (
	// TLSOffered offers <starttls/> without <required/> (the zero value).
	TLSOffered TLSMode = iota
	// TLSRequired offers <starttls/> with <required/>: the server answers any
	// other first element with a policy-violation stream error.
	TLSRequired
	// TLSNone offers no STARTTLS and answers <starttls/> with <failure/>.
	TLSNone
)

// Fault is a misbehaviour a Server shows on every new connection.
type Fault int

const (
	// FaultNone answers as a compliant RFC 6120 receiving server (the zero value).
	FaultNone Fault = iota
	// FaultNoFeatures answers like a pre-1.0 server: a stream header without a
	// version attribute and no <stream:features>.
	FaultNoFeatures
	// FaultSilence accepts the connection, reads, and never answers.
	FaultSilence
	// FaultReset reads the initial stream header and resets the connection
	// (TCP RST) without answering.
	FaultReset
	// FaultGarbage answers the stream header with bytes that are not XML.
	FaultGarbage
	// FaultSlowDrip sends the compliant answer one byte at a time, waiting
	// Config.DripDelay before each byte.
	FaultSlowDrip
	// FaultHostUnknown answers every stream, whatever its 'to', with a
	// host-unknown stream error (a stream to a domain missing from
	// Config.Domains gets it in any case).
	FaultHostUnknown
)

// String returns the fault's name, e.g. "silence".
func (f Fault) String() string {
	switch f {
	case FaultNone:
		return "none"
	case FaultNoFeatures:
		return "no-features"
	case FaultSilence:
		return "silence"
	case FaultReset:
		return "reset"
	case FaultGarbage:
		return "garbage"
	case FaultSlowDrip:
		return "slow-drip"
	case FaultHostUnknown:
		return "host-unknown"
	}
	return fmt.Sprintf("Fault(%d)", int(f))
}

// Config configures a Server. The zero value is not usable: Domains is required.
type Config struct {
	// Domains are the XMPP domains the server serves, e.g. "contoso.com". A
	// stream whose 'to' is not among them (case-insensitively) gets a
	// host-unknown stream error.
	Domains []string
	// CertNames are the DNS names of the generated certificate. Default:
	// Domains. Give other names to test a certificate that does not cover the
	// domain.
	CertNames []string
	// CertSRVNames and CertXmppAddrs add otherName entries to the
	// certificate's subjectAltName: SRV-IDs (RFC 4985 id-on-dnsSRV, e.g.
	// "_xmpp-server.contoso.com") and XmppAddrs (RFC 6120 id-on-xmppAddr,
	// e.g. "contoso.com"), which RFC 6125/7590 accept as proof of the XMPP
	// domain besides DNS names. Default: none.
	CertSRVNames, CertXmppAddrs []string
	// CertValidity is how long the generated certificates stay valid.
	// Default: 24 hours.
	CertValidity time.Duration
	// TLS says whether STARTTLS is offered, required or absent.
	TLS TLSMode
	// ClientCAs verify the certificate a peer presents in TLS: after TLS, SASL
	// EXTERNAL is offered only when that certificate verifies against them
	// and names the stream's 'from' (Prosody 0.12 offers no mechanism to a
	// peer whose certificate it cannot verify). Nil: EXTERNAL is never offered.
	ClientCAs *x509.CertPool
	// NoDialback leaves <dialback xmlns='urn:xmpp:features:dialback'/> out of
	// the features (it is offered by default, as Prosody does).
	NoDialback bool
	// Fault is the misbehaviour shown on new connections; change it later with
	// Server.SetFault.
	Fault Fault
	// DripDelay is the pause before each byte under FaultSlowDrip.
	// Default: 50ms.
	DripDelay time.Duration
	// IdleTimeout closes a connection that sends nothing for this long.
	// Default: 30s.
	IdleTimeout time.Duration
}

// ErrConfig is matched (errors.Is) by the errors NewServer returns for a bad
// Config.
var ErrConfig = errors.New("xmpptest: invalid config")

func (c Config) normalized() (Config, error) {
	if len(c.Domains) == 0 {
		return c, fmt.Errorf("%w: Domains is empty", ErrConfig)
	}
	for _, d := range c.Domains {
		if d == "" || strings.ContainsAny(d, " \t\r\n<>&'\"/") {
			return c, fmt.Errorf("%w: domain %q", ErrConfig, d)
		}
	}
	c.Domains = append([]string(nil), c.Domains...)
	if len(c.CertNames) == 0 {
		c.CertNames = c.Domains
	}
	c.CertNames = append([]string(nil), c.CertNames...)
	if c.CertValidity <= 0 {
		c.CertValidity = 24 * time.Hour
	}
	if c.DripDelay <= 0 {
		c.DripDelay = 50 * time.Millisecond
	}
	if c.IdleTimeout <= 0 {
		c.IdleTimeout = 30 * time.Second
	}
	if c.TLS < TLSOffered || c.TLS > TLSNone {
		return c, fmt.Errorf("%w: TLS mode %d", ErrConfig, c.TLS)
	}
	if c.Fault < FaultNone || c.Fault > FaultHostUnknown {
		return c, fmt.Errorf("%w: fault %d", ErrConfig, c.Fault)
	}
	return c, nil
}

func (c Config) serves(domain string) bool {
	for _, d := range c.Domains {
		if strings.EqualFold(strings.TrimSuffix(d, "."), strings.TrimSuffix(domain, ".")) {
			return true
		}
	}
	return false
}
