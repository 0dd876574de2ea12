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
	txts := func(name string, n int) {
		var rrs []dns.RR
		for i := range n {
			rrs = append(rrs, rr(t, fmt.Sprintf("%s 300 IN TXT \"record number %02d with some padding to make it long\"", name, i)))
		}
		if err := z.SetRRset(name, dns.TypeTXT, rrs...); err != nil {
			t.Fatal(err)
		}
	}
	txts("big.example.test.", 40) // about 2.4 KB
	txts("mid.example.test.", 12) // about 1 KB
	tests := []struct {
		name     string
		edns     uint16
		tc       bool
		minA     int
		maxA     int
		wantOPT  bool
		protocol string
	}{
		{"big.example.test.", 0, true, 1, 39, false, "udp"},     // partial answer in 512 octets
		{"big.example.test.", 4096, true, 0, 0, true, "udp"},    // capped at 1232: empty answer, TC
		{"big.example.test.", 0, false, 40, 40, false, "tcp"},   // TCP: everything
		{"mid.example.test.", 0, true, 1, 11, false, "udp"},     // over 512
		{"mid.example.test.", 1232, false, 12, 12, true, "udp"}, // fits the EDNS buffer
	}
	for _, tc := range tests {
		m := new(dns.Msg)
		m.SetQuestion(tc.name, dns.TypeTXT)
		m.RecursionDesired = false
		if tc.edns > 0 {
			m.SetEdns0(tc.edns, false)
		}
		r, err := exchange(t, s.Addr, tc.protocol, m, nil)
		if err != nil {
			t.Fatal(err)
		}
		if r.Truncated != tc.tc || len(r.Answer) < tc.minA || len(r.Answer) > tc.maxA || (r.IsEdns0() != nil) != tc.wantOPT {
			t.Errorf("%s edns %d over %s: TC=%v answers=%d OPT=%v", tc.name, tc.edns, tc.protocol, r.Truncated, len(r.Answer), r.IsEdns0() != nil)
		}
	}
	log := s.Log()
	if !log[0].Truncated || log[2].Truncated || log[0].Net != "udp" || log[2].Net != "tcp" {
		t.Fatalf("log does not show the truncation: %+v", log[:3])
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
