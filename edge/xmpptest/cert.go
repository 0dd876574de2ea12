package xmpptest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"math/big"
	"time"
)

// certificates is a self-signed test CA and one leaf certificate it issued.
type certificates struct {
	ca   *x509.Certificate
	pool *x509.CertPool
	leaf tls.Certificate
}

// newCertificates makes an ECDSA P-256 CA and a leaf for names, valid from an
// hour ago for validity. The leaf's chain in tls.Certificate holds the leaf and
// the CA, as a server sends it.
func newCertificates(names []string, validity time.Duration, srvNames, xmppAddrs []string) (*certificates, error) {
	now := time.Now()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("xmpptest: CA key: %w", err)
	}
	caTmpl := &x509.Certificate{
		SerialNumber:          serial(),
		Subject:               pkix.Name{CommonName: "xmpptest CA", Organization: []string{"edgefailover xmpptest"}},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(validity),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLenZero:        true,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		return nil, fmt.Errorf("xmpptest: CA certificate: %w", err)
	}
	ca, err := x509.ParseCertificate(caDER)
	if err != nil {
		return nil, fmt.Errorf("xmpptest: CA certificate: %w", err)
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("xmpptest: leaf key: %w", err)
	}
	cn := "xmpptest"
	if len(names) > 0 {
		cn = names[0]
	}
	leafTmpl := &x509.Certificate{
		SerialNumber: serial(),
		Subject:      pkix.Name{CommonName: cn},
		DNSNames:     append([]string(nil), names...),
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(validity),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
	}
	if len(srvNames)+len(xmppAddrs) > 0 {
		ext, err := subjectAltName(names, srvNames, xmppAddrs)
		if err != nil {
			return nil, fmt.Errorf("xmpptest: subjectAltName: %w", err)
		}
		leafTmpl.DNSNames = nil
		leafTmpl.ExtraExtensions = []pkix.Extension{ext}
	}
	leafDER, err := x509.CreateCertificate(rand.Reader, leafTmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		return nil, fmt.Errorf("xmpptest: leaf certificate: %w", err)
	}
	leaf, err := x509.ParseCertificate(leafDER)
	if err != nil {
		return nil, fmt.Errorf("xmpptest: leaf certificate: %w", err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(ca)
	return &certificates{
		ca:   ca,
		pool: pool,
		leaf: tls.Certificate{Certificate: [][]byte{leafDER, caDER}, PrivateKey: key, Leaf: leaf},
	}, nil
}

func serial() *big.Int {
	// crypto/rand.Read never returns an error (Go 1.24 and later); a serial of
	// 62 random bits is unique enough for a test CA.
	var b [8]byte
	_, _ = rand.Read(b[:])
	return new(big.Int).Rsh(new(big.Int).SetBytes(b[:]), 2)
}

// externalOK reports whether SASL EXTERNAL is offered to a peer that claims
// to be from and presented chain: as Prosody 0.12 does, only when the chain
// verifies (here against Config.ClientCAs) for that domain.
func (s *Server) externalOK(chain []*x509.Certificate, from string) bool {
	if s.cfg.ClientCAs == nil || len(chain) == 0 {
		return false
	}
	opts := x509.VerifyOptions{
		Roots:         s.cfg.ClientCAs,
		Intermediates: x509.NewCertPool(),
		KeyUsages:     []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}
	for _, c := range chain[1:] {
		opts.Intermediates.AddCert(c)
	}
	if _, err := chain[0].Verify(opts); err != nil {
		return false
	}
	return chain[0].VerifyHostname(from) == nil
}
