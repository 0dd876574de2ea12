package lynctest_test

import (
	"errors"
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
