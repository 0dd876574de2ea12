package lynctest_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/xmppfed/edgefailover/lync/lynctest"
)

func TestNewRefusesBadConfigs(t *testing.T) {
	t.Parallel()
	edge := func(fqdn, site string) lynctest.Pool {
		return lynctest.Pool{FQDN: fqdn, Site: site, Role: lynctest.Edge, Servers: []lynctest.Server{{FQDN: "e1." + fqdn}}}
	}
	tests := []struct {
		name string
		mut  func(*lynctest.Config)
	}{
		{"no sites", func(c *lynctest.Config) { c.Sites = nil }},
		{"site twice", func(c *lynctest.Config) { c.Sites = append(c.Sites, lynctest.Site{Name: "site1"}) }},
		{"bad product", func(c *lynctest.Config) { c.Product = 9 }},
		{"bad route parameter", func(c *lynctest.Config) { c.RouteParameter = "XmppRoute" }},
		{"pool in unknown site", func(c *lynctest.Config) { c.Pools = append(c.Pools, edge("p2.contoso.com", "Nowhere")) }},
		{"bad pool fqdn", func(c *lynctest.Config) { c.Pools = append(c.Pools, edge("p2 .contoso.com", "Site1")) }},
		{"server in two pools", func(c *lynctest.Config) {
			p := edge("p2.contoso.com", "Site1")
			p.Servers = c.Pools[0].Servers
			c.Pools = append(c.Pools, p)
		}},
		{"route to unknown pool", func(c *lynctest.Config) { c.Sites[0].XmppRoute = "EdgeServer:nope.contoso.com" }},
		{"bare route", func(c *lynctest.Config) { c.Sites[0].XmppRoute = "p1.contoso.com" }},
		{"no role", func(c *lynctest.Config) { c.Pools[0].Role = 0 }},
		{"no servers", func(c *lynctest.Config) { c.Pools[0].Servers = nil }},
		{"duplicate service", func(c *lynctest.Config) {
			c.Pools[0].Servers[0].Services = []lynctest.Service{{Name: "RTCSRV"}, {Name: "rtcsrv"}}
		}},
		{"negative latency", func(c *lynctest.Config) { c.Latency.ServiceStop = -time.Second }},
	}
	for _, tt := range tests {
		cfg := lynctest.Config{Sites: []lynctest.Site{{Name: "Site1"}}, Pools: []lynctest.Pool{edge("p1.contoso.com", "Site1")}}
		tt.mut(&cfg)
		if d, err := lynctest.New(cfg); !errors.Is(err, lynctest.ErrBadConfig) {
			if d != nil {
				d.Close()
			}
			t.Errorf("%s: err = %v, want ErrBadConfig", tt.name, err)
		}
	}
}

func TestNames(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ got, want string }{
		{lynctest.FaultNoise.String(), "FaultNoise"}, {lynctest.FaultSOAP.String(), "FaultSOAP"},
		{lynctest.FaultKind(99).String(), "FaultKind(99)"}, {lynctest.StopPending.String(), "StopPending"},
		{lynctest.Lync2013.Module(), "Lync"}, {lynctest.SfB2015.Module(), "SkypeForBusiness"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

func TestHostsAndAccessors(t *testing.T) {
	t.Parallel()
	cfg := testConfig()
	cfg.Product, cfg.RouteParameter = lynctest.Lync2013, lynctest.XmppExternalFederationRoute
	d := start(t, cfg)
	if d.Product() != lynctest.Lync2013 || d.RouteParameter() != lynctest.XmppExternalFederationRoute {
		t.Fatalf("product %v route %s", d.Product(), d.RouteParameter())
	}
	var names []string
	for _, h := range d.Hosts() {
		names = append(names, h.FQDN()+"@"+h.Pool())
	}
	want := "admin.contoso.com@ edge01.contoso.com@edgepool1.contoso.com edge02.contoso.com@edgepool1.contoso.com " +
		"edge03.contoso.com@edgepool2.contoso.com edge04.contoso.com@edgepool3.contoso.com fe01.contoso.com@fepool1.contoso.com"
	if got := strings.Join(names, " "); got != want {
		t.Fatalf("hosts %s", got)
	}
	h := d.Host("EDGE01.contoso.com.")
	if h.URL() != "http://edge01.contoso.com:5985/wsman" || h.TLSURL() != "https://edge01.contoso.com:5986/wsman" ||
		!strings.HasPrefix(h.TLSAddr(), "127.0.0.1:") || h.TLSAddr() == h.Addr() || d.Host("nope.contoso.com") != nil {
		t.Fatalf("accessors %s %s %s %s", h.URL(), h.TLSURL(), h.Addr(), h.TLSAddr())
	}
	if d.CertPool() == nil || len(d.CACertPEM()) == 0 {
		t.Fatal("no CA")
	}
	if err := d.SetLatency(lynctest.Latency{Scale: -1}); !errors.Is(err, lynctest.ErrBadConfig) {
		t.Fatalf("SetLatency: %v", err)
	}
	if err := d.SetServiceStatus("edge01.contoso.com", "NOPE", lynctest.Stopped); !errors.Is(err, lynctest.ErrUnknown) {
		t.Fatalf("SetServiceStatus: %v", err)
	}
	if _, err := d.Inject(lynctest.Fault{Kind: lynctest.FaultRefuse}); err != nil {
		t.Fatal(err)
	}
	d.ClearFaults()
	if _, err := d.DialContext(t.Context(), "tcp", "edge01.contoso.com:5985"); err != nil {
		t.Fatalf("after ClearFaults: %v", err)
	}
	d.ResetCounters()
	if c := d.Counters(); c.Total() != 0 || c.Shells != 0 {
		t.Fatalf("after reset %+v", c)
	}
}
