package dnstest_test

import (
	"strings"
	"sync"
	"testing"

	"github.com/miekg/dns"
	"github.com/xmppfed/edgefailover/xmppdns/dnstest"
)

const zone = "example.test."

func TestUpdatePrerequisites(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		build func(m *dns.Msg)
		rcode int
		a     int // A records at new.example.test. afterwards
	}{
		{"plain insert", func(m *dns.Msg) {}, dns.RcodeSuccess, 1},
		{"RRset exists (value independent)", func(m *dns.Msg) {
			m.RRsetUsed([]dns.RR{&dns.A{Hdr: dns.RR_Header{Name: "xmpp.example.test.", Rrtype: dns.TypeA}}})
		}, dns.RcodeSuccess, 1},
		{"RRset exists fails", func(m *dns.Msg) {
			m.RRsetUsed([]dns.RR{&dns.A{Hdr: dns.RR_Header{Name: "nope.example.test.", Rrtype: dns.TypeA}}})
		}, dns.RcodeNXRrset, 0},
		{"RRset does not exist fails", func(m *dns.Msg) {
			m.RRsetNotUsed([]dns.RR{&dns.A{Hdr: dns.RR_Header{Name: "xmpp.example.test.", Rrtype: dns.TypeA}}})
		}, dns.RcodeYXRrset, 0},
		{"RRset does not exist", func(m *dns.Msg) {
			m.RRsetNotUsed([]dns.RR{&dns.AAAA{Hdr: dns.RR_Header{Name: "xmpp.example.test.", Rrtype: dns.TypeAAAA}}})
		}, dns.RcodeSuccess, 1},
		{"value-dependent matches", func(m *dns.Msg) {
			m.Used([]dns.RR{rr(t, "xmpp.example.test. 300 IN A 192.0.2.10")})
		}, dns.RcodeSuccess, 1},
		{"value-dependent differs", func(m *dns.Msg) {
			m.Used([]dns.RR{rr(t, "xmpp.example.test. 300 IN A 192.0.2.99")})
		}, dns.RcodeNXRrset, 0},
		{"value-dependent subset is not equal", func(m *dns.Msg) {
			m.Used([]dns.RR{rr(t, "example.test. 300 IN NS ns1.example.test.")})
		}, dns.RcodeNXRrset, 0},
		{"name in use", func(m *dns.Msg) {
			m.NameUsed([]dns.RR{rr(t, "xmpp.example.test. 300 IN A 192.0.2.10")})
		}, dns.RcodeSuccess, 1},
		{"name in use fails", func(m *dns.Msg) {
			m.NameUsed([]dns.RR{rr(t, "nope.example.test. 300 IN A 192.0.2.10")})
		}, dns.RcodeNameError, 0},
		{"name not in use fails", func(m *dns.Msg) {
			m.NameNotUsed([]dns.RR{rr(t, "xmpp.example.test. 300 IN A 192.0.2.10")})
		}, dns.RcodeYXDomain, 0},
		{"NOTZONE prerequisite", func(m *dns.Msg) {
			m.NameUsed([]dns.RR{rr(t, "example.org. 300 IN A 192.0.2.10")})
		}, dns.RcodeNotZone, 0},
		{"NOTZONE update is atomic", func(m *dns.Msg) {
			m.Insert([]dns.RR{rr(t, "example.org. 300 IN A 192.0.2.10")})
		}, dns.RcodeNotZone, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s, z, k := start(t, dnstest.Config{})
			before := z.Serial()
			m := update(zone, func(m *dns.Msg) {
				tc.build(m)
				m.Insert([]dns.RR{rr(t, "new.example.test. 300 IN A 192.0.2.50")})
			})
			r, err := exchange(t, s.Addr, "tcp", m, &k)
			if err != nil {
				t.Fatal(err)
			}
			if r.Rcode != tc.rcode {
				t.Fatalf("rcode %s, want %s", dns.RcodeToString[r.Rcode], dns.RcodeToString[tc.rcode])
			}
			if got := len(z.Lookup("new.example.test.", dns.TypeA)); got != tc.a {
				t.Fatalf("%d A records afterwards, want %d", got, tc.a)
			}
			wantSerial := before
			if tc.a > 0 {
				wantSerial++
			}
			if z.Serial() != wantSerial {
				t.Fatalf("serial %d, want %d", z.Serial(), wantSerial)
			}
		})
	}
}

