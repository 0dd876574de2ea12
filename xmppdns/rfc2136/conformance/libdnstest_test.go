package conformance

import (
	"testing"

	"github.com/libdns/libdns/libdnstest"
	"github.com/xmppfed/edgefailover/internal/testpeer"
	"github.com/xmppfed/edgefailover/xmppdns/rfc2136"
)

// zoneText is the zone the suite starts with: SOA, NS and the NS's address.
const zoneText = `$TTL 300
@    IN SOA ns1 hostmaster 1 3600 600 86400 60
@    IN NS  ns1
ns1  IN A   127.0.0.1
`

// TestLibdnstestBIND runs libdnstest unchanged against BIND. RFC 2136 has
// no way to list zones, so ListZones is skipped as unsupported
// (WrapNoZoneLister); GetRecords lists by AXFR, which the key may do. The
// suite's MX fixtures name in-zone hosts without addresses, which BIND
// refuses unless check-integrity is off.
func TestLibdnstestBIND(t *testing.T) {
	b := testpeer.StartBINDWith(t, "example.test", zoneText, testpeer.BINDOptions{ZoneOptions: "check-integrity no;"})
	p := &rfc2136.Provider{Server: b.Addr, KeyName: b.KeyName, Algorithm: "hmac-sha256", Secret: rfc2136.Secret(b.Secret)}
	libdnstest.NewTestSuite(libdnstest.WrapNoZoneLister(p), b.Zone).RunTests(t)
}
