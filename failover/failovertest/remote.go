package failovertest

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"

	"github.com/miekg/dns"

	"github.com/xmppfed/edgefailover/failover"
	"github.com/xmppfed/edgefailover/internal/lynclab"
	"github.com/xmppfed/edgefailover/lync"
	"github.com/xmppfed/edgefailover/lync/winrm"
	"github.com/xmppfed/edgefailover/xmppdns"
	"github.com/xmppfed/edgefailover/xmppdns/rfc2136"
)

// Endpoints is what another process needs to reach a running lab: the
// loopback addresses of its WinRM hosts, name servers and listeners, its
// credentials and its CA, as JSON-friendly values. Pass them to a child
// process (a drill in another process, a crash test that kills it) and
// Connect there. The credentials are the lab's own, made up when it
// started; they are redacted when Endpoints is printed all the same.
type Endpoints struct {
	Hosts map[string]string `json:"hosts"` // WinRM host FQDN -> 127.0.0.1:port (plain HTTP)
	// TLSHosts are the same hosts' HTTPS listeners (127.0.0.1:port), whose
	// certificates name the host FQDN and chain to WinRMCA: what a
	// production config reaches (port 5986, verified).
	TLSHosts    map[string]string `json:"tls_hosts,omitempty"`
	WinRMCA     string            `json:"winrm_ca,omitempty"` // PEM: the deployment's CA of the HTTPS listeners
	Username    string            `json:"username"`
	Password    string            `json:"password"`
	DNS         rfc2136Endpoint   `json:"dns"`
	Nameservers map[string]string `json:"nameservers"` // NS host -> address (NameserverAddrs)
	Resolvers   []string          `json:"resolvers"`   // ResolverAddrs
	Origins     []string          `json:"origins"`     // the zones, FederationZone first
	Domains     []domainZone      `json:"domains"`     // SIP domains in the lab's order, with their zones
	Pools       []poolAddr        `json:"pools"`
	CA          string            `json:"ca"` // PEM: the listeners' CA
}

type domainZone struct {
	Name string `json:"name"`
	Zone string `json:"zone"` // origin
}

type rfc2136Endpoint struct {
	Server    string `json:"server"`
	KeyName   string `json:"key_name"`
	Algorithm string `json:"algorithm"`
	Secret    string `json:"secret"`
}

// String describes the endpoints without their secrets.
func (e Endpoints) String() string {
	return fmt.Sprintf("failovertest.Endpoints{%d hosts, user %s, password [redacted], DNS %s key %s [redacted], %d pools}",
		len(e.Hosts), e.Username, e.DNS.Server, e.DNS.KeyName, len(e.Pools))
}

// GoString is String, so that %#v redacts too.
func (e Endpoints) GoString() string { return e.String() }

// LogValue redacts the secrets in logs.
func (e Endpoints) LogValue() slog.Value { return slog.StringValue(e.String()) }

// Endpoints returns what Connect needs, in another process, to reach l.
func (l *Lab) Endpoints() Endpoints {
	user, pass := l.deploy.Credentials()
	e := Endpoints{
		Hosts:       map[string]string{},
		TLSHosts:    map[string]string{},
		WinRMCA:     string(l.deploy.CACertPEM()),
		Username:    user,
		Password:    pass,
		DNS:         rfc2136Endpoint{Server: l.prov.Server, KeyName: l.prov.KeyName, Algorithm: l.prov.Algorithm, Secret: string(l.prov.Secret)},
		Nameservers: l.NameserverAddrs(),
		Resolvers:   l.ResolverAddrs(),
		Origins:     slices.Clone(l.zp.origins),
		Pools:       l.dialer().pools,
	}
	for _, h := range l.deploy.Hosts() {
		e.Hosts[h.FQDN()] = h.Addr()
		e.TLSHosts[h.FQDN()] = h.TLSAddr()
	}
	for _, d := range l.Domains() {
		e.Domains = append(e.Domains, domainZone{Name: d, Zone: l.zp.of[d]})
	}
	var ca strings.Builder
	seen := map[string]bool{}
	for _, p := range l.pools {
		if c := p.Listener.CA(); c != nil && !seen[string(c.Raw)] {
			seen[string(c.Raw)] = true
			_ = pem.Encode(&ca, &pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})
		}
	}
	e.CA = ca.String()
	for i := range e.Pools {
		e.Pools[i].running = nil
	}
	return e
}

