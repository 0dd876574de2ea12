package failovertest

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"strings"

	"github.com/xmppfed/edgefailover/edge/xmpptest"
	"github.com/xmppfed/edgefailover/lync/lynctest"
)

// startListeners creates one xmpptest listener per Edge pool, serving the
// SIP domains with STARTTLS offered and a certificate for the domains, the
// federation host and the pool's Access Edge external FQDN. Each binds its
// port at once, so that Addr is known for the lab's life; the first
// reconcile stops those that must be down (Start binds the same port again).
func (l *Lab) startListeners(specs []poolSpec) error {
	for _, s := range specs {
		names := append(append([]string(nil), l.opts.Domains...), FederationHost, s.access)
		srv, err := xmpptest.NewServer(xmpptest.Config{
			Domains:   l.opts.Domains,
			CertNames: names,
			TLS:       xmpptest.TLSOffered,
		})
		if err != nil {
			l.closeListeners()
			return fmt.Errorf("failovertest: listener for %s: %w", s.fqdn, err)
		}
		l.pools = append(l.pools, Pool{
			FQDN: s.fqdn, Site: s.site, Servers: s.servers,
			AccessEdgeExternalFQDN: s.access, ExternalIP: s.ip, Listener: srv,
		})
	}
	return nil
}

// wantUp reports, per pool, whether its listener should run in state s: some
// site's XMPP route is EdgeServer:<pool> and at least one server of the pool
// has every one of its Lync services Running.
func wantUp(p Pool, s lynctest.Snapshot) bool {
	routed := false
	for _, site := range s.Sites {
		if strings.EqualFold(site.XmppRoute, "EdgeServer:"+p.FQDN) {
			routed = true
			break
		}
	}
	if !routed {
		return false
	}
	for _, host := range p.Servers {
		svcs := s.Services[host]
		if len(svcs) == 0 {
			continue
		}
		all := true
		for _, st := range svcs {
			if st != lynctest.Running {
				all = false
				break
			}
		}
		if all {
			return true
		}
	}
	return false
}

// reconcile starts and stops the listeners to match the deployment's state.
// It runs on every service and route callback of the deployment and before
// every Snapshot and Dial; the lab lock serializes it, and the state is read
// under that lock, so the last reconcile always sees the last change.
func (l *Lab) reconcile() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed || l.deploy == nil {
		return
	}
	s := l.deploy.Snapshot()
	var failed error
	for _, p := range l.pools {
		up := wantUp(p, s)
		switch {
		case up && !p.Listener.Running():
			if err := p.Listener.Start(); err != nil {
				failed = fmt.Errorf("%w: %s: %w", ErrListener, p.FQDN, err)
			}
		case !up && p.Listener.Running():
			p.Listener.Stop()
		}
	}
	l.listenErr = failed
}

// CertPool returns a pool trusting the CAs of both listeners' certificates.
func (l *Lab) CertPool() *x509.CertPool {
	pool := x509.NewCertPool()
	for _, p := range l.pools {
		pool.AddCert(p.Listener.CA())
	}
	return pool
}

// TLSConfig returns a TLS client configuration that trusts the listeners'
// certificates (RootCAs: CertPool), for edge.ProbeConfig.TLSConfig.
func (l *Lab) TLSConfig() *tls.Config {
	return &tls.Config{RootCAs: l.CertPool(), MinVersion: tls.VersionTLS12}
}
