package lynctest

import (
	"context"
	"net"
	"net/http"
	"sort"
	"sync"
	"time"
)

// Defaults of a Windows host's WinRS configuration (Config.MaxShellsPerUser,
// Config.ShellIdleTimeout).
const (
	DefaultMaxShellsPerUser = 30
	DefaultShellIdleTimeout = 2 * time.Hour
)

// Default credentials (Config.Username, Config.Password).
const (
	DefaultUsername = `CONTOSO\lyncadmin`
	DefaultPassword = "lynctest-Passw0rd"
)

// Deployment is a running fake deployment: its topology, its hosts and their
// WinRM listeners. Create it with New and stop it with Close.
type Deployment struct {
	product         Product
	routeParam      string
	acceptBare      bool
	user, pass      string
	accounts        []Account
	service         WinRMService      // winrm/config/service of every host
	krb             *kerberosAcceptor // nil: no Kerberos
	maxOpTimeout    time.Duration
	maxShells       int
	idleTimeout     time.Duration
	onServiceChange func(ServiceEvent)
	onRouteChange   func(RouteEvent)
	onReplication   func(ReplicaEvent)
	ca              *testCA
	start           time.Time

	cmdlets map[string]*cmdletDef // by lower-case name; read-only after New
	fed     *federation           // federation.go; guarded by mu

	mu          sync.Mutex // guards everything below and the state of every Host
	sites       []*siteState
	pools       []*poolState
	hosts       []*Host
	hostByName  map[string]*Host
	version     int       // topology version, bumped by every Set-CsSite change
	changedAt   time.Time // time of the last change
	latency     Latency
	faults      []*activeFault
	faultSeq    int
	closed      bool
	evQueue     []event
	evSeq       uint64        // sequence number of the newest queued event
	evDone      uint64        // sequence number of the newest delivered event
	evDelivered chan struct{} // closed and replaced after each delivery round
	evWake      chan struct{}

	handlers   sync.WaitGroup // in-flight HTTP handlers; Add only under mu while !closed
	closing    chan struct{}  // closed by Close: every wait ends
	base       context.Context
	cancelBase context.CancelFunc
	wg         sync.WaitGroup
	servers    []*http.Server
}

// New validates cfg, builds the deployment and starts one HTTP and one HTTPS
// listener per host on 127.0.0.1. The caller must Close it.
func New(cfg Config) (*Deployment, error) {
	d := &Deployment{
		product: cfg.Product, routeParam: cfg.RouteParameter, acceptBare: cfg.AcceptBareRoute,
		user: cfg.Username, pass: cfg.Password, maxOpTimeout: cfg.MaxOperationTimeout,
		onServiceChange: cfg.OnServiceChange, onRouteChange: cfg.OnRouteChange, onReplication: cfg.OnReplication,
		latency: cfg.Latency, evDelivered: make(chan struct{}), evWake: make(chan struct{}, 1),
		hostByName: map[string]*Host{}, closing: make(chan struct{}), start: time.Now(),
	}
	if d.product == 0 {
		d.product = SfB2015
	}
	if d.product != Lync2013 && d.product != SfB2015 {
		return nil, badConfig("unknown product %d", cfg.Product)
	}
	switch d.routeParam {
	case "":
		d.routeParam = XmppFederationRoute
	case XmppFederationRoute, XmppExternalFederationRoute:
	default:
		return nil, badConfig("route parameter %q", cfg.RouteParameter)
	}
	if d.user == "" {
		d.user = DefaultUsername
	}
	if d.pass == "" {
		d.pass = DefaultPassword
	}
	for _, a := range cfg.Accounts {
		if a.Username == "" || a.Password == "" {
			return nil, badConfig("account without user name or password")
		}
	}
	d.accounts = append([]Account{{d.user, d.pass}}, cfg.Accounts...)
	switch d.idleTimeout = cfg.ShellIdleTimeout; {
	case d.idleTimeout < 0:
		return nil, badConfig("negative shell idle timeout")
	case d.idleTimeout == 0:
		d.idleTimeout = DefaultShellIdleTimeout
	}
	if d.maxShells = cfg.MaxShellsPerUser; d.maxShells <= 0 {
		d.maxShells = DefaultMaxShellsPerUser
	}
	if err := cfg.Latency.validate(); err != nil {
		return nil, err
	}
	if d.maxOpTimeout <= 0 {
		d.maxOpTimeout = time.Second
	}
	d.changedAt = d.start
	d.cmdlets = d.registry()
	if err := d.buildTopology(cfg); err != nil {
		return nil, err
	}
	if err := d.configureService(cfg.WinRM); err != nil {
		return nil, err
	}
	fed, err := d.newFederation(cfg.Federation)
	if err != nil {
		return nil, err
	}
	d.fed = fed
	ca, err := newTestCA()
	if err != nil {
		return nil, err
	}
	d.ca = ca
	d.base, d.cancelBase = context.WithCancel(context.Background())
	d.wg.Add(1)
	go d.dispatch()
	for i, h := range d.hosts {
		if err := d.listen(h, int64(i+2)); err != nil {
			d.Close()
			return nil, err
		}
	}
	return d, nil
}

