package dnstest_test

import (
	"fmt"
	"testing"

	"github.com/miekg/dns"
	"github.com/xmppfed/edgefailover/xmppdns/dnstest"
)

func TestQueryAnswers(t *testing.T) {
	t.Parallel()
	s, _, _ := start(t, dnstest.Config{})
	tests := []struct {
		name    string
		qname   string
		qtype   uint16
		rcode   int
		aa      bool
		answers int
		soaAuth bool
	}{
		{"positive A", "xmpp.example.test.", dns.TypeA, dns.RcodeSuccess, true, 1, false},
		{"case-insensitive", "XMPP.Example.TEST.", dns.TypeA, dns.RcodeSuccess, true, 1, false},
		{"SRV", "_xmpp-server._tcp.example.test.", dns.TypeSRV, dns.RcodeSuccess, true, 1, false},
		{"NS at apex", "example.test.", dns.TypeNS, dns.RcodeSuccess, true, 2, false},
		{"SOA", "example.test.", dns.TypeSOA, dns.RcodeSuccess, true, 1, false},
		{"NODATA", "xmpp.example.test.", dns.TypeAAAA, dns.RcodeSuccess, true, 0, true},
		{"empty non-terminal is NODATA", "_tcp.example.test.", dns.TypeSRV, dns.RcodeSuccess, true, 0, true},
		{"NXDOMAIN", "nope.example.test.", dns.TypeA, dns.RcodeNameError, true, 0, true},
		{"outside every zone", "example.org.", dns.TypeA, dns.RcodeRefused, false, 0, false},
	}
	for _, tc := range tests {
		for _, network := range []string{"udp", "tcp"} {
			t.Run(tc.name+"/"+network, func(t *testing.T) {
				r := ask(t, s.Addr, network, tc.qname, tc.qtype)
				if r.Rcode != tc.rcode || r.Authoritative != tc.aa || len(r.Answer) != tc.answers {
					t.Fatalf("rcode %s aa %v answers %d, want %s %v %d:\n%v",
						dns.RcodeToString[r.Rcode], r.Authoritative, len(r.Answer),
						dns.RcodeToString[tc.rcode], tc.aa, tc.answers, r)
				}
				gotSOA := len(r.Ns) == 1 && r.Ns[0].Header().Rrtype == dns.TypeSOA
				if gotSOA != tc.soaAuth {
					t.Fatalf("SOA in authority = %v, want %v: %v", gotSOA, tc.soaAuth, r.Ns)
				}
				if gotSOA && r.Ns[0].Header().Ttl != 60 {
					t.Fatalf("negative TTL %d, want min(SOA TTL, minimum) = 60", r.Ns[0].Header().Ttl)
				}
			})
		}
	}
}

func TestTruncationOverUDP(t *testing.T) {
	t.Parallel()
	s, z, _ := start(t, dnstest.Config{})
	var big []dns.RR
	for i := range 40 {
		big = append(big, rr(t, fmt.Sprintf("big.example.test. 300 IN TXT \"record number %02d with some padding to make it long\"", i)))
	}
	if err := z.SetRRset("big.example.test.", dns.TypeTXT, big...); err != nil {
		t.Fatal(err)
	}
	udp := ask(t, s.Addr, "udp", "big.example.test.", dns.TypeTXT)
	if !udp.Truncated || len(udp.Answer) == 40 {
		t.Fatalf("UDP answer: TC=%v with %d records, want TC and fewer than 40", udp.Truncated, len(udp.Answer))
	}
	tcp := ask(t, s.Addr, "tcp", "big.example.test.", dns.TypeTXT)
	if tcp.Truncated || len(tcp.Answer) != 40 {
		t.Fatalf("TCP answer: TC=%v with %d records, want all 40", tcp.Truncated, len(tcp.Answer))
	}
	m := new(dns.Msg)
	m.SetQuestion("big.example.test.", dns.TypeTXT)
	m.SetEdns0(4096, false)
	r, err := exchange(t, s.Addr, "udp", m, nil)
	if err != nil || r.Truncated || len(r.Answer) != 40 {
		t.Fatalf("EDNS 4096 over UDP: err %v TC=%v answers %d, want all 40", err, r != nil && r.Truncated, len(r.Answer))
	}
	log := s.Log()
	if !log[0].Truncated || log[1].Truncated || log[0].Net != "udp" || log[1].Net != "tcp" {
		t.Fatalf("log does not show the truncation: %+v", log[:2])
	}
}

func TestParseZoneErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ origin, text string }{
		{"example.test", "@ IN A not-an-address\n"},
		{"example.test", "other.test. IN A 192.0.2.1\n"},
		{"", "@ IN A 192.0.2.1\n"},
		{"example.test", "@ IN SOA a b 1 2 3 4 5\n@ IN SOA c d 1 2 3 4 5\n"},
		{"example.test", "@ 60 IN NS ns9\n"}, // in-zone NS without address: BIND refuses to load
	} {
		if _, err := dnstest.ParseZone(tc.origin, tc.text); err == nil {
			t.Errorf("ParseZone(%q, %q) = nil error", tc.origin, tc.text)
		}
	}
}

func TestNewZoneDefaults(t *testing.T) {
	t.Parallel()
	z, err := dnstest.NewZone("Example.Test", rr(t, "a.example.test. 60 IN A 192.0.2.1"))
	if err != nil {
		t.Fatal(err)
	}
	if z.Origin() != "example.test." || z.Serial() != 1 {
		t.Fatalf("origin %q serial %d", z.Origin(), z.Serial())
	}
	got := rrStrings(z.Records())
	want := "example.test.\t3600\tIN\tSOA\tns1.example.test. hostmaster.example.test. 1 3600 600 86400 60\n" +
		"a.example.test.\t60\tIN\tA\t192.0.2.1\n" +
		"example.test.\t3600\tIN\tNS\tns1.example.test.\n" +
		"ns1.example.test.\t3600\tIN\tA\t127.0.0.1"
	if got != want {
		t.Fatalf("records:\n%s\nwant:\n%s", got, want)
	}
}