func TestUpdateOperations(t *testing.T) {
	t.Parallel()
	s, z, k := start(t, dnstest.Config{})
	send := func(f func(*dns.Msg)) {
		t.Helper()
		r, err := exchange(t, s.Addr, "udp", update(zone, f), &k)
		if err != nil || r.Rcode != dns.RcodeSuccess {
			t.Fatalf("update: err %v, answer %v", err, r)
		}
	}
	send(func(m *dns.Msg) {
		m.Insert([]dns.RR{rr(t, "h.example.test. 60 IN A 192.0.2.1"), rr(t, "h.example.test. 120 IN A 192.0.2.2")})
	})
	if got := rrStrings(z.Lookup("h.example.test.", dns.TypeA)); got != "h.example.test.\t120\tIN\tA\t192.0.2.1\nh.example.test.\t120\tIN\tA\t192.0.2.2" {
		t.Fatalf("after insert (TTL of the last added applies to the RRset):\n%s", got)
	}
	send(func(m *dns.Msg) { m.Remove([]dns.RR{rr(t, "h.example.test. 60 IN A 192.0.2.1")}) })
	if got := len(z.Lookup("h.example.test.", dns.TypeA)); got != 1 {
		t.Fatalf("after Remove: %d records", got)
	}
	send(func(m *dns.Msg) { m.RemoveRRset([]dns.RR{rr(t, "h.example.test. 60 IN A 192.0.2.2")}) })
	if got := len(z.Lookup("h.example.test.", dns.TypeA)); got != 0 {
		t.Fatalf("after RemoveRRset: %d records", got)
	}
	serial := z.Serial()
	send(func(m *dns.Msg) {
		m.RemoveName([]dns.RR{rr(t, "example.test. 60 IN A 192.0.2.2")}) // apex SOA/NS survive
		m.Remove([]dns.RR{rr(t, "example.test. 60 IN SOA a. b. 1 2 3 4 5")})
	})
	if len(z.Lookup(zone, dns.TypeNS)) != 2 || len(z.Lookup(zone, dns.TypeSOA)) != 1 || z.Serial() != serial {
		t.Fatalf("apex SOA/NS were touched or a no-op update changed the serial: %d -> %d", serial, z.Serial())
	}
	r, err := exchange(t, s.Addr, "tcp", update(zone, func(m *dns.Msg) {
		m.Insert([]dns.RR{rr(t, "example.test. 300 IN NS ns3.example.test.")})
	}), &k)
	if err != nil || r.Rcode != dns.RcodeRefused || len(z.Lookup(zone, dns.TypeNS)) != 2 {
		t.Fatalf("NS without address (BIND's post-update sanity check): %v %v", err, r)
	}
	send(func(m *dns.Msg) {
		m.Insert([]dns.RR{rr(t, "ns3.example.test. 300 IN A 192.0.2.3"), rr(t, "example.test. 300 IN NS ns3.example.test.")})
	})
	send(func(m *dns.Msg) { m.Insert([]dns.RR{rr(t, "example.test. 300 IN NS ns.elsewhere.example.")}) })
	if len(z.Lookup(zone, dns.TypeNS)) != 4 {
		t.Fatalf("NS set: %v", z.Lookup(zone, dns.TypeNS))
	}
	if r := ask(t, s.Addr, "udp", zone, dns.TypeSOA); r.Answer[0].(*dns.SOA).Serial != z.Serial() {
		t.Fatalf("SOA answer %v, zone serial %d", r.Answer[0], z.Serial())
	}
}

