package failovertest

import (
	"fmt"
	"net/netip"

	"github.com/xmppfed/edgefailover/edge/xmpptest"
	"github.com/xmppfed/edgefailover/lync/lynctest"
)

// The fixed names of a lab. Site1 hosts the XMPP federation route at the
// start (pointing at SourcePool); Site2 holds TargetPool, the pool a failover
// moves federation to, and has no XMPP route at the start.
const (
	SourceSite     = lynctest.Site1
	TargetSite     = lynctest.Site2
	SourcePool     = lynctest.EdgePool1
	TargetPool     = lynctest.EdgePool2
	FrontEndPool   = lynctest.FrontEndPool1
	ManagementHost = "fe1.contoso.com" // the Front End server whose management shell Management reaches
	FederationHost = "xmpp.contoso.com"
	FederationZone = "contoso.com."
	// XMPPPort is the only port Dial connects to.
	XMPPPort = 5269
)

// Pool describes one Edge pool of a lab.
type Pool struct {
	FQDN                   string     // e.g. "edgepool1.contoso.com"
	Site                   string     // "Site1" or "Site2"
	Servers                []string   // server FQDNs, e.g. "edge1a.contoso.com"
	AccessEdgeExternalFQDN string     // e.g. "access1.contoso.com"
	ExternalIP             netip.Addr // documentation address (192.0.2.10 / .20), never dialled: see Lab.Dial
	// Listener is the pool's XMPP server-to-server listener double on
	// 127.0.0.1; its Addr stays the same for the lab's life. The lab starts
	// and stops it (do not call Start or Stop); inject faults with SetFault.
	Listener *xmpptest.Server
}

// poolSpec is the static part of a Pool.
type poolSpec struct {
	fqdn, site, access string
	ip                 netip.Addr
	servers            []string
}

// poolSpecs returns the two Edge pools: pool n (1 or 2) is edgepool<n> in
// Site<n>, servers edge<n>a, edge<n>b, ..., Access Edge access<n>, external
// IP 192.0.2.<10n>.
func poolSpecs(serversPerPool int) []poolSpec {
	specs := make([]poolSpec, 2)
	for i := range specs {
		n := i + 1
		s := poolSpec{
			fqdn:   []string{SourcePool, TargetPool}[i], // lynctest.TwoSites's names
			site:   []string{SourceSite, TargetSite}[i],
			access: fmt.Sprintf("access%d.contoso.com", n),
			ip:     netip.AddrFrom4([4]byte{192, 0, 2, byte(10 * n)}),
		}
		for j := range serversPerPool {
			s.servers = append(s.servers, fmt.Sprintf("edge%d%c.contoso.com", n, 'a'+j))
		}
		specs[i] = s
	}
	return specs
}

// lyncConfig returns the lynctest topology of a lab: a Front End pool and
// Edge pool 1 in Site1 (whose XMPP route points at Edge pool 1), Edge pool 2
// in Site2, XMPP enabled on both Edge pools.
// (lynctest.TwoSites with the lab's server names).
func lyncConfig(o Options, specs []poolSpec) lynctest.Config {
	cfg := lynctest.TwoSites(lynctest.TwoSitesOptions{
		FrontEndServer: ManagementHost,
		Pool1Servers:   specs[0].servers, Access1: specs[0].access,
		Pool2Servers: specs[1].servers, Access2: specs[1].access,
	})
	cfg.Product, cfg.RouteParameter, cfg.Latency = o.Product, o.RouteParameter, o.Latency
	cfg.Federation = federation(o, specs)
	return cfg
}
