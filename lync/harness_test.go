package lync_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/xmppfed/edgefailover/internal/lynclab"
	"github.com/xmppfed/edgefailover/lync"
	"github.com/xmppfed/edgefailover/lync/lynctest"
	"github.com/xmppfed/edgefailover/lync/winrm"
)

// Hosts of the test topology.
const (
	feHost  = "fe01.contoso.com"
	edge01  = "edge01.contoso.com"
	edge02  = "edge02.contoso.com"
	edge03  = "edge03.contoso.com"
	edgeP1  = "edgepool1.contoso.com"
	edgeP2  = "edgepool2.contoso.com"
	fePool  = "fepool1.contoso.com"
	site1   = "Site1"
	site2   = "Site2"
	noSuchX = "nosuch.contoso.com"
)

// topology is two sites: Site1 with a Front End pool and edgepool1 (two
// servers), Site2 with edgepool2 (one server); Site2 routes XMPP through
// edgepool1, as before a failover.
func topology(product lynctest.Product, param string) lynctest.Config {
	cfg := lynctest.TwoSites(lynctest.TwoSitesOptions{FrontEndServer: feHost, Pool1Servers: []string{edge01, edge02}, Pool2Servers: []string{edge03}})
	cfg.Product, cfg.RouteParameter = product, param
	cfg.Sites[1].XmppRoute = "EdgeServer:" + edgeP1
	return cfg
}

// variant is one product / route parameter / scheme combination.
type variant struct {
	product lynctest.Product
	param   string
	https   bool
}

func (v variant) String() string {
	scheme := "http"
	if v.https {
		scheme = "https"
	}
	return fmt.Sprintf("%s/%s/%s", v.product, v.param, scheme)
}

func allVariants() []variant {
	var vs []variant
	for _, p := range []lynctest.Product{lynctest.Lync2013, lynctest.SfB2015} {
		for _, param := range []string{lynctest.XmppFederationRoute, lynctest.XmppExternalFederationRoute} {
			for _, https := range []bool{false, true} {
				vs = append(vs, variant{p, param, https})
			}
		}
	}
	return vs
}

func newDeployment(t testing.TB, cfg lynctest.Config) *lynctest.Deployment {
	t.Helper()
	if cfg.MaxOperationTimeout == 0 {
		cfg.MaxOperationTimeout = 200 * time.Millisecond
	}
	d, err := lynctest.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(d.Close)
	return d
}

// endpoint reaches host of d (see lynclab.Endpoint).
func endpoint(d *lynctest.Deployment, host string, https bool) winrm.Endpoint {
	return lynclab.Endpoint(d, host, https)
}

func newRunner(t testing.TB, ep winrm.Endpoint, opts winrm.Options) *winrm.WinRM {
	t.Helper()
	w, err := winrm.NewWinRM(ep, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = w.Close() })
	return w
}

func newClient(t testing.TB, d *lynctest.Deployment, https bool, opts winrm.Options) *lync.Client {
	t.Helper()
	return lync.NewClient(newRunner(t, endpoint(d, feHost, https), opts), lync.ClientOptions{})
}
