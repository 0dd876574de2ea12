package failovertest

import (
	"fmt"
	"net/netip"
	"sort"
	"strings"

	"github.com/miekg/dns"

	"github.com/xmppfed/edgefailover/internal/dnsname"
	"github.com/xmppfed/edgefailover/xmppdns/dnstest"
)

// Record TTLs of a lab's zones.
const (
	recordTTL = 300  // SRV and A records of federation
	infraTTL  = 3600 // SOA, NS and name server addresses
)

// zonePlan says which zone holds each domain: contoso.com first, then, in
// order of label count, every domain not inside a zone already listed.
type zonePlan struct {
	origins []string          // absolute, lower case; FederationZone first
	of      map[string]string // domain -> origin
}

func planZones(domains []string) zonePlan {
	zp := zonePlan{origins: []string{FederationZone}, of: make(map[string]string, len(domains))}
	sorted := append([]string(nil), domains...)
	sort.SliceStable(sorted, func(i, j int) bool {
		return strings.Count(sorted[i], ".") < strings.Count(sorted[j], ".")
	})
	for _, d := range sorted {
		for _, o := range zp.origins {
			if dnsname.IsSubdomain(d, o) {
				zp.of[d] = o
				break
			}
		}
		if zp.of[d] == "" {
			o := dnsname.Absolute(d)
			zp.origins = append(zp.origins, o)
			zp.of[d] = o
		}
	}
	return zp
}

// buildZones returns the dnstest zones of a lab: per zone SOA, NS
// ns1..ns<n>.<zone> with A 127.0.0.1 (the real ports are in
// Lab.NameserverAddrs), the SRV set of every domain it holds, and in
// contoso.com the federation host and the Access Edge addresses.
func buildZones(zp zonePlan, domains []string, nameservers int, specs []poolSpec) ([]*dnstest.Zone, error) {
	zones := make([]*dnstest.Zone, 0, len(zp.origins))
	for _, origin := range zp.origins {
		lines := []string{
			fmt.Sprintf("%s %d IN SOA ns1.%s hostmaster.%s 1 3600 600 86400 60", origin, infraTTL, origin, origin),
		}
		for i := 1; i <= nameservers; i++ {
			lines = append(lines,
				fmt.Sprintf("%s %d IN NS ns%d.%s", origin, infraTTL, i, origin),
				fmt.Sprintf("ns%d.%s %d IN A 127.0.0.1", i, origin, infraTTL))
		}
		if origin == FederationZone {
			lines = append(lines, addrLine(FederationHost, specs[0].ip))
			for _, s := range specs {
				lines = append(lines, addrLine(s.access, s.ip))
			}
		}
		for _, d := range domains {
			if zp.of[d] == origin {
				lines = append(lines, fmt.Sprintf("_xmpp-server._tcp.%s. %d IN SRV 10 0 %d %s.",
					d, recordTTL, XMPPPort, FederationHost))
			}
		}
		rrs := make([]dns.RR, 0, len(lines))
		for _, l := range lines {
			rr, err := dns.NewRR(l)
			if err != nil {
				return nil, fmt.Errorf("failovertest: zone %s: %q: %w", origin, l, err)
			}
			rrs = append(rrs, rr)
		}
		z, err := dnstest.NewZone(origin, rrs...)
		if err != nil {
			return nil, fmt.Errorf("failovertest: zone %s: %w", origin, err)
		}
		zones = append(zones, z)
	}
	return zones, nil
}

func addrLine(host string, ip netip.Addr) string {
	t := "A"
	if ip.Is6() {
		t = "AAAA"
	}
	return fmt.Sprintf("%s. %d IN %s %s", host, recordTTL, t, ip)
}