// Product returns the product the deployment runs.
func (d *Deployment) Product() Product { return d.product }

// RouteParameter returns the name of Set-CsSite's XMPP route parameter.
func (d *Deployment) RouteParameter() string { return d.routeParam }

// Credentials returns the Basic username and password every host accepts.
func (d *Deployment) Credentials() (username, password string) { return d.user, d.pass }

// Host returns the host with that FQDN (case-insensitive, trailing dot
// ignored), or nil.
func (d *Deployment) Host(fqdn string) *Host {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.hostByName[normFQDN(fqdn)]
}

// Hosts returns every host, sorted by FQDN.
func (d *Deployment) Hosts() []*Host {
	d.mu.Lock()
	out := append([]*Host(nil), d.hosts...)
	d.mu.Unlock()
	sort.Slice(out, func(i, j int) bool { return out[i].fqdn < out[j].fqdn })
	return out
}

// Close stops the listeners, ends every long poll, hanging request, running
// script and pending service transition, and waits for them. It is safe to
// call more than once.
func (d *Deployment) Close() {
	d.mu.Lock()
	if d.closed {
		d.mu.Unlock()
		return
	}
	d.closed = true
	close(d.closing)
	d.cancelBase()
	servers := d.servers
	d.mu.Unlock()
	// Every wait of a handler ends on closing, so closing the connections
	// and waiting for the handlers is quick. (Shutdown would wait up to 5s
	// for connections dialed but never used.)
	for _, s := range servers {
		_ = s.Close()
	}
	d.handlers.Wait()
	d.wg.Wait()
}

// listen starts the two listeners of h.
func (d *Deployment) listen(h *Host, serial int64) error {
	cert, err := d.ca.leaf(h.fqdn, serial)
	if err != nil {
		return err
	}
	for _, tlsOn := range []bool{false, true} {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return err
		}
		srv := &http.Server{Handler: &handler{d: d, h: h}, ReadHeaderTimeout: 10 * time.Second,
			ReadTimeout: 30 * time.Second, IdleTimeout: 2 * time.Minute, ConnContext: withConnAuth}
		if tlsOn {
			h.httpsAddr = ln.Addr().String()
			srv.TLSConfig = tlsConfig(cert)
		} else {
			h.httpAddr = ln.Addr().String()
		}
		d.mu.Lock()
		d.servers = append(d.servers, srv)
		d.mu.Unlock()
		d.wg.Add(1)
		go func() {
			defer d.wg.Done()
			if tlsOn {
				_ = srv.ServeTLS(ln, "", "")
			} else {
				_ = srv.Serve(ln)
			}
		}()
	}
	return nil
}
