package edge

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net"
	"time"
)

// secure runs the TLS handshake over conn, records the session and the
// chain, and restarts the stream over TLS.
func (p *prober) secure(ctx context.Context, conn net.Conn, readAhead []byte) {
	tcfg := &tls.Config{}
	if p.cfg.TLSConfig != nil {
		tcfg = p.cfg.TLSConfig.Clone()
	}
	if tcfg.ServerName == "" {
		tcfg.ServerName = p.cfg.To
	}
	// Verification is done below and reported as data, not as a handshake
	// failure.
	tcfg.InsecureSkipVerify = true
	if len(readAhead) > 0 {
		// Bytes the peer sent after <proceed/> belong to TLS.
		conn = &prefixConn{Conn: conn, r: io.MultiReader(bytes.NewReader(readAhead), conn)}
	}
	tc := tls.Client(conn, tcfg)
	if err := tc.HandshakeContext(ctx); err != nil {
		p.fail(StageTLS, fmt.Errorf("%w: %w", ErrTLSHandshake, netError(err)))
		return
	}
	p.res.RoundTrip.TLS = time.Since(p.start)
	p.recordTLS(tc.ConnectionState(), tcfg)

	if err := p.send(tc, p.streamHeader()); err != nil {
		p.fail(StageSecureStream, err)
		return
	}
	a, _, err := readAnswer(newStreamParser(tc, p.cfg.Limits, nil))
	t := p.res.TLS
	t.Stream, t.Features, t.StreamError = a.header, a.features, a.streamErr
	if err != nil {
		p.fail(StageSecureStream, err)
		return
	}
	_ = p.send(tc, "</stream:stream>")
}

func (p *prober) recordTLS(st tls.ConnectionState, tcfg *tls.Config) {
	t := p.res.TLS
	t.HandshakeComplete = true
	t.Version, t.VersionName = st.Version, tls.VersionName(st.Version)
	t.CipherSuite, t.CipherSuiteName = st.CipherSuite, tls.CipherSuiteName(st.CipherSuite)
	for _, c := range st.PeerCertificates {
		srv, xmpp := certOtherNames(c)
		t.Chain = append(t.Chain, CertificateSummary{
			Subject:   c.Subject.String(),
			Issuer:    c.Issuer.String(),
			DNSNames:  append([]string(nil), c.DNSNames...),
			SRVNames:  srv,
			XmppAddrs: xmpp,
			NotBefore: c.NotBefore,
			NotAfter:  c.NotAfter,
			IsCA:      c.IsCA,
		})
	}
	if len(st.PeerCertificates) == 0 {
		t.NameError = errNoCertificate
		t.VerifyError = errNoCertificate
		return
	}
	leaf := st.PeerCertificates[0]
	t.NamesMatchedBy, t.NameError = matchDomain(leaf, p.cfg.To)
	t.NamesCoverDomain = t.NameError == nil
	opts := x509.VerifyOptions{Roots: tcfg.RootCAs, Intermediates: x509.NewCertPool()}
	for _, c := range st.PeerCertificates[1:] {
		opts.Intermediates.AddCert(c)
	}
	if tcfg.Time != nil {
		opts.CurrentTime = tcfg.Time()
	}
	_, t.VerifyError = leaf.Verify(opts)
	t.ChainVerified = t.VerifyError == nil
}

// errNoCertificate: the peer completed TLS without a certificate (e.g. an
// anonymous cipher suite), so nothing can be verified.
var errNoCertificate = fmt.Errorf("%w: no certificate", ErrTLSHandshake)

// prefixConn reads from r (bytes already read from Conn, then Conn).
type prefixConn struct {
	net.Conn
	r io.Reader
}

func (c *prefixConn) Read(b []byte) (int, error) { return c.r.Read(b) }
