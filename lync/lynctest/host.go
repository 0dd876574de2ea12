package lynctest

import (
	"crypto/tls"
	"strings"
)

// WinRM ports a Host answers on through Deployment.DialContext.
const (
	HTTPPort  = 5985
	HTTPSPort = 5986
)

// Host is one Windows host of a deployment: a server of a pool, or the
// management host. Its state lives in the Deployment.
type Host struct {
	d           *Deployment
	fqdn        string
	pool        *poolState // nil for the management host
	services    []*serviceState
	replica     *replicaState // nil if the host has no REPLICA service
	counters    Counters
	invocations []Invocation
	shells      map[string]*shell
	shellSeq    int
	httpAddr    string
	httpsAddr   string
}

// FQDN returns the host's name in lower case.
func (h *Host) FQDN() string { return h.fqdn }

// Pool returns the FQDN of the host's pool, or "" for the management host.
func (h *Host) Pool() string {
	if h.pool == nil {
		return ""
	}
	return h.pool.fqdn
}

// URL returns the WS-Man URL by name over HTTP,
// "http://<fqdn>:5985/wsman"; connect through Deployment.DialContext.
func (h *Host) URL() string { return "http://" + h.fqdn + ":5985/wsman" }

// TLSURL returns the WS-Man URL by name over HTTPS,
// "https://<fqdn>:5986/wsman"; connect through Deployment.DialContext and
// trust Deployment.CertPool.
func (h *Host) TLSURL() string { return "https://" + h.fqdn + ":5986/wsman" }

// Addr returns the loopback address ("127.0.0.1:port") of the HTTP listener.
func (h *Host) Addr() string { return h.httpAddr }

// TLSAddr returns the loopback address of the HTTPS listener, whose
// certificate covers the FQDN and 127.0.0.1.
func (h *Host) TLSAddr() string { return h.httpsAddr }

func normFQDN(s string) string { return strings.ToLower(strings.TrimSuffix(s, ".")) }

func tlsConfig(cert tls.Certificate) *tls.Config {
	return &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
}
