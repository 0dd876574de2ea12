package dnstest

import (
	"testing"

	"github.com/miekg/dns"
)

const fuzzZone = `$TTL 300
@    IN SOA ns1 hostmaster 1 3600 600 86400 60
@    IN NS  ns1
ns1  IN A   192.0.2.1
www  IN A   192.0.2.2
`

// FuzzMessage runs arbitrary messages through the query and update code (as
// if signed with a valid key): no panic, and the zone keeps one SOA and an
// NS set whose in-zone targets have addresses.
func FuzzMessage(f *testing.F) {
	up := new(dns.Msg)
	up.SetUpdate("example.test.")
	a, _ := dns.NewRR("www.example.test. 60 IN A 192.0.2.9")
	up.Used([]dns.RR{a})
	up.RemoveName([]dns.RR{a})
	up.Insert([]dns.RR{a})
	b, _ := up.Pack()
	f.Add(b)
	q := new(dns.Msg)
	q.SetQuestion("www.example.test.", dns.TypeA)
	b, _ = q.Pack()
	f.Add(b)
	f.Fuzz(func(t *testing.T, data []byte) {
		m := new(dns.Msg)
		if err := m.Unpack(data); err != nil {
			return
		}
		z, err := ParseZone("example.test", fuzzZone)
		if err != nil {
			t.Fatal(err)
		}
		key := Key{Name: "k.", Algorithm: dns.HmacSHA256, Secret: "c2VjcmV0"}
		s := &Server{zones: []*Zone{z}, keys: map[string]Key{"k.": key}}
		resp := new(dns.Msg)
		resp.SetReply(m)
		if m.Opcode == dns.OpcodeUpdate {
			s.update(m, &key)
		} else {
			s.query(m, resp, "tcp", true)
		}
		v := z.view(0)
		if len(v.sets[rrKey{z.origin, dns.TypeSOA}]) != 1 || len(v.sets[rrKey{z.origin, dns.TypeNS}]) == 0 {
			t.Fatalf("zone lost its SOA or NS: %v", v.records())
		}
		if bad := missingNSAddress(z.origin, v.sets); bad != "" {
			t.Fatalf("NS %s without address after %v", bad, m)
		}
	})
}

// FuzzParseZone checks that no zone text makes ParseZone panic.
func FuzzParseZone(f *testing.F) {
	f.Add(fuzzZone)
	f.Add("@ IN NS ns9\n")
	f.Fuzz(func(t *testing.T, text string) {
		_, _ = ParseZone("example.test", text)
	})
}
