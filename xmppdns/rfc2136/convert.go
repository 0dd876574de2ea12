package rfc2136

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/libdns/libdns"
	"github.com/miekg/dns"
)

// toDNS turns a libdns record of zone into a DNS record (class IN). Data is
// read as zone-file RDATA with the zone as origin, except for TXT, whose
// Data is the unescaped text.
func toDNS(zone string, rec libdns.Record) (dns.RR, error) {
	r := rec.RR()
	owner, err := absName(r.Name, zone)
	if err != nil {
		return nil, err
	}
	t, err := parseType(r.Type, true)
	if err != nil {
		return nil, err
	}
	if r.TTL < 0 || r.TTL/time.Second > math.MaxInt32 {
		return nil, invalid("ttl", r.TTL.String(), "must be between 0 and 2^31-1 seconds")
	}
	hdr := dns.RR_Header{Name: owner, Rrtype: t, Class: dns.ClassINET, Ttl: uint32(r.TTL / time.Second)}
	if t == dns.TypeTXT {
		return &dns.TXT{Hdr: hdr, Txt: splitTXT(r.Data)}, nil
	}
	if strings.TrimSpace(r.Data) == "" {
		return nil, invalid("data", r.Data, "%s %s needs data", r.Name, r.Type)
	}
	if strings.ContainsAny(r.Data, "\n\r") {
		return nil, invalid("data", r.Data, "line breaks are not allowed")
	}
	line := fmt.Sprintf("%s %d IN %s %s", owner, hdr.Ttl, dns.TypeToString[t], r.Data)
	rr, err := parseRR(line, zone)
	if err != nil {
		return nil, invalid("data", r.Data, "not one valid %s record: %v", r.Type, err)
	}
	// Parsed again with another origin, data holding a relative name (such as
	// an SRV target without its trailing dot) reads differently: refuse it
	// rather than guess which name was meant.
	if other, err := parseRR(line, "relative.invalid."); err != nil || !dns.IsDuplicate(rr, other) {
		return nil, invalid("data", r.Data, "holds a relative name; write names absolute, with a trailing dot")
	}
	if rr.Header().Rrtype != t {
		return nil, invalid("data", r.Data, "not %s data", r.Type)
	}
	return rr, nil
}

// parseRR parses exactly one record in zone-file syntax.
func parseRR(line, origin string) (dns.RR, error) {
	zp := dns.NewZoneParser(strings.NewReader(line), origin, "")
	rr, ok := zp.Next()
	if err := zp.Err(); err != nil {
		return nil, err
	}
	if !ok {
		return nil, fmt.Errorf("no record")
	}
	if _, more := zp.Next(); more {
		return nil, fmt.Errorf("more than one record")
	}
	return rr, nil
}

// fromDNS turns an answer record into the libdns type of its RR type (RR when
// libdns has none or cannot parse it), with its name relative to zone.
func fromDNS(zone string, rr dns.RR) libdns.Record {
	h := rr.Header()
	typ, ok := dns.TypeToString[h.Rrtype]
	if !ok {
		typ = fmt.Sprintf("TYPE%d", h.Rrtype)
	}
	var data string
	if txt, ok := rr.(*dns.TXT); ok {
		data = joinTXT(txt.Txt)
	} else {
		data = strings.TrimPrefix(rr.String(), h.String())
	}
	r := libdns.RR{Name: relName(h.Name, zone), TTL: time.Duration(h.Ttl) * time.Second, Type: typ, Data: data}
	p, err := r.Parse()
	if err != nil {
		return r
	}
	return p
}

// fromDNSAll converts a list of records.
func fromDNSAll(zone string, rrs []dns.RR) []libdns.Record {
	out := make([]libdns.Record, 0, len(rrs))
	for _, rr := range rrs {
		out = append(out, fromDNS(zone, rr))
	}
	return out
}
