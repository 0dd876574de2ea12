package failovertest_test

import (
	"errors"
	"testing"
	"time"

	"github.com/xmppfed/edgefailover/failover/failovertest"
	"github.com/xmppfed/edgefailover/lync/lynctest"
)

func TestOptionsRefused(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		opts  failovertest.Options
		field string
	}{
		{"negative servers", failovertest.Options{ServersPerPool: -1}, "ServersPerPool"},
		{"too many servers", failovertest.Options{ServersPerPool: 27}, "ServersPerPool"},
		{"unknown product", failovertest.Options{Product: 9}, "Product"},
		{"unknown route parameter", failovertest.Options{RouteParameter: "XmppRoute"}, "RouteParameter"},
		{"too many nameservers", failovertest.Options{Nameservers: 10}, "Nameservers"},
		{"negative nameservers", failovertest.Options{Nameservers: -2}, "Nameservers"},
		{"negative lag", failovertest.Options{SecondaryLag: -time.Second}, "SecondaryLag"},
		{"negative scale", failovertest.Options{Latency: lynctest.Latency{Scale: -1}}, "Latency.Scale"},
		{"bad domain", failovertest.Options{Domains: []string{"contoso.com", "bad domain"}}, "Domains[1]"},
		{"single label", failovertest.Options{Domains: []string{"localhost"}}, "Domains[0]"},
		{"quote", failovertest.Options{Domains: []string{"a'b.com"}}, "Domains[0]"},
		{"duplicate", failovertest.Options{Domains: []string{"contoso.com", "CONTOSO.com."}}, "Domains[1]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			lab, err := failovertest.New(tt.opts)
			if err == nil {
				lab.Close()
				t.Fatal("New accepted the options")
			}
			var oe *failovertest.OptionError
			if !errors.As(err, &oe) || !errors.Is(err, failovertest.ErrBadOptions) || oe.Field != tt.field {
				t.Errorf("New: %v; want an *OptionError for %s matching ErrBadOptions", err, tt.field)
			}
		})
	}
}

func TestOptionsDefaults(t *testing.T) {
	t.Parallel()
	lab := failovertest.Start(t, failovertest.Options{})
	o := lab.Options()
	if o.ServersPerPool != 2 || o.Nameservers != 3 || o.Product != lynctest.SfB2015 ||
		o.RouteParameter != lynctest.XmppFederationRoute || len(o.Domains) != 2 {
		t.Errorf("defaults: %+v", o)
	}
	if got := len(lab.DNS().Servers()); got != 3 {
		t.Errorf("%d name servers, want 3", got)
	}
	if lab.Deployment().Product() != lynctest.SfB2015 || lab.Deployment().RouteParameter() != lynctest.XmppFederationRoute {
		t.Errorf("deployment: %v %s", lab.Deployment().Product(), lab.Deployment().RouteParameter())
	}
}

// TestZonesOfDomains: domains inside contoso.com share its zone; others get
// their own, and a subdomain of another listed domain lives in that one.
func TestZonesOfDomains(t *testing.T) {
	t.Parallel()
	lab := failovertest.Start(t, failovertest.Options{
		Nameservers: 1,
		Domains:     []string{"eu.example.org", "sub.contoso.com", "example.org"},
	})
	var names []string
	for _, z := range lab.Zones() {
		names = append(names, z.Name())
	}
	if len(names) != 2 || names[0] != "contoso.com." || names[1] != "example.org." {
		t.Errorf("zones %v, want [contoso.com. example.org.]", names)
	}
	for d, want := range map[string]string{"eu.example.org": "example.org.", "sub.contoso.com": "contoso.com.", "example.org": "example.org."} {
		if z := lab.ZoneOf(d); z == nil || z.Name() != want {
			t.Errorf("ZoneOf(%s) = %v, want %s", d, z, want)
		}
	}
	if lab.ZoneOf("fabrikam.com") != nil || lab.Zone("fabrikam.com") != nil {
		t.Error("fabrikam.com has a zone although it is not a domain of the lab")
	}
	addrs := lab.NameserverAddrs()
	if len(addrs) != 2 || addrs["ns1.contoso.com."] != lab.DNS().Primary.Addr || addrs["ns1.example.org."] != lab.DNS().Primary.Addr {
		t.Errorf("NameserverAddrs = %v", addrs)
	}
}
