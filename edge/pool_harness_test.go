package edge_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/xmppfed/edgefailover/edge"
	"github.com/xmppfed/edgefailover/internal/lynclab"
	"github.com/xmppfed/edgefailover/lync"
	"github.com/xmppfed/edgefailover/lync/lynctest"
	"github.com/xmppfed/edgefailover/lync/winrm"
)

// Names of the lab topology: Site1 holds a Front End pool and edgepool1
// (n servers edge01..), Site2 holds edgepool2 (one server, edge91); the
// management host has the shell but no Lync services.
const (
	labMgmt   = "admin.contoso.com"
	labFEPool = "fepool1.contoso.com"
	labPool1  = "edgepool1.contoso.com"
	labPool2  = "edgepool2.contoso.com"
	labEdge2  = "edge91.contoso.com"
)

// labServer returns the FQDN of the i-th (1-based) server of edgepool1.
func labServer(i int) string { return fmt.Sprintf("edge%02d.contoso.com", i) }

// labServers returns the FQDNs of the n servers of edgepool1.
func labServers(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = labServer(i + 1)
	}
	return out
}

// newLab starts a fake deployment of Skype for Business Server 2015 whose
// edgepool1 has n servers; Service stop and start take 1s of lab time,
// scaled by 1/100. Each edit may change the configuration before it starts.
func newLab(t testing.TB, n int, edits ...func(*lynctest.Config)) *lynctest.Deployment {
	t.Helper()
	cfg := lynctest.TwoSites(lynctest.TwoSitesOptions{Pool1Servers: labServers(n), Pool2Servers: []string{labEdge2}})
	cfg.Product = lynctest.SfB2015
	cfg.ManagementHost = labMgmt
	cfg.MaxOperationTimeout = 200 * time.Millisecond
	cfg.Latency = lynctest.Latency{ServiceStop: time.Second, GracefulStop: 2 * time.Second,
		ServiceStart: time.Second, Scale: 0.01}
	for _, edit := range edits {
		edit(&cfg)
	}
	d, err := lynctest.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(d.Close)
	return d
}

// labEndpoint reaches host of d (see lynclab.Endpoint).
func labEndpoint(d *lynctest.Deployment, host string, https bool) winrm.Endpoint {
	return lynclab.Endpoint(d, host, https)
}

// labClient dials host with the real WinRM client; the test closes it.
func labClient(t testing.TB, d *lynctest.Deployment, host string, https bool) *lync.Client {
	t.Helper()
	c, err := winrm.Dial(labEndpoint(d, host, https), winrm.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// labPool builds edgepool1 by hand from its n servers.
func labPool(t testing.TB, d *lynctest.Deployment, n int) *edge.Pool {
	t.Helper()
	var servers []*edge.Server
	for _, fqdn := range labServers(n) {
		s, err := edge.NewServer(fqdn, labClient(t, d, fqdn, false))
		if err != nil {
			t.Fatal(err)
		}
		servers = append(servers, s)
	}
	p, err := edge.NewPool(labPool1, servers...)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// labOpener is an edge.OpenFunc over the deployment that records what it
// opened, so that tests can check every client was closed.
type labOpener struct {
	d       *lynctest.Deployment
	mu      sync.Mutex
	opened  []string
	clients []*lync.Client
	// fail is the FQDN whose open fails, once another server's open has
	// returned a client (or ctx ended): the failure then always lands on
	// an open under way, whose client DiscoverPool must close. Failing at
	// once made the test depend on the scheduler: the other open had not
	// always begun when the failure cancelled it, and nothing was opened.
	fail      string
	firstOnce sync.Once
	first     chan struct{} // closed when an open returned a client
}

var errOpenRefused = fmt.Errorf("open refused by the test")

func (o *labOpener) firstOpened() chan struct{} {
	o.firstOnce.Do(func() { o.first = make(chan struct{}) })
	return o.first
}

func (o *labOpener) open(ctx context.Context, fqdn string) (*lync.Client, error) {
	first := o.firstOpened()
	if fqdn == o.fail {
		select {
		case <-first:
		case <-ctx.Done():
		}
		return nil, errOpenRefused
	}
	c, err := winrm.Dial(labEndpoint(o.d, fqdn, false), winrm.Options{})
	if err != nil {
		return nil, err
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	o.opened = append(o.opened, fqdn)
	o.clients = append(o.clients, c)
	if len(o.clients) == 1 {
		close(first)
	}
	return c, nil
}

// servicesIn reports whether every service of host is in status.
func servicesIn(d *lynctest.Deployment, host string, status lynctest.ServiceStatus) bool {
	svcs := d.Snapshot().Services[host]
	for _, s := range svcs {
		if s != status {
			return false
		}
	}
	return len(svcs) > 0
}
