package xmppdns

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"testing"

	"github.com/miekg/dns"
	"github.com/xmppfed/edgefailover/internal/dnsname"
)

func packed(t testing.TB, rcode int, aa bool, answer ...string) []byte {
	m := new(dns.Msg)
	m.SetQuestion("_xmpp-server._tcp.contoso.com.", dns.TypeSRV)
	m.Response, m.Authoritative, m.Rcode = true, aa, rcode
	m.Answer = rrs(t, answer...)
	b, err := m.Pack()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// FuzzAnswer feeds arbitrary bytes, as a DNS server could send them, to
// everything that interprets a reply: the per-server verdict, the RFC 6120
// candidates, the SOA walk. None may panic, and their results keep their
// invariants.
func FuzzAnswer(f *testing.F) {
	f.Add(packed(f, dns.RcodeSuccess, true, "_xmpp-server._tcp.contoso.com. 300 IN SRV 10 5 5269 edge.contoso.com."))
	f.Add(packed(f, dns.RcodeSuccess, true, "_xmpp-server._tcp.contoso.com. 300 IN SRV 0 0 0 ."))
	f.Add(packed(f, dns.RcodeNameError, true))
	f.Add(packed(f, dns.RcodeSuccess, false,
		"_xmpp-server._tcp.contoso.com. 300 IN CNAME a.contoso.com.",
		"a.contoso.com. 300 IN CNAME _xmpp-server._tcp.contoso.com.",
		"a.contoso.com. 300 IN SRV 1 1 1 b.contoso.com."))
	f.Add(packed(f, dns.RcodeSuccess, true, "contoso.com. 300 IN SOA ns1.contoso.com. h.contoso.com. 1 2 3 4 5"))
	f.Fuzz(func(t *testing.T, b []byte) {
		m := new(dns.Msg)
		if err := m.Unpack(b); err != nil {
			return
		}
		for _, want := range []RRset{
			{Name: "_xmpp-server._tcp.contoso.com.", Type: "SRV", Data: []string{"10 5 5269 edge.contoso.com."}},
			{Name: "_xmpp-server._tcp.contoso.com.", Type: "SRV"},
			{Name: "xmpp.contoso.com.", Type: "A", Data: []string{"192.0.2.1"}},
		} {
			r := setResultFromMsg(want, m)
			if r.Match && (!m.Authoritative || (m.Rcode != dns.RcodeSuccess && m.Rcode != dns.RcodeNameError)) {
				t.Fatalf("match without an authoritative NOERROR/NXDOMAIN: %+v", r)
			}
			if r.Match && !slices.Equal(r.Seen, want.Data) && !(len(r.Seen) == 0 && len(want.Data) == 0) {
				t.Fatalf("match with other data: %+v", r)
			}
			if !slices.IsSorted(r.Seen) {
				t.Fatalf("seen not sorted: %v", r.Seen)
			}
		}
		cs, err := candidatesFromMsg("contoso.com", "_xmpp-server._tcp.contoso.com.", m, func(k uint64) uint64 { return k / 2 })
		if err == nil && len(cs) == 0 {
			t.Fatal("no candidates and no error")
		}
		for _, c := range cs {
			if c.Port == 0 {
				t.Fatalf("candidate with port 0: %+v", c)
			}
			if h, err := dnsname.ParseFQDN(c.Host); err != nil || h != c.Host {
				t.Fatalf("candidate host %q is not a canonical host name", c.Host)
			}
		}
		for i := 1; i < len(cs); i++ {
			if cs[i].Priority < cs[i-1].Priority {
				t.Fatalf("candidates out of priority order: %+v", cs)
			}
		}
		if apex := apexFromMsg("x._tcp.contoso.com.", m); apex != "" && !dnsname.IsSubdomain("x._tcp.contoso.com.", apex) {
			t.Fatalf("apex %q does not hold the name", apex)
		}
	})
}

// FuzzRecordData feeds arbitrary record data, as a provider could return
// it, to the canonical form and back to libdns records.
func FuzzRecordData(f *testing.F) {
	for _, s := range []string{"10 0 5269 Edge.Contoso.com", "0 0 0 .", "::ffff:192.0.2.1", "1  2\t3 x.", "70000 0 1 a.", ""} {
		f.Add("SRV", s)
		f.Add("A", s)
	}
	f.Fuzz(func(t *testing.T, rtype, data string) {
		c := canonicalData(rtype, data)
		if again := canonicalData(rtype, c); again != c {
			t.Fatalf("canonical form not stable: %q -> %q -> %q", data, c, again)
		}
		set := RRset{Name: "_xmpp-server._tcp.contoso.com.", Type: rtype, TTL: 300e9, Data: normalizeData(rtype, []string{data})}
		for _, r := range set.toLibdns("contoso.com.") {
			rr := r.RR()
			if rr.Type != rtype || rr.Name != "_xmpp-server._tcp" {
				t.Fatalf("%q %q became %+v", rtype, data, rr)
			}
		}
	})
}

// FuzzChangeJSON feeds arbitrary JSON, as a journal file could hold it, to
// Apply: it must refuse what is not a valid change of the zone before
// writing, and never panic.
func FuzzChangeJSON(f *testing.F) {
	f.Add([]byte(`{"zone":"contoso.com.","corrections":[{"op":"modify","old":{"name":"xmpp.contoso.com.","type":"A","ttl":600,"data":["192.0.2.1"]},"new":{"name":"xmpp.contoso.com.","type":"A","ttl":600,"data":["192.0.2.2"]}}]}`))
	f.Add([]byte(`{"zone":"contoso.com.","corrections":[{"op":"delete","old":{"name":"xmpp.contoso.com.","type":"AAAA","ttl":600,"data":["2001:db8::1"]},"new":{"name":"xmpp.contoso.com.","type":"AAAA"}}]}`))
	f.Add([]byte(`{"zone":"contoso.com.","corrections":[{"op":"create","old":{"name":"_xmpp-server._tcp.x.contoso.com.","type":"SRV"},"new":{"name":"_xmpp-server._tcp.x.contoso.com.","type":"SRV","ttl":300,"data":["10 0 5269 a.contoso.com."]}}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var ch Change
		if json.Unmarshal(b, &ch) != nil {
			return
		}
		p := seeded()
		z, err := NewZone(testZone, p, ZoneOptions{})
		if err != nil {
			t.Fatal(err)
		}
		err = z.Apply(context.Background(), &ch)
		if errors.Is(err, ErrInvalidInput) && p.Calls("SetRecords")+p.Calls("DeleteRecords") != 0 {
			t.Fatalf("refused change was written: %v", err)
		}
		if err == nil && !ch.Empty() {
			// Applied: the zone now holds every new RRset.
			got, rerr := z.read(context.Background(), keysOf(ch.Corrections))
			if rerr != nil {
				t.Fatal(rerr)
			}
			for i, c := range ch.Corrections {
				if !got[i].SameData(c.New) {
					t.Fatalf("applied change not held: %+v vs %+v", c.New, got[i])
				}
			}
		}
	})
}
