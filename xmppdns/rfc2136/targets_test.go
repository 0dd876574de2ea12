package rfc2136_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/xmppfed/edgefailover/internal/testpeer"
	"github.com/xmppfed/edgefailover/xmppdns/dnstest"
	"github.com/xmppfed/edgefailover/xmppdns/rfc2136"
)

// newDNSTest serves the suite zone from dnstest and returns a provider for it.
func newDNSTest(t testing.TB) (target, *dnstest.Server, *dnstest.Zone) {
	t.Helper()
	return newDNSTestZone(t, suiteZoneText)
}

// newDNSTestZone serves zoneText as example.test. from dnstest.
func newDNSTestZone(t testing.TB, zoneText string) (target, *dnstest.Server, *dnstest.Zone) {
	t.Helper()
	s := dnstest.NewTestServer(t, "example.test", zoneText)
	z, k := s.Zone(), s.Key()
	p := &rfc2136.Provider{Server: s.Addr, KeyName: k.Name, Algorithm: "hmac-sha256", Secret: rfc2136.Secret(k.Secret)}
	return target{p: p, zone: "example.test.", addr: s.Addr}, s, z
}

// bulkZoneText is the suite zone with enough records that a transfer takes
// several messages.
func bulkZoneText() string {
	var b strings.Builder
	b.WriteString(suiteZoneText)
	for i := range bulkRecords {
		fmt.Fprintf(&b, "bulk%04d IN TXT \"%s\"\n", i, strings.Repeat("x", 80))
	}
	return b.String()
}

const bulkRecords = 1500

func TestSuiteDNSTest(t *testing.T) {
	tg, _, _ := newDNSTestZone(t, bulkZoneText())
	runSuite(t, tg)
}

func TestSuiteBIND(t *testing.T) {
	b := testpeer.StartBIND(t, "example.test", bulkZoneText())
	p := &rfc2136.Provider{Server: b.Addr, KeyName: b.KeyName, Algorithm: "hmac-sha256", Secret: rfc2136.Secret(b.Secret)}
	runSuite(t, target{p: p, zone: "example.test.", addr: b.Addr})
}
