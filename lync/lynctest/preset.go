package lynctest

// The names of the TwoSites topology.
const (
	Site1          = "Site1"                 // holds the Front End pool and EdgePool1; routes XMPP through EdgePool1
	Site2          = "Site2"                 // holds EdgePool2, the pool a failover moves federation to
	FrontEndPool1  = "fepool1.contoso.com"   // the Front End pool, in Site1
	FrontEndServer = "fe01.contoso.com"      // its server unless TwoSitesOptions.FrontEndServer says otherwise
	EdgePool1      = "edgepool1.contoso.com" // the Edge pool hosting XMPP federation, in Site1
	EdgePool2      = "edgepool2.contoso.com" // the other Edge pool, in Site2
)

// TwoSitesOptions name the servers of the TwoSites topology. The zero value
// gives the default names.
type TwoSitesOptions struct {
	// FrontEndServer is the server of FrontEndPool1; "" means FrontEndServer.
	FrontEndServer string
	// Pool1Servers are the servers of EdgePool1; nil means
	// edge01.contoso.com and edge02.contoso.com.
	Pool1Servers []string
	// Pool2Servers are the servers of EdgePool2; nil means
	// edge03.contoso.com.
	Pool2Servers []string
	// Access1 and Access2 are the AccessEdgeExternalFQDN of EdgePool1 and
	// EdgePool2; "" leaves them unset.
	Access1, Access2 string
}

// TwoSites returns the topology the runbook fails over in, the one most
// tests of this SDK start from: Site1 holds the Front End pool FrontEndPool1
// (one server) and the Edge pool EdgePool1, and its XMPP federation route is
// "EdgeServer:" + EdgePool1; Site2 holds the Edge pool EdgePool2 and has no
// route. XMPP federation is enabled on both Edge pools. Every other field is
// Config's zero value (SfB2015, default route parameter and latency).
//
// The result is a plain Config to edit before New, in a fixed order: Sites
// are [Site1, Site2]; Pools are [FrontEndPool1, EdgePool1, EdgePool2].
func TwoSites(o TwoSitesOptions) Config {
	fe := o.FrontEndServer
	if fe == "" {
		fe = FrontEndServer
	}
	p1, p2 := o.Pool1Servers, o.Pool2Servers
	if p1 == nil {
		p1 = []string{"edge01.contoso.com", "edge02.contoso.com"}
	}
	if p2 == nil {
		p2 = []string{"edge03.contoso.com"}
	}
	return Config{
		Sites: []Site{
			{Name: Site1, XmppRoute: "EdgeServer:" + EdgePool1},
			{Name: Site2},
		},
		Pools: []Pool{
			{FQDN: FrontEndPool1, Site: Site1, Role: FrontEnd, Servers: servers(fe)},
			{FQDN: EdgePool1, Site: Site1, Role: Edge, AccessEdgeExternalFQDN: o.Access1, Servers: servers(p1...)},
			{FQDN: EdgePool2, Site: Site2, Role: Edge, AccessEdgeExternalFQDN: o.Access2, Servers: servers(p2...)},
		},
	}
}

func servers(fqdns ...string) []Server {
	out := make([]Server, len(fqdns))
	for i, f := range fqdns {
		out[i] = Server{FQDN: f}
	}
	return out
}
