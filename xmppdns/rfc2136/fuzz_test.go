package rfc2136

import (
	"testing"
	"time"

	"github.com/libdns/libdns"
	"github.com/miekg/dns"
)

// FuzzAnswer feeds arbitrary bytes as a server's answer through the code
// that reads answers: rcode classification and record conversion must not
// panic, and every converted record must convert back to its RR form.
func FuzzAnswer(f *testing.F) {
	m := new(dns.Msg)
	m.SetQuestion("_xmpp-server._tcp.example.test.", dns.TypeSRV)
	srv, _ := dns.NewRR("_xmpp-server._tcp.example.test. 300 IN SRV 10 5 5269 xmpp.example.test.")
	txt, _ := dns.NewRR(`t.example.test. 60 IN TXT "a\"b" "c\\d\255"`)
	a, _ := dns.NewRR("example.test. 60 IN A 192.0.2.1")
	m.Answer = []dns.RR{srv, txt, a}
	m.Rcode = dns.RcodeNameError
	m.SetTsig("k.", dns.HmacSHA256, 300, 0)
	b, _ := m.Pack()
	f.Add(b)
	f.Fuzz(func(t *testing.T, data []byte) {
		r := new(dns.Msg)
		if err := r.Unpack(data); err != nil {
			return
		}
		_ = checkRcode("query", "127.0.0.1:53", "example.test.", r, dns.RcodeSuccess, dns.RcodeNameError)
		for _, rr := range append(append([]dns.RR(nil), r.Answer...), r.Ns...) {
			rec := fromDNS("example.test.", rr)
			_ = rec.RR()
			if p, err := rec.RR().Parse(); err == nil {
				_ = p.RR()
			}
		}
	})
}

// FuzzRecordInput feeds arbitrary libdns records to the conversion that
// builds update packets: it must not panic, and what it accepts must pack.
func FuzzRecordInput(f *testing.F) {
	f.Add("www", "A", "192.0.2.1", int64(60))
	f.Add("_xmpp-server._tcp", "SRV", "10 0 5269 xmpp.example.test.", int64(300))
	f.Add("t", "TXT", "quote \" backslash \\ ;", int64(0))
	f.Add("@", "CAA", `0 issue "ca.example; account=1"`, int64(60))
	f.Fuzz(func(t *testing.T, name, typ, data string, ttl int64) {
		rr, err := toDNS("example.test.", libdns.RR{Name: name, Type: typ, Data: data, TTL: time.Duration(ttl)})
		if err != nil {
			return
		}
		m := new(dns.Msg)
		m.SetUpdate("example.test.")
		m.Insert([]dns.RR{rr})
		if _, err := m.Pack(); err != nil {
			t.Fatalf("accepted %q %q %q but it does not pack: %v", name, typ, data, err)
		}
	})
}

// FuzzTXT checks that any text survives the split into character-strings,
// packing, unpacking and joining unchanged.
func FuzzTXT(f *testing.F) {
	f.Add("hello world")
	f.Add(`quotes " backslashes \000 del ` + "\x7f\xff")
	f.Fuzz(func(t *testing.T, text string) {
		rr := &dns.TXT{Hdr: dns.RR_Header{Name: "t.example.test.", Rrtype: dns.TypeTXT, Class: dns.ClassINET}, Txt: splitTXT(text)}
		buf := make([]byte, 70000)
		n, err := dns.PackRR(rr, buf, 0, nil, false)
		if err != nil {
			return // longer than a record can be
		}
		back, _, err := dns.UnpackRR(buf[:n], 0)
		if err != nil {
			t.Fatal(err)
		}
		if got := joinTXT(back.(*dns.TXT).Txt); got != text {
			t.Fatalf("round trip: %q -> %q", text, got)
		}
	})
}
