package dnstest_test

import (
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"
	"github.com/xmppfed/edgefailover/xmppdns/dnstest"
)

const zoneText = `$TTL 300
@        IN SOA ns1 hostmaster 10 3600 600 86400 60
@        IN NS  ns1
@        IN NS  ns2
ns1      IN A   192.0.2.1
ns2      IN A   192.0.2.2
xmpp     IN A   192.0.2.10
_xmpp-server._tcp IN SRV 10 0 5269 xmpp.example.test.
`

func rr(t testing.TB, s string) dns.RR {
	t.Helper()
	r, err := dns.NewRR(s)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// start serves example.test with one key and returns the server and key.
func start(t testing.TB, cfg dnstest.Config) (*dnstest.Server, *dnstest.Zone, dnstest.Key) {
	t.Helper()
	z, err := dnstest.ParseZone("example.test", zoneText)
	if err != nil {
		t.Fatal(err)
	}
	k, err := dnstest.NewKey("update-key.", dns.HmacSHA256)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Zones = append(cfg.Zones, z)
	cfg.Keys = append(cfg.Keys, k)
	s, err := dnstest.Start(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, z, k
}

func exchange(t testing.TB, addr, network string, m *dns.Msg, k *dnstest.Key) (*dns.Msg, error) {
	t.Helper()
	c := &dns.Client{Net: network, Timeout: 2 * time.Second}
	if k != nil {
		c.TsigSecret = map[string]string{dns.Fqdn(k.Name): k.Secret}
		m.SetTsig(dns.Fqdn(k.Name), dns.CanonicalName(k.Algorithm), 300, time.Now().Unix())
	}
	r, _, err := c.Exchange(m, addr)
	return r, err
}

func ask(t testing.TB, addr, network, name string, qtype uint16) *dns.Msg {
	t.Helper()
	m := new(dns.Msg)
	m.SetQuestion(name, qtype)
	m.RecursionDesired = false
	r, err := exchange(t, addr, network, m, nil)
	if err != nil {
		t.Fatalf("query %s %s: %v", name, dns.TypeToString[qtype], err)
	}
	return r
}

func update(zone string, f func(*dns.Msg)) *dns.Msg {
	m := new(dns.Msg)
	m.SetUpdate(zone)
	f(m)
	return m
}

func rrStrings(rrs []dns.RR) string {
	var b []string
	for _, r := range rrs {
		b = append(b, r.String())
	}
	return strings.Join(b, "\n")
}
