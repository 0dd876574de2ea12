package dnstest_test

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"
	"github.com/xmppfed/edgefailover/internal/testpeer"
	"github.com/xmppfed/edgefailover/xmppdns/dnstest"
)

// TestSameAnswersAsBIND sends the same messages to BIND and to dnstest and
// requires the same rcodes, TSIG errors, flags and, at the end, the same
// zone: the double must not accept what BIND refuses.
func TestSameAnswersAsBIND(t *testing.T) {
	b := testpeer.StartBIND(t, "example.test", zoneText)
	key := dnstest.Key{Name: b.KeyName, Algorithm: b.Algorithm, Secret: b.Secret}
	z, err := dnstest.ParseZone("example.test", zoneText)
	if err != nil {
		t.Fatal(err)
	}
	s, err := dnstest.Start(dnstest.Config{Zones: []*dnstest.Zone{z}, Keys: []dnstest.Key{key}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	other, _ := dnstest.NewKey("other.", dns.HmacSHA256)
	wrong := key
	wrong.Secret = other.Secret

	x := func(s string) dns.RR { return rr(t, s) }
	hdr := func(name string, t uint16) dns.RR { return &dns.ANY{Hdr: dns.RR_Header{Name: name, Rrtype: t}} }
	upd := func(f func(m *dns.Msg)) func() *dns.Msg { return func() *dns.Msg { return update(zone, f) } }
	qry := func(name string, t uint16) func() *dns.Msg {
		return func() *dns.Msg { m := new(dns.Msg); m.SetQuestion(name, t); m.RecursionDesired = false; return m }
	}
	steps := []struct {
		name string
		msg  func() *dns.Msg
		key  *dnstest.Key
	}{
		{"insert", upd(func(m *dns.Msg) { m.Insert([]dns.RR{x("a.example.test. 60 IN A 192.0.2.1")}) }), &key},
		{"RRset exists fails", upd(func(m *dns.Msg) { m.RRsetUsed([]dns.RR{hdr("b.example.test.", dns.TypeA)}) }), &key},
		{"RRset does not exist fails", upd(func(m *dns.Msg) { m.RRsetNotUsed([]dns.RR{hdr("a.example.test.", dns.TypeA)}) }), &key},
		{"name in use fails", upd(func(m *dns.Msg) { m.NameUsed([]dns.RR{hdr("b.example.test.", dns.TypeA)}) }), &key},
		{"name not in use fails", upd(func(m *dns.Msg) { m.NameNotUsed([]dns.RR{hdr("a.example.test.", dns.TypeA)}) }), &key},
		{"value-dependent fails", upd(func(m *dns.Msg) { m.Used([]dns.RR{x("a.example.test. 60 IN A 192.0.2.9")}) }), &key},
		{"value-dependent replace", upd(func(m *dns.Msg) {
			m.Used([]dns.RR{x("a.example.test. 60 IN A 192.0.2.1")})
			m.RemoveRRset([]dns.RR{hdr("a.example.test.", dns.TypeA)})
			m.Insert([]dns.RR{x("a.example.test. 120 IN A 192.0.2.2")})
		}), &key},
		{"update outside the zone", upd(func(m *dns.Msg) { m.Insert([]dns.RR{x("a.example.org. 60 IN A 192.0.2.1")}) }), &key},
		{"prerequisite outside the zone", upd(func(m *dns.Msg) { m.NameUsed([]dns.RR{hdr("example.org.", dns.TypeA)}) }), &key},
		{"zone not served", func() *dns.Msg {
			m := new(dns.Msg)
			m.SetUpdate("example.org.")
			m.Insert([]dns.RR{x("a.example.org. 60 IN A 192.0.2.1")})
			return m
		}, &key},
		{"delete apex NS set", upd(func(m *dns.Msg) { m.RemoveRRset([]dns.RR{hdr(zone, dns.TypeNS)}) }), &key},
		{"delete every apex NS", upd(func(m *dns.Msg) {
			m.Remove([]dns.RR{x("example.test. 300 IN NS ns1.example.test."), x("example.test. 300 IN NS ns2.example.test.")})
		}), &key},
		{"delete apex name", upd(func(m *dns.Msg) { m.RemoveName([]dns.RR{hdr(zone, dns.TypeA)}) }), &key},
		{"NS without address", upd(func(m *dns.Msg) { m.Insert([]dns.RR{x("example.test. 300 IN NS ns9.example.test.")}) }), &key},
		{"CNAME next to an A", upd(func(m *dns.Msg) { m.Insert([]dns.RR{x("a.example.test. 60 IN CNAME xmpp.example.test.")}) }), &key},
		{"A next to a CNAME", upd(func(m *dns.Msg) {
			m.Insert([]dns.RR{x("c.example.test. 60 IN CNAME xmpp.example.test."), x("c.example.test. 60 IN TXT \"x\"")})
		}), &key},
		{"prerequisite with a TTL", upd(func(m *dns.Msg) {
			p := x("a.example.test. 60 IN A 192.0.2.2")
			m.Answer = append(m.Answer, p)
		}), &key},
		{"delete a record", upd(func(m *dns.Msg) {
			m.Remove([]dns.RR{x("_xmpp-server._tcp.example.test. 300 IN SRV 10 0 5269 xmpp.example.test.")})
		}), &key},
		{"no-op delete", upd(func(m *dns.Msg) { m.Remove([]dns.RR{x("nothere.example.test. 300 IN A 192.0.2.1")}) }), &key},
		{"unsigned", upd(func(m *dns.Msg) { m.Insert([]dns.RR{x("u.example.test. 60 IN A 192.0.2.1")}) }), nil},
		{"unknown key", upd(func(m *dns.Msg) { m.Insert([]dns.RR{x("u.example.test. 60 IN A 192.0.2.1")}) }), &other},
		{"wrong secret", upd(func(m *dns.Msg) { m.Insert([]dns.RR{x("u.example.test. 60 IN A 192.0.2.1")}) }), &wrong},
		{"query positive", qry("xmpp.example.test.", dns.TypeA), nil},
		{"query NODATA", qry("xmpp.example.test.", dns.TypeAAAA), nil},
		{"query empty non-terminal", qry("_tcp.example.test.", dns.TypeSRV), nil},
		{"query NXDOMAIN", qry("nope.example.test.", dns.TypeA), nil},
		{"query other zone", qry("example.org.", dns.TypeA), nil},
		{"query CNAME owner", qry("c.example.test.", dns.TypeA), nil},
		{"second CNAME replaces the first", upd(func(m *dns.Msg) { m.Insert([]dns.RR{x("c.example.test. 60 IN CNAME ns1.example.test.")}) }), &key},
		{"query replaced CNAME", qry("c.example.test.", dns.TypeCNAME), nil},
		{"two CNAMEs in one update", upd(func(m *dns.Msg) {
			m.Insert([]dns.RR{x("c2.example.test. 60 IN CNAME ns1.example.test."), x("c2.example.test. 60 IN CNAME ns2.example.test.")})
		}), &key},
		{"query CNAME of two inserted", qry("c2.example.test.", dns.TypeCNAME), nil},
		{"underscore in an A owner", upd(func(m *dns.Msg) { m.Insert([]dns.RR{x("a_b.example.test. 60 IN A 192.0.2.1")}) }), &key},
		{"underscore in an SRV target", upd(func(m *dns.Msg) {
			m.Insert([]dns.RR{x("_xmpp-server._tcp.example.test. 60 IN SRV 10 0 5269 a_b.example.org.")})
		}), &key},
		{"underscore in a TXT owner", upd(func(m *dns.Msg) { m.Insert([]dns.RR{x("_t.example.test. 60 IN TXT \"x\"")}) }), &key},
		{"TTL above 2^31-1", upd(func(m *dns.Msg) { m.Insert([]dns.RR{x("big.example.test. 4294967295 IN A 192.0.2.1")}) }), &key},
		{"query TTL above 2^31-1", qry("big.example.test.", dns.TypeA), nil},
		{"insert without data", upd(func(m *dns.Msg) {
			m.Ns = append(m.Ns, &dns.RR_Header{Name: "empty.example.test.", Rrtype: dns.TypeA, Class: dns.ClassINET, Ttl: 60})
		}), &key},
		{"query inserted without data", qry("empty.example.test.", dns.TypeA), nil},
		{"dangling CNAME", upd(func(m *dns.Msg) { m.Insert([]dns.RR{x("d.example.test. 60 IN CNAME gone.example.test.")}) }), &key},
		{"query dangling CNAME", qry("d.example.test.", dns.TypeA), nil},
		{"CNAME to a name without the type", upd(func(m *dns.Msg) { m.Insert([]dns.RR{x("e.example.test. 60 IN CNAME ns1.example.test.")}) }), &key},
		{"query CNAME to NODATA", qry("e.example.test.", dns.TypeAAAA), nil},
		{"query CNAME itself", qry("e.example.test.", dns.TypeCNAME), nil},
		{"query apex NS", qry(zone, dns.TypeNS), nil},
		{"query apex SOA", qry(zone, dns.TypeSOA), nil},
		{"query with RD=1", func() *dns.Msg { m := qry("xmpp.example.test.", dns.TypeA)(); m.RecursionDesired = true; return m }, nil},
		{"query ANY", qry("a.example.test.", dns.TypeANY), nil},
		{"unsigned AXFR", qry(zone, dns.TypeAXFR), nil},
		{"AXFR of a zone not served", qry("example.org.", dns.TypeAXFR), &key},
		{"unsigned AXFR of a zone not served", qry("example.org.", dns.TypeAXFR), nil},
		{"AXFR of a name below the apex", qry("a.example.test.", dns.TypeAXFR), &key},
		{"delegation", upd(func(m *dns.Msg) {
			m.Insert([]dns.RR{x("sub.example.test. 300 IN NS ns.sub.example.test."), x("ns.sub.example.test. 300 IN A 192.0.2.53")})
		}), &key},
		{"query delegation NS", qry("sub.example.test.", dns.TypeNS), nil},
		{"query delegation ANY", qry("sub.example.test.", dns.TypeANY), nil},
		{"query below the delegation", qry("www.sub.example.test.", dns.TypeA), nil},
		{"query glue", qry("ns.sub.example.test.", dns.TypeA), nil},
		{"query DS at the delegation", qry("sub.example.test.", dns.TypeDS), nil},
		{"unknown opcode", func() *dns.Msg { m := qry(zone, dns.TypeSOA)(); m.Opcode = dns.OpcodeStatus; return m }, nil},
	}
	for _, st := range steps {
		got := [2]string{}
		for i, addr := range []string{b.Addr, s.Addr} {
			r, _ := exchange(t, addr, "tcp", st.msg(), st.key)
			if r == nil {
				t.Fatalf("%s: no answer from %s", st.name, addr)
			}
			got[i] = summary(r)
		}
		if got[0] != got[1] {
			t.Errorf("%s:\n  BIND:    %s\n  dnstest: %s", st.name, got[0], got[1])
		}
	}
	stale := [2]string{}
	for i, addr := range []string{b.Addr, s.Addr} {
		m := update(zone, func(m *dns.Msg) { m.Insert([]dns.RR{x("stale.example.test. 60 IN A 192.0.2.1")}) })
		m.SetTsig(key.Name, key.Algorithm, 300, time.Now().Unix()-3600)
		r, _, _ := (&dns.Client{Net: "tcp", TsigSecret: map[string]string{key.Name: key.Secret}}).Exchange(m, addr)
		if r == nil {
			t.Fatalf("stale signature: no answer from %s", addr)
		}
		stale[i] = summary(r)
	}
	if stale[0] != stale[1] || stale[0] != "NOTAUTH aa=false answer=0 extra=0 tc=false opt=false tsig=BADTIME" {
		t.Errorf("signature an hour old:\n  BIND:    %s\n  dnstest: %s", stale[0], stale[1])
	}
	bindZone, testZone := transfer(t, b.Addr, key), transfer(t, s.Addr, key)
	if !slices.Equal(bindZone, testZone) {
		t.Errorf("zones differ:\nBIND:\n%v\ndnstest:\n%v", bindZone, testZone)
	}
}

// summary is what must agree between the two servers.
func summary(r *dns.Msg) string {
	s := fmt.Sprintf("%s aa=%v answer=%d", dns.RcodeToString[r.Rcode], r.Authoritative, len(r.Answer))
	if len(r.Ns) > 0 {
		s += " ns=" + dns.TypeToString[r.Ns[0].Header().Rrtype]
	}
	extra := 0
	for _, rr := range r.Extra {
		if t := rr.Header().Rrtype; t != dns.TypeOPT && t != dns.TypeTSIG {
			extra++
		}
	}
	s += fmt.Sprintf(" extra=%d tc=%v opt=%v", extra, r.Truncated, r.IsEdns0() != nil)
	if t := r.IsTsig(); t != nil && t.Error != 0 {
		s += " tsig=" + dns.RcodeToString[int(t.Error)]
	}
	return s
}

// transfer returns the zone's records (AXFR), sorted, without the closing SOA.
func transfer(t *testing.T, addr string, key dnstest.Key) []string {
	t.Helper()
	m := new(dns.Msg)
	m.SetAxfr(zone)
	m.SetTsig(key.Name, key.Algorithm, 300, time.Now().Unix())
	tr := &dns.Transfer{TsigSecret: map[string]string{key.Name: key.Secret}}
	env, err := tr.In(m, addr)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for e := range env {
		if e.Error != nil {
			t.Fatalf("AXFR from %s: %v", addr, e.Error)
		}
		for _, rr := range e.RR {
			out = append(out, rr.String())
		}
	}
	sort.Strings(out)
	return slices.Compact(out)
}

// TestUDPAnswersAsBIND compares answers over UDP, where size matters:
// truncation with and without EDNS, the EDNS cap, glue.
func TestUDPAnswersAsBIND(t *testing.T) {
	var text strings.Builder
	text.WriteString(zoneText)
	for i := range 40 {
		fmt.Fprintf(&text, "big IN TXT \"record number %02d with some padding to make it long\"\n", i)
	}
	for i := range 12 {
		fmt.Fprintf(&text, "mid IN TXT \"record number %02d with some padding to make it long\"\n", i)
	}
	b := testpeer.StartBIND(t, "example.test", text.String())
	s := dnstest.NewTestServer(t, "example.test", text.String())
	for _, name := range []string{"big.example.test.", "mid.example.test.", "xmpp.example.test.", "nope.example.test."} {
		// (BIND answers an EDNS buffer of exactly 512 without authority and
		// glue; dnstest does not copy that quirk.)
		for _, edns := range []uint16{0, 1232, 4096} {
			for _, rd := range []bool{false, true} {
				got := [2]string{}
				for i, addr := range []string{b.Addr, s.Addr} {
					m := new(dns.Msg)
					m.SetQuestion(name, dns.TypeTXT)
					if name == "xmpp.example.test." {
						m.Question[0].Qtype = dns.TypeA
					}
					m.RecursionDesired = rd
					if edns > 0 {
						m.SetEdns0(edns, false)
					}
					r, _, err := (&dns.Client{Net: "udp", UDPSize: 65535, Timeout: 2 * time.Second}).Exchange(m, addr)
					if err != nil {
						t.Fatal(err)
					}
					got[i] = summary(r)
				}
				if got[0] != got[1] {
					t.Errorf("%s edns=%d rd=%v:\n  BIND:    %s\n  dnstest: %s", name, edns, rd, got[0], got[1])
				}
			}
		}
	}
}
