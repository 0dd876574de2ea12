package xmppdns

import (
	"encoding/json"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/libdns/libdns"
)

// RRset is one resource record set as this package reads, writes, snapshots
// and verifies it: an absolute owner name, a type (SRV, A or AAAA), a TTL and
// the record data in canonical zone-file form, sorted ("10 0 5269
// edge2.contoso.com." for SRV, "192.0.2.10" for A). An RRset with no Data is
// absent from the zone.
//
// RRset values are comparable with Equal and marshal to JSON.
type RRset struct {
	Name string        // absolute, lower case: "_xmpp-server._tcp.contoso.com."
	Type string        // "SRV", "A" or "AAAA"
	TTL  time.Duration // whole seconds (in seconds in JSON); 0 when absent
	Data []string      // canonical rdata, sorted, no duplicates
}

// rrsetJSON is RRset's JSON form: the TTL in whole seconds, as zone files
// and dnscontrol give it.
type rrsetJSON struct {
	Name string   `json:"name"`
	Type string   `json:"type"`
	TTL  int64    `json:"ttl"`
	Data []string `json:"data"`
}

// MarshalJSON encodes the RRset with its TTL in seconds:
// {"name":"xmpp.contoso.com.","type":"A","ttl":300,"data":["192.0.2.1"]}.
func (s RRset) MarshalJSON() ([]byte, error) {
	return json.Marshal(rrsetJSON{Name: s.Name, Type: s.Type, TTL: int64(s.TTL / time.Second), Data: s.Data})
}

// UnmarshalJSON decodes the form MarshalJSON writes. TTLs beyond 2^31-1
// seconds (RFC 2181 §8) are refused.
func (s *RRset) UnmarshalJSON(b []byte) error {
	var j rrsetJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	if j.TTL < 0 || j.TTL > 1<<31-1 {
		return inputErr("ttl", strconv.FormatInt(j.TTL, 10), "not a DNS TTL in seconds")
	}
	*s = RRset{Name: j.Name, Type: j.Type, TTL: time.Duration(j.TTL) * time.Second, Data: j.Data}
	return nil
}

// Key identifies an RRset: its absolute owner name and its type.
type Key struct {
	Name string `json:"name"`
	Type string `json:"type"`
}

// Key returns the RRset's name and type.
func (s RRset) Key() Key { return Key{Name: s.Name, Type: s.Type} }

// Exists reports whether the RRset has records.
func (s RRset) Exists() bool { return len(s.Data) > 0 }

// SameData reports whether s and o hold the same records, ignoring TTL
// (the comparison RFC 2136 prerequisites make).
func (s RRset) SameData(o RRset) bool { return slices.Equal(s.Data, o.Data) }

// Equal reports whether s and o have the same key, TTL and records. The TTL
// of absent RRsets is not compared.
func (s RRset) Equal(o RRset) bool {
	if s.Key() != o.Key() || !s.SameData(o) {
		return false
	}
	return !s.Exists() || s.TTL == o.TTL
}

func (s RRset) dataString() string {
	if !s.Exists() {
		return "absent"
	}
	return strings.Join(s.Data, ", ") + " ttl=" + strconv.FormatInt(int64(s.TTL/time.Second), 10)
}

func (s RRset) clone() RRset {
	s.Data = slices.Clone(s.Data)
	return s
}

// canonicalData returns rdata in canonical form: SRV targets lower case and
// absolute (a provider that drops the trailing dot is read as absolute), IP
// addresses in their shortest form. Data that does not parse is kept as read,
// with runs of blanks folded, so that a diff shows it.
func canonicalData(rtype, data string) string {
	data = strings.Join(strings.Fields(data), " ")
	switch rtype {
	case "SRV":
		srv, err := parseSRVData(data)
		if err != nil {
			return data
		}
		srv.Target = canonicalTarget(srv.Target)
		return srv.String()
	case "A", "AAAA":
		ip, err := netip.ParseAddr(data)
		if err != nil {
			return data
		}
		return ip.Unmap().String()
	}
	return data
}

func canonicalTarget(t string) string {
	if t == "." {
		return t
	}
	return strings.ToLower(strings.TrimSuffix(t, ".")) + "."
}

func normalizeData(rtype string, data []string) []string {
	out := make([]string, 0, len(data))
	for _, d := range data {
		out = append(out, canonicalData(rtype, d))
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// fromLibdns groups the records of one (name, type) read from a provider
// into an RRset. The TTL is the lowest one seen (RFC 2181 §5.2 wants them
// equal; a provider that disagrees is reported by its lowest value).
func fromLibdns(key Key, recs []libdns.Record) RRset {
	set := RRset{Name: key.Name, Type: key.Type}
	for i, r := range recs {
		rr := r.RR()
		set.Data = append(set.Data, rr.Data)
		ttl := rr.TTL.Truncate(time.Second)
		if i == 0 || ttl < set.TTL {
			set.TTL = ttl
		}
	}
	set.Data = normalizeData(key.Type, set.Data)
	if !set.Exists() {
		set.TTL = 0
	}
	return set
}

// toLibdns converts the RRset to the typed libdns records a provider
// expects: names relative to zone, libdns.SRV and libdns.Address values.
func (s RRset) toLibdns(zone string) []libdns.Record {
	rel := libdns.RelativeName(s.Name, zone)
	out := make([]libdns.Record, 0, len(s.Data))
	for _, d := range s.Data {
		switch s.Type {
		case "SRV":
			out = append(out, srvRecord(rel, s.TTL, d))
		case "A", "AAAA":
			// libdns.Address picks A or AAAA from the address: use it only
			// when that agrees with the RRset's type.
			if ip, err := netip.ParseAddr(d); err == nil && ip.Is4() == (s.Type == "A") {
				out = append(out, libdns.Address{Name: rel, TTL: s.TTL, IP: ip})
				continue
			}
			out = append(out, libdns.RR{Name: rel, TTL: s.TTL, Type: s.Type, Data: d})
		default:
			out = append(out, libdns.RR{Name: rel, TTL: s.TTL, Type: s.Type, Data: d})
		}
	}
	return out
}

// srvRecord builds a libdns.SRV whose RR().Name is rel. libdns.RR.Parse
// reads the data and splits rel into service, transport and name; when
// that split does not give rel back (rel is not "_service._proto[.name]"),
// the name is kept whole. Data that does not parse stays a libdns.RR.
func srvRecord(rel string, ttl time.Duration, data string) libdns.Record {
	rr := libdns.RR{Name: rel, TTL: ttl, Type: "SRV", Data: data}
	if rec, err := rr.Parse(); err == nil && rec.RR().Name == rel {
		return rec
	}
	srv, err := parseSRVData(data)
	if err != nil {
		return rr
	}
	return libdns.SRV{Name: rel, TTL: ttl, Priority: srv.Priority, Weight: srv.Weight, Port: srv.Port, Target: srv.Target}
}
