package failovertest

import (
	"fmt"
	"strings"

	"github.com/miekg/dns"

	"github.com/xmppfed/edgefailover/xmppdns"
	"github.com/xmppfed/edgefailover/xmppdns/dnstest"
	"github.com/xmppfed/edgefailover/xmppdns/rfc2136"
)

// startDNS starts the name servers, the TSIG key, the provider and the
// xmppdns zones.
func (l *Lab) startDNS(specs []poolSpec) error {
	l.zp = planZones(l.opts.Domains)
	zones, err := buildZones(l.zp, l.opts.Domains, l.opts.Nameservers, specs)
	if err != nil {
		return err
	}
	key, err := dnstest.NewKey(UpdateKeyName, dns.HmacSHA256)
	if err != nil {
		return fmt.Errorf("failovertest: TSIG key: %w", err)
	}
	c, err := dnstest.StartCluster(dnstest.Config{Zones: zones, Keys: []dnstest.Key{key}, Lag: l.opts.SecondaryLag},
		l.opts.Nameservers-1)
	if err != nil {
		return fmt.Errorf("failovertest: name servers: %w", err)
	}
	l.cluster = c
	l.prov = &rfc2136.Provider{
		Server:    c.Primary.Addr,
		KeyName:   key.Name,
		Algorithm: "hmac-sha256",
		Secret:    rfc2136.Secret(key.Secret),
	}
	l.dnsZone = make(map[string]*dnstest.Zone, len(zones))
	l.zones = make(map[string]*xmppdns.Zone, len(zones))
	l.nsAddrs = make(map[string]string)
	addrs := c.Addrs()
	for _, z := range zones {
		origin := z.Origin()
		xz, err := xmppdns.NewZone(origin, l.prov, xmppdns.ZoneOptions{})
		if err != nil {
			_ = c.Close()
			return fmt.Errorf("failovertest: zone %s: %w", origin, err)
		}
		l.dnsZone[origin] = z
		l.zones[origin] = xz
		for i, a := range addrs {
			l.nsAddrs[fmt.Sprintf("ns%d.%s", i+1, origin)] = a
		}
	}
	return nil
}

func canonOrigin(name string) string {
	return strings.ToLower(strings.TrimSuffix(name, ".")) + "."
}

// Provider returns the rfc2136 provider of the lab: the primary name server,
// with a TSIG key every zone accepts updates from.
func (l *Lab) Provider() *rfc2136.Provider { return l.prov }

// Zone returns the xmppdns zone with that origin ("contoso.com", with or
// without the trailing dot), or nil.
func (l *Lab) Zone(origin string) *xmppdns.Zone { return l.zones[canonOrigin(origin)] }

// Zones returns the xmppdns zones, FederationZone first.
func (l *Lab) Zones() []*xmppdns.Zone {
	out := make([]*xmppdns.Zone, len(l.zp.origins))
	for i, o := range l.zp.origins {
		out[i] = l.zones[o]
	}
	return out
}

// ZoneOf returns the xmppdns zone that holds the SRV set of a SIP domain of
// the lab, or nil for another domain.
func (l *Lab) ZoneOf(domain string) *xmppdns.Zone {
	o, ok := l.zp.of[strings.ToLower(strings.TrimSuffix(domain, "."))]
	if !ok {
		return nil
	}
	return l.zones[o]
}

// NameserverAddrs maps every NS host of every zone ("ns2.contoso.com.") to
// the 127.0.0.1 address of the server it stands for (ns1 is the primary):
// the map xmppdns.Authoritative.Addrs takes. The zones give each NS the
// address 127.0.0.1 on port 53, which nothing serves.
func (l *Lab) NameserverAddrs() map[string]string {
	out := make(map[string]string, len(l.nsAddrs))
	for k, v := range l.nsAddrs {
		out[k] = v
	}
	return out
}

// ResolverAddrs returns the addresses to use as resolvers: every name server
// of the lab, primary first. Each serves every zone of the lab, so it answers
// the questions of a recursive resolver for them (and REFUSED for others).
func (l *Lab) ResolverAddrs() []string { return l.cluster.Addrs() }

// Authoritative returns a checker of the lab's zones on every name server,
// ready to use; change its fields before first use if needed.
func (l *Lab) Authoritative() *xmppdns.Authoritative {
	return &xmppdns.Authoritative{Resolvers: l.ResolverAddrs(), Addrs: l.NameserverAddrs()}
}

// Resolver returns a resolver that sees the lab's zones as a remote XMPP
// server would, ready to use; change its fields before first use if needed.
func (l *Lab) Resolver() *xmppdns.Resolver {
	return &xmppdns.Resolver{Servers: l.ResolverAddrs()}
}
