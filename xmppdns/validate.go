package xmppdns

import (
	"fmt"
	"net/netip"
	"strings"
	"time"

	"github.com/xmppfed/edgefailover/internal/dnsname"
)

// TTL bounds accepted for records written by this package. A TTL of 0 in a
// desired set means "keep the current TTL, or the zone's default when the
// RRset is new".
const (
	MinTTL = time.Second
	MaxTTL = 7 * 24 * time.Hour
)

// DefaultPort is the XMPP server-to-server port (RFC 6120 §3.2.1), the one
// the runbook's SRV record must carry.
const DefaultPort uint16 = 5269

// parseZone validates a zone name given with or without the trailing dot
// and returns it absolute, in lower case.
func parseZone(zone string) (string, error) {
	name, err := dnsname.ParseFQDN(zone)
	if err != nil {
		return "", &InputError{Field: "zone", Value: zone, Reason: nameReason(err)}
	}
	return name + ".", nil
}

// inZone validates a host or domain name given by a caller (with or without
// the trailing dot) and checks that it lies in the zone. It returns the
// absolute lower-case name.
func inZone(field, name, zone string) (string, error) {
	n, err := dnsname.ParseFQDN(name)
	if err != nil {
		return "", &InputError{Field: field, Value: name, Reason: nameReason(err)}
	}
	if !dnsname.IsSubdomain(n, zone) {
		return "", inputErr(field, name, "outside the zone %s", zone)
	}
	return n + ".", nil
}

// ownerInZone is inZone for owner names, which may carry service labels
// ("_xmpp-server._tcp.contoso.com").
func ownerInZone(field, name, zone string) (string, error) {
	n, err := dnsname.ParseOwner(name)
	if err != nil {
		return "", &InputError{Field: field, Value: name, Reason: nameReason(err)}
	}
	if !dnsname.IsSubdomain(n, zone) {
		return "", inputErr(field, name, "outside the zone %s", zone)
	}
	return n + ".", nil
}

func lowerAbs(name string) string { return strings.ToLower(dnsname.Absolute(name)) }

func checkTTL(field string, ttl time.Duration) error {
	if ttl == 0 {
		return nil
	}
	if ttl < MinTTL || ttl > MaxTTL {
		return inputErr(field, ttl.String(), "TTL must be between %s and %s (or 0 for the default)", MinTTL, MaxTTL)
	}
	if ttl%time.Second != 0 {
		return inputErr(field, ttl.String(), "TTL must be a whole number of seconds")
	}
	return nil
}

// checkSRVs validates an SRV set and returns its canonical rdata. A set is
// either exactly one "." record with port, priority and weight 0 (service
// decidedly not available) or one or more records with host targets
// (fully qualified, with or without the trailing dot) and non-zero ports, without duplicate target:port pairs.
func checkSRVs(field string, srvs []SRV) ([]string, error) {
	if len(srvs) == 0 {
		return nil, inputErr(field, "", "an SRV set needs at least one target (use NotAvailable() to publish \".\")")
	}
	seen := make(map[string]bool, len(srvs))
	data := make([]string, 0, len(srvs))
	for i, s := range srvs {
		f := fmt.Sprintf("%s[%d]", field, i)
		if s.Target == "." {
			if len(srvs) != 1 {
				return nil, inputErr(f+".Target", s.Target, "a \".\" target must be the only record of its set")
			}
			if s.Port != 0 || s.Priority != 0 || s.Weight != 0 {
				return nil, inputErr(f, s.String(), "a \".\" record carries priority, weight and port 0")
			}
			return []string{"0 0 0 ."}, nil
		}
		t, err := dnsname.ParseFQDN(s.Target)
		if err != nil {
			return nil, &InputError{Field: f + ".Target", Value: s.Target, Reason: nameReason(err)}
		}
		if s.Port == 0 {
			return nil, inputErr(f+".Port", "0", "port 0 is not a service port (XMPP s2s uses %d)", DefaultPort)
		}
		hp := fmt.Sprintf("%s:%d", t, s.Port)
		if seen[hp] {
			return nil, inputErr(f, s.String(), "duplicate target and port")
		}
		seen[hp] = true
		data = append(data, fmt.Sprintf("%d %d %d %s.", s.Priority, s.Weight, s.Port, t))
	}
	return normalizeData("SRV", data), nil
}

// checkAddrs validates addresses and splits them into A and AAAA rdata.
func checkAddrs(field string, ips []netip.Addr) (v4, v6 []string, err error) {
	if len(ips) == 0 {
		return nil, nil, inputErr(field, "", "at least one address is needed")
	}
	seen := make(map[netip.Addr]bool, len(ips))
	for i, ip := range ips {
		f := fmt.Sprintf("%s[%d]", field, i)
		switch {
		case !ip.IsValid():
			return nil, nil, inputErr(f, "", "not a valid IP address")
		case ip.Zone() != "":
			return nil, nil, inputErr(f, ip.String(), "an address with a zone cannot be published")
		case ip.Unmap().IsUnspecified(), ip.Unmap().IsMulticast():
			return nil, nil, inputErr(f, ip.String(), "not a unicast address")
		}
		ip = ip.Unmap()
		if seen[ip] {
			return nil, nil, inputErr(f, ip.String(), "duplicate address")
		}
		seen[ip] = true
		if ip.Is4() {
			v4 = append(v4, ip.String())
		} else {
			v6 = append(v6, ip.String())
		}
	}
	return normalizeData("A", v4), normalizeData("AAAA", v6), nil
}
