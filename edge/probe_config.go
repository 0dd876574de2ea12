package edge

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"net/netip"
	"strconv"
	"time"

	"github.com/xmppfed/edgefailover/internal/dnsname"
)

// DialFunc opens a connection, like net.Dialer.DialContext. It must honour
// ctx. Network is always "tcp".
type DialFunc func(ctx context.Context, network, addr string) (net.Conn, error)

// ProbeConfig says how to probe. To and From are required; the other fields
// have defaults.
type ProbeConfig struct {
	// To is the XMPP domain asked for in the stream header, e.g.
	// "contoso.com" (internationalized names in their A-label form). It is also the name the certificate must cover and the
	// TLS server name (SNI).
	To string
	// From is the domain the probe claims to come from, e.g.
	// "probe.example". RFC 6120 servers refuse s2s streams without it.
	From string
	// StartTLS continues with STARTTLS after the features, reports the TLS
	// session and certificate chain, and restarts the stream over TLS to read
	// the features offered there (SASL mechanisms).
	StartTLS bool
	// TLSConfig is cloned and used for STARTTLS. Its RootCAs (nil: the system
	// roots) and Time are used to verify the chain, which is reported as data;
	// the handshake itself never fails on verification. ServerName defaults to
	// To. Nil: an empty config.
	TLSConfig *tls.Config
	// Dial opens the TCP connection. Default: a net.Dialer.
	Dial DialFunc
	// Timeout bounds the whole probe, dial included. Default: 10s.
	Timeout time.Duration
	// Limits bound what is read from the peer. Zero fields take defaults.
	Limits Limits
}

// Limits bound the XML read from a peer for one stream.
type Limits struct {
	MaxBytes    int64 // bytes read per stream; default 64 KiB
	MaxDepth    int   // element nesting, the stream element included; default 16
	MaxTokens   int   // XML tokens per stream; default 2048
	MaxValueLen int   // length of an attribute value or kept text; default 1024
}

// Defaults of ProbeConfig and Limits.
const (
	DefaultProbeTimeout = 10 * time.Second
	DefaultMaxBytes     = 64 << 10
	DefaultMaxDepth     = 16
	DefaultMaxTokens    = 2048
	DefaultMaxValueLen  = 1024
)

func (l Limits) withDefaults() Limits {
	if l.MaxBytes <= 0 {
		l.MaxBytes = DefaultMaxBytes
	}
	if l.MaxDepth <= 0 {
		l.MaxDepth = DefaultMaxDepth
	}
	if l.MaxTokens <= 0 {
		l.MaxTokens = DefaultMaxTokens
	}
	if l.MaxValueLen <= 0 {
		l.MaxValueLen = DefaultMaxValueLen
	}
	return l
}

// normalized validates c and fills in defaults. To and From come back in
// lower case without a trailing dot.
func (c ProbeConfig) normalized() (ProbeConfig, error) {
	to, err := dnsname.ParseFQDN(c.To)
	if err != nil {
		return c, inputError("ProbeConfig.To", c.To, err)
	}
	from, err := dnsname.ParseFQDN(c.From)
	if err != nil {
		return c, inputError("ProbeConfig.From", c.From, err)
	}
	if c.Timeout < 0 {
		return c, inputError("ProbeConfig.Timeout", c.Timeout.String(), errors.New("negative"))
	}
	c.To, c.From = to, from
	if c.Timeout == 0 {
		c.Timeout = DefaultProbeTimeout
	}
	if c.Dial == nil {
		var d net.Dialer
		c.Dial = d.DialContext
	}
	c.Limits = c.Limits.withDefaults()
	return c, nil
}

// checkAddr validates a host:port: the host an IP address or a fully
// qualified name, the port 1-65535.
func checkAddr(addr string) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return inputError("addr", addr, err)
	}
	p, err := strconv.ParseUint(port, 10, 16)
	if err != nil || p == 0 {
		return inputError("addr", addr, errors.New("port must be a number from 1 to 65535"))
	}
	if _, err := netip.ParseAddr(host); err == nil {
		return nil
	}
	if _, err := dnsname.ParseFQDN(host); err != nil {
		return inputError("addr", addr, err)
	}
	return nil
}
