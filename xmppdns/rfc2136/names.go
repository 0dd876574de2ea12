package rfc2136

import (
	"strings"

	"github.com/libdns/libdns"
	"github.com/miekg/dns"
	"github.com/xmppfed/edgefailover/internal/dnsname"
)

// parseZone validates a zone name and returns it absolute, in lower case.
func parseZone(zone string) (string, error) {
	n, err := dnsname.ParseOwner(zone)
	if err != nil {
		return "", invalid("zone", zone, "%v", err)
	}
	return n + ".", nil
}

// absName returns the absolute, lower-case owner name of a record name
// relative to zone ("@" is the apex; an absolute name must lie in the zone).
func absName(name, zone string) (string, error) {
	if name == "" {
		return "", invalid("name", name, `a record name is required ("@" for the apex)`)
	}
	n, err := dnsname.ParseOwner(libdns.AbsoluteName(name, zone))
	if err != nil {
		return "", invalid("name", name, "%v", err)
	}
	if !dnsname.IsSubdomain(n, zone) {
		return "", invalid("name", name, "lies outside zone %s", zone)
	}
	return n + ".", nil
}

// parseType returns the RR type for a libdns type string. Meta types are
// refused, and so is SOA (which the server maintains) for writes.
func parseType(s string, write bool) (uint16, error) {
	t, ok := dns.StringToType[strings.ToUpper(s)]
	if !ok {
		return 0, invalid("type", s, "unknown record type")
	}
	switch t {
	case dns.TypeSOA:
		if !write {
			return t, nil
		}
		return 0, invalid("type", s, "the SOA is maintained by the server")
	case dns.TypeANY, dns.TypeAXFR, dns.TypeIXFR, dns.TypeOPT, dns.TypeTSIG, dns.TypeTKEY, dns.TypeNone, dns.TypeMAILA, dns.TypeMAILB:
		return 0, invalid("type", s, "a meta type cannot be a record")
	}
	return t, nil
}

// relName is the libdns form of an owner name in zone.
func relName(owner, zone string) string {
	return libdns.RelativeName(dns.CanonicalName(owner), zone)
}
