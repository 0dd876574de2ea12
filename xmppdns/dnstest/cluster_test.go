package dnstest_test

import (
	"testing"
	"time"

	"github.com/miekg/dns"
	"github.com/xmppfed/edgefailover/xmppdns/dnstest"
)

func TestClusterSecondariesFollowAfterLag(t *testing.T) {
	t.Parallel()
	z, err := dnstest.ParseZone("example.test", zoneText)
	if err != nil {
		t.Fatal(err)
	}
	k, _ := dnstest.NewKey("k.", dns.HmacSHA256)
	c, err := dnstest.StartCluster(dnstest.Config{Zones: []*dnstest.Zone{z}, Keys: []dnstest.Key{k}, Lag: time.Hour}, 2)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if len(c.Addrs()) != 3 || c.Primary.Secondary() || !c.Secondaries[0].Secondary() {
		t.Fatalf("cluster layout: %v", c.Addrs())
	}
	m := update(zone, func(m *dns.Msg) { m.Insert([]dns.RR{rr(t, "new.example.test. 60 IN A 192.0.2.7")}) })
	if r, err := exchange(t, c.Primary.Addr, "tcp", m, &k); err != nil || r.Rcode != dns.RcodeSuccess {
		t.Fatalf("update on primary: %v %v", err, r)
	}
	m = update(zone, func(m *dns.Msg) { m.Insert([]dns.RR{rr(t, "sec.example.test. 60 IN A 192.0.2.8")}) })
	if r, _ := exchange(t, c.Secondaries[0].Addr, "tcp", m, &k); r == nil || r.Rcode != dns.RcodeRefused {
		t.Fatalf("update on a secondary: %v, want REFUSED", r)
	}
	if r := ask(t, c.Primary.Addr, "udp", "new.example.test.", dns.TypeA); len(r.Answer) != 1 {
		t.Fatalf("primary: %v", r)
	}
	for _, s := range c.Secondaries {
		if r := ask(t, s.Addr, "udp", "new.example.test.", dns.TypeA); r.Rcode != dns.RcodeNameError {
			t.Fatalf("lagging secondary already has the record: %v", r)
		}
		if r := ask(t, s.Addr, "udp", zone, dns.TypeSOA); r.Answer[0].(*dns.SOA).Serial != 10 {
			t.Fatalf("lagging secondary serial: %v", r.Answer[0])
		}
	}
	if got := c.Secondaries[0].Serial(z); got != 10 || c.Primary.Serial(z) != 11 {
		t.Fatalf("served serials: secondary %d primary %d", got, c.Primary.Serial(z))
	}
	if sync := c.Secondaries[0].SyncTime(z); sync.Sub(c.Primary.SyncTime(z)) != time.Hour {
		t.Fatalf("SyncTime of a secondary lagging 1h: %v after the primary's", sync.Sub(c.Primary.SyncTime(z)))
	}
	c.Secondaries[0].SetLag(0)
	if r := ask(t, c.Secondaries[0].Addr, "udp", "new.example.test.", dns.TypeA); len(r.Answer) != 1 {
		t.Fatalf("caught-up secondary: %v", r)
	}
	if r := ask(t, c.Secondaries[1].Addr, "udp", "new.example.test.", dns.TypeA); r.Rcode != dns.RcodeNameError {
		t.Fatalf("other secondary moved too: %v", r)
	}
}

func TestClusterLagElapses(t *testing.T) {
	t.Parallel()
	z, _ := dnstest.NewZone("example.test")
	c, err := dnstest.StartCluster(dnstest.Config{Zones: []*dnstest.Zone{z}, Lag: 50 * time.Millisecond}, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := z.SetRRset("a.example.test", dns.TypeA, rr(t, "a.example.test. 60 IN A 192.0.2.1")); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		r := ask(t, c.Secondaries[0].Addr, "udp", "a.example.test.", dns.TypeA)
		if len(r.Answer) == 1 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("secondary never caught up")
		}
		time.Sleep(10 * time.Millisecond)
	}
}