func TestUpdateAuthorization(t *testing.T) {
	t.Parallel()
	s, z, k := start(t, dnstest.Config{})
	ins := func() *dns.Msg {
		return update(zone, func(m *dns.Msg) { m.Insert([]dns.RR{rr(t, "x.example.test. 60 IN A 192.0.2.1")}) })
	}
	unknown, _ := dnstest.NewKey("other-key.", dns.HmacSHA256)
	wrongSecret := k
	wrongSecret.Secret = unknown.Secret
	wrongAlg := k
	wrongAlg.Algorithm = dns.HmacSHA512
	tests := []struct {
		name    string
		key     *dnstest.Key
		zone    string
		rcode   int
		tsigErr uint16
	}{
		{"unsigned", nil, zone, dns.RcodeRefused, 0},
		{"unknown key", &unknown, zone, dns.RcodeNotAuth, dns.RcodeBadKey},
		{"wrong secret", &wrongSecret, zone, dns.RcodeNotAuth, dns.RcodeBadSig},
		{"wrong algorithm", &wrongAlg, zone, dns.RcodeNotAuth, dns.RcodeBadKey},
		{"zone not served", &k, "example.org.", dns.RcodeNotAuth, 0},
	}
	for _, tc := range tests {
		m := ins()
		m.Question[0].Name = tc.zone
		r, _ := exchange(t, s.Addr, "tcp", m, tc.key) // a TSIG error answer fails verification: err is set
		if r == nil || r.Rcode != tc.rcode {
			t.Fatalf("%s: answer %v, want %s", tc.name, r, dns.RcodeToString[tc.rcode])
		}
		if tc.tsigErr != 0 && (r.IsTsig() == nil || r.IsTsig().Error != tc.tsigErr) {
			t.Fatalf("%s: TSIG %v, want error %s", tc.name, r.IsTsig(), dns.RcodeToString[int(tc.tsigErr)])
		}
	}
	if len(z.Lookup("x.example.test.", dns.TypeA)) != 0 {
		t.Fatal("an unauthorized update was applied")
	}
	for _, alg := range []string{"hmac-sha256", dns.HmacSHA384, "HMAC-SHA512"} { // with or without the dot, any case
		k2, _ := dnstest.NewKey("k-"+strings.TrimSuffix(strings.ToLower(alg), "."), alg)
		s2, _, _ := start(t, dnstest.Config{Keys: []dnstest.Key{k2}})
		r, err := exchange(t, s2.Addr, "udp", ins(), &k2)
		if err != nil || r.Rcode != dns.RcodeSuccess {
			t.Fatalf("%s: err %v answer %v", alg, err, r)
		}
	}
}

func TestConcurrentConditionalUpdates(t *testing.T) {
	t.Parallel()
	s, z, k := start(t, dnstest.Config{})
	const n = 8
	rcodes := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			m := update(zone, func(m *dns.Msg) {
				m.Used([]dns.RR{rr(t, "xmpp.example.test. 300 IN A 192.0.2.10")})
				m.RemoveRRset([]dns.RR{rr(t, "xmpp.example.test. 300 IN A 192.0.2.10")})
				m.Insert([]dns.RR{&dns.A{Hdr: dns.RR_Header{Name: "xmpp.example.test.", Rrtype: dns.TypeA, Class: dns.ClassINET, Ttl: 300}, A: []byte{198, 51, 100, byte(i)}}})
			})
			r, err := exchange(t, s.Addr, "udp", m, &k)
			if err != nil {
				t.Error(err)
				return
			}
			rcodes[i] = r.Rcode
		})
	}
	wg.Wait()
	wins := 0
	for _, rc := range rcodes {
		switch rc {
		case dns.RcodeSuccess:
			wins++
		case dns.RcodeNXRrset:
		default:
			t.Fatalf("unexpected rcode %s", dns.RcodeToString[rc])
		}
	}
	if wins != 1 || len(z.Lookup("xmpp.example.test.", dns.TypeA)) != 1 {
		t.Fatalf("%d winners, %d records; want exactly one", wins, len(z.Lookup("xmpp.example.test.", dns.TypeA)))
	}
}
