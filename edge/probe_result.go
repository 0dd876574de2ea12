package edge

import (
	"encoding/xml"
	"fmt"
	"time"
)

// ProbeResult is what a probe saw. Fields the probe did not reach stay zero
// or nil.
type ProbeResult struct {
	Addr string // the address probed (host:port)
	To   string // the XMPP domain asked for
	From string // the domain claimed

	// Connected reports whether the TCP connection was established.
	Connected bool
	// RemoteAddr is the address the connection reached, as the dialer's
	// connection reports it (conn.RemoteAddr): the IP a host name resolved
	// to, which tells which pool answered. Empty when not Connected.
	RemoteAddr string
	// DialError is why the connection failed (refused, unreachable, timed
	// out); nil when Connected.
	DialError error
	// RoundTrip holds the timings.
	RoundTrip RoundTrip
	// Stream is the peer's stream header; nil if none came.
	Stream *StreamHeader
	// Features are the stream features; nil if none came (a pre-1.0 peer
	// sends none, see StreamHeader.ExpectsFeatures).
	Features *Features
	// StreamError is the stream error the peer sent instead of features
	// (e.g. host-unknown for a domain it does not serve).
	StreamError *StreamError
	// TLS is the outcome of STARTTLS; nil unless ProbeConfig.StartTLS.
	TLS *TLSResult
	// Failure is what ended the probe early once connected, as a
	// *StageError: the peer closed, went silent, sent malformed XML, went over
	// a limit, refused STARTTLS, or failed the handshake. Nil when the probe
	// ran to its end (a stream error is an answer, not a failure).
	Failure error
}

// Answered reports whether the peer spoke XMPP: it sent a stream header and
// no stream error.
func (r *ProbeResult) Answered() bool {
	return r != nil && r.Stream != nil && r.StreamError == nil
}

// OK reports whether the probe found a working federation endpoint: the peer
// answered with features and, when STARTTLS was asked, completed the
// handshake with a certificate that covers the domain and verifies, and sent
// features over TLS.
func (r *ProbeResult) OK() bool { return r.Problem() == "" }

// Problem says, for people, why the probe found no working federation
// endpoint (the first thing to look at: the connection, the stream, its
// features, STARTTLS, the certificate chain, its names), or "" when OK.
func (r *ProbeResult) Problem() string {
	switch {
	case r == nil:
		return "no result"
	case !r.Connected && r.Stream == nil:
		return fmt.Sprintf("not connected: %v", r.DialError)
	case r.StreamError != nil:
		return "stream error " + r.StreamError.Condition
	case r.Failure != nil:
		return fmt.Sprintf("failed: %v", r.Failure)
	case r.Stream == nil:
		return "no stream header"
	case r.Features == nil:
		return "no stream features (a pre-1.0 peer?)"
	}
	t := r.TLS
	switch {
	case t == nil:
		return ""
	case !t.ChainVerified && !t.Proceeded:
		return "STARTTLS not accepted"
	case !t.ChainVerified && !t.HandshakeComplete:
		return "TLS handshake not completed"
	case !t.ChainVerified:
		return fmt.Sprintf("certificate chain not verified: %v", t.VerifyError)
	case !t.NamesCoverDomain:
		return fmt.Sprintf("certificate names do not cover %s: %v", r.To, t.NameError)
	case t.StreamError != nil:
		return "stream error " + t.StreamError.Condition + " after TLS"
	case t.Features == nil:
		return "no stream features after TLS"
	}
	return ""
}

// RoundTrip holds durations measured from the start of the probe. A step not
// reached stays zero.
type RoundTrip struct {
	Connect   time.Duration // TCP connection established
	FirstByte time.Duration // first byte of the answer received
	Features  time.Duration // the answer parsed: features, a stream error, or a pre-1.0 header alone
	TLS       time.Duration // TLS handshake completed
	Total     time.Duration // probe ended
}

// StreamHeader holds the attributes of the peer's <stream:stream>.
type StreamHeader struct {
	ID        string
	From      string
	To        string
	Version   string // "" when absent (a pre-1.0 peer)
	Lang      string // xml:lang
	Namespace string // the default namespace, "jabber:server" for s2s
}

// ExpectsFeatures reports whether a peer sending this header must send
// stream features: its version is 1.0 or higher (RFC 6120 §4.7.5).
func (h *StreamHeader) ExpectsFeatures() bool {
	if h == nil {
		return false
	}
	major, _, ok := parseVersion(h.Version)
	return ok && major >= 1
}

// Features are the stream features a peer offers.
type Features struct {
	StartTLS         bool       // <starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>
	StartTLSRequired bool       // ... with <required/>
	Dialback         bool       // <dialback xmlns='urn:xmpp:features:dialback'/> (XEP-0220)
	SASLMechanisms   []string   // <mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>, in order
	Other            []xml.Name // every other feature, by namespace and name, in order
}

// StreamError is a <stream:error> (RFC 6120 §4.9).
type StreamError struct {
	Condition string // e.g. "host-unknown", "not-well-formed"
	Text      string // the <text/>, if any
}

// TLSResult is the outcome of STARTTLS.
type TLSResult struct {
	// Proceeded reports whether the peer answered <starttls/> with <proceed/>.
	Proceeded bool
	// HandshakeComplete reports whether the TLS handshake succeeded.
	HandshakeComplete bool
	Version           uint16 // tls.VersionTLS13, ...
	VersionName       string // tls.VersionName(Version), e.g. "TLS 1.3"
	CipherSuite       uint16
	CipherSuiteName   string // tls.CipherSuiteName(CipherSuite)
	// Chain is the certificate chain the peer sent, leaf first.
	Chain []CertificateSummary
	// NamesCoverDomain reports whether the leaf certificate proves the XMPP
	// domain (RFC 6125, RFC 7590): by a DNS-ID (x509.Certificate.VerifyHostname:
	// dNSNames, one left-most wildcard label), an SRV-ID
	// "_xmpp-server.<domain>" or an XmppAddr equal to the domain.
	// NamesMatchedBy says which (MatchDNSID, MatchSRVID, MatchXmppAddr); ""
	// when none did, and NameError says why.
	NamesCoverDomain bool
	NamesMatchedBy   string
	NameError        error
	// ChainVerified reports whether the chain verifies against the roots of
	// ProbeConfig.TLSConfig (system roots when nil) for server
	// authentication, names aside. VerifyError is why not.
	ChainVerified bool
	VerifyError   error
	// Stream, Features and StreamError are the answer to the stream
	// restarted over TLS.
	Stream      *StreamHeader
	Features    *Features
	StreamError *StreamError
}

// CertificateSummary describes one certificate of a chain.
type CertificateSummary struct {
	Subject   string // RFC 2253 form
	Issuer    string
	DNSNames  []string
	SRVNames  []string // SRV-IDs (id-on-dnsSRV otherNames), e.g. "_xmpp-server.contoso.com"
	XmppAddrs []string // XmppAddrs (id-on-xmppAddr otherNames), e.g. "contoso.com"
	NotBefore time.Time
	NotAfter  time.Time
	IsCA      bool
}
