package xmppdns

import (
	"errors"
	"strings"
	"testing"

	"github.com/miekg/dns"
)

// FuzzParseHost feeds arbitrary names, as a config file or a host's output
// gives them, to ParseHost and to the SRV owner check. What ParseHost
// accepts is absolute, lower case, stable, and a name of at most 255 octets
// on the wire (RFC 1035 §2.3.4) that the DNS library accepts; checkSRVDomain
// accepts exactly the domains whose SRV owner name fits in 255 octets. (The
// DNS library's IsDomainName allows 256: it is not the reference for the
// length.)
func FuzzParseHost(f *testing.F) {
	for _, s := range []string{
		"EdgePool2.contoso.com", "edgepool2.contoso.com.", "contoso.com..", "_xmpp-server._tcp.contoso.com",
		"*.contoso.com", "xn--bcher-kva.example", "a.123", "123.com", "a\\.b.com", "é.com",
		strings.Repeat("a", 63) + ".com", strings.Repeat("a", 64) + ".com",
		strings.Repeat(strings.Repeat("a", 63)+".", 3) + strings.Repeat("b", 61),
		strings.Repeat(strings.Repeat("a", 63)+".", 3) + strings.Repeat("b", 43),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		h, err := ParseHost(s)
		if err != nil {
			var ie *InputError
			if !errors.As(err, &ie) || !errors.Is(err, ErrInvalidInput) || len(err.Error()) > 400 {
				t.Fatalf("ParseHost(%q): error %v is not a bounded *InputError", s, err)
			}
			return
		}
		if h != strings.ToLower(h) || !strings.HasSuffix(h, ".") || !SameName(h, s) || !InZone(h, s) {
			t.Fatalf("ParseHost(%q) = %q: not the same name, absolute and lower case", s, h)
		}
		if again, err := ParseHost(h); err != nil || again != h {
			t.Fatalf("ParseHost(%q) = %q, but ParseHost(%q) = %q, %v", s, h, h, again, err)
		}
		if _, ok := dns.IsDomainName(h); !ok || wireLen(h) > 255 {
			t.Fatalf("ParseHost(%q) = %q, which is %d octets on the wire or refused by the DNS library", s, h, wireLen(h))
		}
		fits := wireLen(SRVName(h)) <= 255
		if srvOK := checkSRVDomain("domain", s, h) == nil; srvOK != fits {
			t.Fatalf("SRV owner of %q (%d octets): checkSRVDomain accepts: %v", h, wireLen(SRVName(h)), srvOK)
		}
	})
}

// FuzzSRVRecord feeds arbitrary SRV records, as a caller or a config file
// gives them, to the SRV set validator. What it accepts has rdata that the
// provider-side parser (parseSRVData, libdns) reads back as the same record
// with the target absolute and lower case, that the DNS library parses and
// packs, and that the raw RRset validator (Plan, Restore, a journal) accepts
// again: parse∘format is the identity, and the two validators agree.
func FuzzSRVRecord(f *testing.F) {
	f.Add("edgepool2.contoso.com", uint16(5269), uint16(10), uint16(0), "edgepool1.contoso.com.", uint16(5269), uint16(20))
	f.Add(".", uint16(0), uint16(0), uint16(0), "", uint16(0), uint16(0))
	f.Add("Edge.Contoso.COM.", uint16(1), uint16(65535), uint16(65535), "edge.contoso.com", uint16(1), uint16(0))
	f.Add("_x.contoso.com", uint16(5269), uint16(0), uint16(0), "", uint16(0), uint16(0))
	f.Fuzz(func(t *testing.T, target string, port, prio, weight uint16, target2 string, port2, prio2 uint16) {
		srvs := []SRV{{Target: target, Port: port, Priority: prio, Weight: weight}}
		if target2 != "" {
			srvs = append(srvs, SRV{Target: target2, Port: port2, Priority: prio2})
		}
		data, err := checkSRVs("Records", srvs)
		if err != nil {
			if !errors.Is(err, ErrInvalidInput) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		if len(data) != len(srvs) {
			t.Fatalf("%d records became %d rdata: %q", len(srvs), len(data), data)
		}
		for _, d := range data {
			back, err := parseSRVData(d)
			if err != nil {
				t.Fatalf("accepted rdata %q does not parse back: %v", d, err)
			}
			if back.String() != d || canonicalData("SRV", d) != d {
				t.Fatalf("rdata %q reads back as %q", d, back.String())
			}
			found := false
			for _, s := range srvs {
				if s.Port == back.Port && s.Priority == back.Priority && s.Weight == back.Weight && canonicalTarget(strings.ToLower(s.Target)) == back.Target {
					found = true
				}
			}
			if !found {
				t.Fatalf("rdata %q is none of the records given: %+v", d, srvs)
			}
			rr, err := dns.NewRR("_xmpp-server._tcp.contoso.com. 300 IN SRV " + d)
			if err != nil || rr == nil {
				t.Fatalf("accepted rdata %q is not SRV data for the DNS library: %v", d, err)
			}
			if _, err := dns.PackRR(rr, make([]byte, 1024), 0, nil, false); err != nil {
				t.Fatalf("accepted rdata %q does not pack: %v", d, err)
			}
		}
		z := &Zone{name: testZone}
		if _, err := (RRset{Name: "_xmpp-server._tcp.contoso.com.", Type: "SRV", TTL: DefaultTTL, Data: data}).rrsets(z); err != nil {
			t.Fatalf("checkSRVs accepted %q, the raw RRset validator refuses it: %v", data, err)
		}
	})
}

// wireLen is the length on the wire of an LDH name (no escapes): a length
// octet per label, the labels, and the root's zero octet.
func wireLen(name string) int {
	name = strings.TrimSuffix(name, ".")
	if name == "" {
		return 1
	}
	return len(name) + 2
}
