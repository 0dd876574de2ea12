package dnstest

import (
	"strings"
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
// if signed with a valid key): no panic, and the zone keeps what BIND keeps
// of a zone: one SOA, an NS set whose in-zone targets have addresses, at
// most one CNAME at a name and nothing beside it, names check-names passes.
func FuzzMessage(f *testing.F) {
	up := new(dns.Msg)
	up.SetUpdate("example.test.")
	a, _ := dns.NewRR("www.example.test. 60 IN A 192.0.2.9")
	up.Used([]dns.RR{a})
	up.RemoveName([]dns.RR{a})
	up.Insert([]dns.RR{a})
	b, _ := up.Pack()
	f.Add(b)
	cn := new(dns.Msg)
	cn.SetUpdate("example.test.")
	c1, _ := dns.NewRR("c.example.test. 60 IN CNAME www.example.test.")
	c2, _ := dns.NewRR("c.example.test. 60 IN CNAME ns1.example.test.")
	cn.Insert([]dns.RR{c1, c2})
	b, _ = cn.Pack()
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
		if err := checkSingletons(z.origin, v.sets); err != nil {
			t.Fatalf("%v after %v", err, m)
		}
		for _, rr := range v.records() {
			if err := checkNames(rr); err != nil {
				t.Fatalf("%v after %v", err, m)
			}
			if noData(rr) {
				t.Fatalf("record without data %q after %v", rr, m)
			}
		}
	})
}

// FuzzParseZone checks that no zone text makes ParseZone panic and that a
// zone it loads, written out as zone-file text (Records), loads again as
// the same records: parse∘format is the identity on what ParseZone accepts.
func FuzzParseZone(f *testing.F) {
	f.Add(fuzzZone)
	f.Add("@ IN NS ns9\n")
	f.Add(fuzzZone + "_xmpp-server._tcp IN SRV 10 0 5269 www\nc IN CNAME www\nt 60 IN TXT \"a b\" \"c\"\n")
	f.Add(fuzzZone + "a IN A 192.0.2.1\na 60 IN A 192.0.2.2\nx 2147483648 IN AAAA 2001:db8::1\n")
	f.Add("$ORIGIN example.test.\n$TTL 1h\n@ SOA ns1 h 1 1 1 1 1\n NS ns1\nns1 A 192.0.2.1\n*.w MX 10 ns1\n")
	f.Fuzz(func(t *testing.T, text string) {
		z, err := ParseZone("example.test", text)
		if err != nil {
			return
		}
		var out strings.Builder
		for _, rr := range z.Records() {
			out.WriteString(rr.String() + "\n")
		}
		again, err := ParseZone("example.test", out.String())
		if err != nil {
			t.Fatalf("the zone as written does not load: %v\n%s", err, out.String())
		}
		a, b := z.Records(), again.Records()
		if len(a) != len(b) {
			t.Fatalf("%d records, %d after a round trip", len(a), len(b))
		}
		for i := range a {
			if a[i].String() != b[i].String() {
				t.Fatalf("record %d: %s became %s", i, a[i], b[i])
			}
		}
	})
}
