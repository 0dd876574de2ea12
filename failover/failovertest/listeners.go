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

// routed reports whether some site's XMPP route is EdgeServer:<pool>.
func routed(p Pool, s lynctest.Snapshot) bool {
	for _, site := range s.Sites {
		if strings.EqualFold(site.XmppRoute, "EdgeServer:"+p.FQDN) {
			return true
		}
	}
	return false
}

// serves reports whether host, a server of a routed pool, serves federation
// in state s: every one of its Lync services is Running and its CMS replica
// has received the routing the pool has now (loaded).
func serves(host string, s lynctest.Snapshot, loaded bool) bool {
	svcs := s.Services[host]
	if len(svcs) == 0 || !loaded {
		return false
	}
	for _, st := range svcs {
		if st != lynctest.Running {
			return false
		}
	}
	return true
}

// reconcile starts and stops the listeners to match the deployment's state.
// It runs on every service, route and replication callback of the
// deployment and before every Snapshot and Dial; the lab lock serializes
// it, and the state is read under that lock, so the last reconcile always
// sees the last change.
//
// A pool's listener is up while some site routes federation to it and at
// least one of its servers serves (see serves). Whether a server's replica
// has the pool's current routing is followed here, from one consistent
// deployment snapshot to the next: when the pool becomes routed (or stops
// being routed), none of its servers has that change yet; a server has it from the first
// snapshot that shows its replica up to date (the replica then holds every
// change up to now, the route change included), and keeps it when a later,
// unrelated topology change makes the replica fall behind again.
func (l *Lab) reconcile() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed || l.deploy == nil {
		return
	}
	s := l.deploy.Snapshot()
	var failed error
	for _, p := range l.pools {
		routed := routed(p, s)
		if prev, ok := l.routed[p.FQDN]; !ok || prev != routed {
			l.routed[p.FQDN] = routed
			for _, h := range p.Servers {
				l.loaded[h] = false
			}
		}
		up := false
		for _, h := range p.Servers {
			if s.Replicas[h] {
				l.loaded[h] = true
			}
			if routed && serves(h, s, l.loaded[h]) {
				up = true
			}
		}
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
