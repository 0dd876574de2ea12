package failovertest

import (
	"fmt"
	"net/netip"
	"sync"
	"testing"

	"github.com/miekg/dns"

	"github.com/xmppfed/edgefailover/lync"
	"github.com/xmppfed/edgefailover/lync/lynctest"
	"github.com/xmppfed/edgefailover/xmppdns"
	"github.com/xmppfed/edgefailover/xmppdns/dnstest"
	"github.com/xmppfed/edgefailover/xmppdns/rfc2136"
)

// UpdateKeyName is the name of the TSIG key a lab's zones accept updates
// signed with (Provider carries it).
const UpdateKeyName = "failovertest-update."

// Lab is a running simulated deployment for failover drills: a lynctest
// deployment (a Front End pool and two Edge pools in two sites), a dnstest
// cluster serving the federation zones, and one XMPP listener per Edge pool
// that is up only while that pool serves XMPP federation. Create it with New
// or Start and stop it with Close. Its methods are safe for concurrent use.
type Lab struct {
	opts    Options
	pools   []Pool
	deploy  *lynctest.Deployment
	cluster *dnstest.Cluster
	dnsZone map[string]*dnstest.Zone // by origin
	zp      zonePlan
	prov    *rfc2136.Provider
	zones   map[string]*xmppdns.Zone // by origin
	nsAddrs map[string]string
	dnsc    *dns.Client

	mu        sync.Mutex // guards the fields below
	closed    bool
	clients   map[string]*lync.Client // cached, by host FQDN (Management)
	owned     []*lync.Client          // opened by OpenServer for callers; closed by Close if still open
	listenErr error                   // last failure to start a listener
	routed    map[string]bool         // by pool FQDN: some site routed to it at the last reconcile
	loaded    map[string]bool         // by Edge server FQDN: its replica has its pool's current routing
	silent    map[netip.Addr]bool     // external addresses that drop every packet (SetUnreachable)
	closeOnce sync.Once
}

// New builds and starts a lab: every host, name server and listener has its
// 127.0.0.1 address when it returns, and the listeners are up or down as
// the initial state says. The caller must call Close.
func New(opts Options) (*Lab, error) {
	o, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	specs := poolSpecs(o.ServersPerPool)
	l := &Lab{opts: o, clients: make(map[string]*lync.Client), dnsc: new(dns.Client),
		routed: make(map[string]bool), loaded: make(map[string]bool), silent: make(map[netip.Addr]bool)}
	if err := l.startListeners(specs); err != nil {
		return nil, err
	}
	if err := l.startDNS(specs); err != nil {
		l.closeListeners()
		return nil, err
	}
	cfg := lyncConfig(o, specs)
	cfg.OnServiceChange = func(lynctest.ServiceEvent) { l.reconcile() }
	cfg.OnRouteChange = func(lynctest.RouteEvent) { l.reconcile() }
	cfg.OnReplication = func(lynctest.ReplicaEvent) { l.reconcile() }
	d, err := lynctest.New(cfg)
	if err != nil {
		l.closeListeners()
		_ = l.cluster.Close()
		return nil, fmt.Errorf("failovertest: lynctest: %w", err)
	}
	l.mu.Lock()
	l.deploy = d
	l.mu.Unlock()
	for _, f := range o.PreflightFaults {
		if err := l.BreakPreflight(f); err != nil {
			l.Close()
			return nil, err
		}
	}
	l.reconcile()
	l.mu.Lock()
	lerr := l.listenErr
	l.mu.Unlock()
	if lerr != nil {
		l.Close()
		return nil, lerr
	}
	return l, nil
}

// Start is New for tests: it fails t at once when the lab cannot start and
// closes the lab when t ends (t.Cleanup).
func Start(t testing.TB, opts Options) *Lab {
	t.Helper()
	l, err := New(opts)
	if err != nil {
		t.Fatalf("failovertest.Start: %v", err)
	}
	t.Cleanup(l.Close)
	return l
}

// Close stops the deployment (ending any request or script still running
// on it), closes the lync clients the lab opened, stops the listeners and
// the name servers, and waits for all of them. It is safe to call more than
// once.
func (l *Lab) Close() {
	l.closeOnce.Do(func() {
		l.mu.Lock()
		l.closed = true
		clients := l.clients
		l.clients = nil
		owned := l.owned
		l.owned = nil
		l.mu.Unlock()
		// The deployment first: it ends hanging requests and scripts, which
		// a client's Close would otherwise wait for (up to its CallTimeout).
		// No lab lock is held here: the deployment's callbacks take it.
		l.deploy.Close()
		var wg sync.WaitGroup
		for _, c := range clients {
			wg.Go(func() { _ = c.Close() })
		}
		for _, c := range owned {
			wg.Go(func() { _ = c.Close() }) // a second Close of a client is harmless
		}
		wg.Wait()
		l.closeListeners()
		_ = l.cluster.Close()
	})
}

func (l *Lab) isClosed() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.closed
}

// Options returns the options the lab was built with, defaults filled in.
func (l *Lab) Options() Options {
	o := l.opts
	o.Domains = append([]string(nil), o.Domains...)
	return o
}

// Pools returns the two Edge pools: SourcePool, then TargetPool.
func (l *Lab) Pools() []Pool {
	out := make([]Pool, len(l.pools))
	for i, p := range l.pools {
		p.Servers = append([]string(nil), p.Servers...)
		out[i] = p
	}
	return out
}

// Pool returns the Edge pool with that FQDN (case-insensitive).
func (l *Lab) Pool(fqdn string) (Pool, bool) {
	for _, p := range l.Pools() {
		if equalFold(p.FQDN, fqdn) {
			return p, true
		}
	}
	return Pool{}, false
}

// Domains returns the SIP domains, lower case.
func (l *Lab) Domains() []string { return append([]string(nil), l.opts.Domains...) }

// Deployment returns the lynctest deployment, for fault injection
// (Deployment().Inject), latency changes, counters and direct state changes.
func (l *Lab) Deployment() *lynctest.Deployment { return l.deploy }

// DNS returns the dnstest cluster: Primary takes updates, Secondaries lag.
func (l *Lab) DNS() *dnstest.Cluster { return l.cluster }

// DNSZone returns the dnstest zone with that origin ("contoso.com", with or
// without the trailing dot), or nil; its SetRRset changes records behind the
// SDK's back, as another administrator would.
func (l *Lab) DNSZone(origin string) *dnstest.Zone { return l.dnsZone[canonOrigin(origin)] }

func (l *Lab) closeListeners() {
	for _, p := range l.pools {
		p.Listener.Close()
	}
}