// Remote is a lab reached from another process through its Endpoints: it
// builds the same failover.Config as the lab's own FailoverConfig, with
// clients of its own. Close closes them.
type Remote struct {
	e      Endpoints
	d      *dialer
	prov   *rfc2136.Provider
	zones  map[string]*xmppdns.Zone
	tlsCfg *tls.Config

	mu      sync.Mutex
	mgmt    *lync.Client
	clients []*lync.Client
	closed  bool
}

// Connect prepares a Remote for e; it opens nothing until a config asks.
func Connect(e Endpoints) (*Remote, error) {
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM([]byte(e.CA)) {
		return nil, errors.New("failovertest: Endpoints.CA holds no certificate")
	}
	r := &Remote{
		e:      e,
		d:      &dialer{pools: e.Pools, servers: e.Resolvers, origins: e.Origins, dnsc: new(dns.Client)},
		prov:   &rfc2136.Provider{Server: e.DNS.Server, KeyName: e.DNS.KeyName, Algorithm: e.DNS.Algorithm, Secret: rfc2136.Secret(e.DNS.Secret)},
		zones:  map[string]*xmppdns.Zone{},
		tlsCfg: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12},
	}
	for _, o := range e.Origins {
		z, err := xmppdns.NewZone(o, r.prov, xmppdns.ZoneOptions{})
		if err != nil {
			return nil, fmt.Errorf("failovertest: zone %s: %w", o, err)
		}
		r.zones[o] = z
	}
	return r, nil
}

// open dials and prepares a client for a host of the remote deployment.
func (r *Remote) open(ctx context.Context, fqdn string) (*lync.Client, error) {
	host := strings.ToLower(strings.TrimSuffix(fqdn, "."))
	if _, ok := r.e.Hosts[host]; !ok {
		return nil, fmt.Errorf("%w: %q", ErrUnknownHost, fqdn)
	}
	c, err := winrm.Dial(lynclab.RemoteEndpoint(host, r.e.Hosts, r.e.Username, r.e.Password), winrm.Options{})
	if err != nil {
		return nil, fmt.Errorf("failovertest: client for %s: %w", host, err)
	}
	if err := c.Prepare(ctx); err != nil {
		_ = c.Close()
		return nil, fmt.Errorf("failovertest: client for %s: %w", host, err)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		_ = c.Close()
		return nil, ErrClosed
	}
	r.clients = append(r.clients, c)
	return c, nil
}

// FailoverConfig is Lab.FailoverConfig, in the other process.
func (r *Remote) FailoverConfig(ctx context.Context) (failover.Config, error) {
	r.mu.Lock()
	mgmt := r.mgmt
	r.mu.Unlock()
	if mgmt == nil {
		c, err := r.open(ctx, ManagementHost)
		if err != nil {
			return failover.Config{}, err
		}
		r.mu.Lock()
		r.mgmt, mgmt = c, c
		r.mu.Unlock()
	}
	var doms []failover.Domain
	for _, d := range r.e.Domains {
		doms = append(doms, failover.Domain{Name: d.Name, Zone: r.zones[d.Zone]})
	}
	return failover.Config{
		Management:     mgmt,
		Site:           TargetSite,
		TargetPool:     TargetPool,
		OpenServer:     r.open,
		ReplacedPool:   SourcePool,
		ReplacedSite:   SourceSite,
		Domains:        doms,
		FederationHost: FederationHost,
		Timeouts:       LabTimeouts(),
		Verify: failover.Verify{
			Authoritative: &xmppdns.Authoritative{Resolvers: r.e.Resolvers, Addrs: r.e.Nameservers},
			Resolver:      &xmppdns.Resolver{Servers: r.e.Resolvers},
			ProbeTLS:      r.tlsCfg.Clone(),
			ProbeDial:     r.d.dial,
		},
	}, nil
}

// Close closes every client the Remote opened.
func (r *Remote) Close() error {
	r.mu.Lock()
	cs := r.clients
	r.clients, r.closed = nil, true
	r.mu.Unlock()
	var errs []error
	for _, c := range cs {
		errs = append(errs, c.Close())
	}
	return errors.Join(errs...)
}
