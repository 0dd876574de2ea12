package failover_test

import (
	"context"
	"errors"
	"net/netip"
	"slices"
	"testing"

	"github.com/xmppfed/edgefailover/failover"
	"github.com/xmppfed/edgefailover/failover/failovertest"
	"github.com/xmppfed/edgefailover/failover/preflight"
)

// Failback swaps the pools, the sites and the addresses, drops Servers,
// keeps the rest, and shares no slice with the forward config.
func TestFailback(t *testing.T) {
	t.Parallel()
	lab := failovertest.Start(t, failovertest.Options{ServersPerPool: 1})
	fwd := forward(lab)
	fwd.Servers = []string{"edge2a.contoso.com"}
	fwd.Addresses = []netip.Addr{netip.MustParseAddr("192.0.2.20")}
	fwd.ReplacedAddresses = []netip.Addr{netip.MustParseAddr("192.0.2.10")}
	fwd.ClearReplacedRoute = true
	fwd.Preflight.AcceptWarnings = []preflight.Check{preflight.CheckPartners}
	bk, err := fwd.Failback()
	if err != nil {
		t.Fatal(err)
	}
	if bk.TargetPool != failovertest.SourcePool || bk.ReplacedPool != failovertest.TargetPool ||
		bk.Site != failovertest.SourceSite || bk.ReplacedSite != failovertest.TargetSite {
		t.Errorf("failback: target %s (site %s), replaced %s (site %s)", bk.TargetPool, bk.Site, bk.ReplacedPool, bk.ReplacedSite)
	}
	if !slices.Equal(bk.Addresses, fwd.ReplacedAddresses) || !slices.Equal(bk.ReplacedAddresses, fwd.Addresses) {
		t.Errorf("failback addresses %v (replaced %v): never the forward ones", bk.Addresses, bk.ReplacedAddresses)
	}
	if bk.Servers != nil {
		t.Errorf("failback keeps the forward servers %v", bk.Servers)
	}
	if bk.Management != fwd.Management || bk.FederationHost != fwd.FederationHost || !bk.ClearReplacedRoute ||
		len(bk.Domains) != len(fwd.Domains) || bk.Timeouts != fwd.Timeouts || bk.Verify.Authoritative != fwd.Verify.Authoritative ||
		!slices.Equal(bk.Preflight.AcceptWarnings, fwd.Preflight.AcceptWarnings) {
		t.Errorf("failback changed a field it should keep: %+v", bk)
	}
	bk.Addresses[0] = netip.MustParseAddr("192.0.2.99")
	bk.Domains[0].Name = "changed.example"
	bk.Preflight.AcceptWarnings[0] = preflight.CheckVersion
	if fwd.ReplacedAddresses[0].String() != "192.0.2.10" || fwd.Domains[0].Name == "changed.example" ||
		fwd.Preflight.AcceptWarnings[0] != preflight.CheckPartners {
		t.Errorf("the failback shares a slice with the forward config: %+v", fwd)
	}
	// The failback of the failback is the forward config (without Servers).
	again, err := bk.Failback()
	if err != nil || again.TargetPool != fwd.TargetPool || again.Site != fwd.Site || !slices.Equal(again.ReplacedAddresses, bk.Addresses) {
		t.Errorf("failback of the failback: %+v, %v", again, err)
	}
}

// A config that names no replaced pool or site has no failback.
func TestFailbackNeedsReplaced(t *testing.T) {
	t.Parallel()
	for field, edit := range map[string]func(*failover.Config){
		"ReplacedPool": func(c *failover.Config) { c.ReplacedPool = "" },
		"ReplacedSite": func(c *failover.Config) { c.ReplacedSite = "" },
	} {
		c := failover.Config{TargetPool: "edgepool2.contoso.com", Site: "Site2",
			ReplacedPool: "edgepool1.contoso.com", ReplacedSite: "Site1"}
		edit(&c)
		_, err := c.Failback()
		var ce *failover.ConfigError
		if !errors.Is(err, failover.ErrInvalidConfig) || !errors.As(err, &ce) || ce.Field != field {
			t.Errorf("Failback without %s: %v", field, err)
		}
	}
}

// New refuses replaced addresses no federation host can have, and one
// that is also a forward address (the failback would publish it).
func TestReplacedAddressesValidated(t *testing.T) {
	t.Parallel()
	lab := failovertest.Start(t, failovertest.Options{ServersPerPool: 1})
	for name, tc := range map[string]struct {
		fwd, replaced []netip.Addr
		field         string
	}{
		"unspecified": {nil, []netip.Addr{netip.IPv4Unspecified()}, "ReplacedAddresses[0]"},
		"twice": {nil, []netip.Addr{netip.MustParseAddr("192.0.2.10"), netip.MustParseAddr("192.0.2.10")},
			"ReplacedAddresses[1]"},
		"forward address": {[]netip.Addr{netip.MustParseAddr("192.0.2.20")},
			[]netip.Addr{netip.MustParseAddr("192.0.2.10"), netip.MustParseAddr("192.0.2.20")}, "ReplacedAddresses[1]"},
	} {
		c := forward(lab)
		c.Addresses, c.ReplacedAddresses = tc.fwd, tc.replaced
		_, err := failover.New(context.Background(), c)
		var ce *failover.ConfigError
		if !errors.As(err, &ce) || ce.Field != tc.field {
			t.Errorf("%s: New = %v, want a *ConfigError on %s", name, err, tc.field)
		}
	}
}
