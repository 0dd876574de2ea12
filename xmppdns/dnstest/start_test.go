package dnstest_test

import (
	"net"
	"testing"
	"time"

	"github.com/miekg/dns"
	"github.com/xmppfed/edgefailover/xmppdns/dnstest"
)

func TestNewTestServer(t *testing.T) {
	t.Parallel()
	var addr string
	t.Run("serving", func(t *testing.T) {
		s := dnstest.NewTestServer(t, "example.test", zoneText)
		addr = s.Addr
		if s.Zone() == nil || s.Zone().Origin() != "example.test." {
			t.Fatalf("Zone() = %v", s.Zone())
		}
		if k := s.Key(); k.Name != dnstest.DefaultKeyName || k.Algorithm != dns.HmacSHA256 || k.Secret == "" {
			t.Fatalf("Key() = %v", k)
		}
		// Bound before NewTestServer returned: the first query is answered.
		up := new(dns.Msg)
		up.SetUpdate("example.test.")
		a, _ := dns.NewRR("new.example.test. 60 IN A 192.0.2.99")
		up.Insert([]dns.RR{a})
		k := s.Key()
		if r, err := exchange(t, s.Addr, "tcp", up, &k); err != nil || r.Rcode != dns.RcodeSuccess {
			t.Fatalf("signed UPDATE with Key(): %v, %v", r, err)
		}
	})
	// The test's cleanup closed it.
	if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		c.Close()
		t.Errorf("server at %s still listening after the test ended", addr)
	}
}

func TestNewServerPanicsOnABadZone(t *testing.T) {
	t.Parallel()
	defer func() {
		if recover() == nil {
			t.Error("NewServer did not panic on a zone that does not parse")
		}
	}()
	dnstest.NewServer("example.test", "@ IN SOA broken")
}

func TestServerWithoutKeys(t *testing.T) {
	t.Parallel()
	z, _ := dnstest.NewZone("example.test")
	s, err := dnstest.Start(dnstest.Config{Zones: []*dnstest.Zone{z}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if k := s.Key(); k != (dnstest.Key{}) {
		t.Errorf("Key() of a server without keys = %v", k)
	}
}
