package dnstest

import (
	"fmt"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/miekg/dns"
)

// maxVersions bounds the history a Zone keeps for lagging secondaries. A
// secondary that lags behind more versions than this serves the oldest kept.
const maxVersions = 4096

// Zone is an in-memory authoritative zone. It keeps a short history of its
// versions (one per change) so that secondaries can serve it as it was some
// time ago. A Zone is safe for concurrent use; one Zone may be served by
// several Servers.
type Zone struct {
	origin string // canonical, absolute

	mu       sync.Mutex
	versions []*version // oldest first; never empty
	now      func() time.Time
}

// version is one immutable state of a zone.
type version struct {
	at     time.Time
	serial uint32
	sets   map[rrKey][]dns.RR // records in canonical (lower-case, absolute) owner form
}

type rrKey struct {
	name  string
	rtype uint16
}

// NewZone returns a zone for origin holding rrs. Every record must lie in the
// zone and be of class IN. The records are checked as BIND checks a zone
// file it loads as primary: host names in A, AAAA and MX owners and in MX,
// NS, SRV and SOA data (check-names fail), at most one CNAME at a name and
// then nothing else, the SOA at the apex; the records of an RRset take the
// TTL of its first record, and a TTL above 2^31-1 becomes 0 (RFC 2181 §8).
// When rrs hold no SOA, a SOA at the apex is added (primary ns1.<origin>,
// serial 1, minimum TTL 60); when they hold no NS at the apex,
// "ns1.<origin>" is added as the only NS, with the address 127.0.0.1 unless
// it has one. As BIND does, a zone whose apex NS names a host inside the
// zone that has no A or AAAA record is refused.
func NewZone(origin string, rrs ...dns.RR) (*Zone, error) {
	if _, ok := dns.IsDomainName(origin); !ok || origin == "" || origin == "." {
		return nil, fmt.Errorf("dnstest: bad zone origin %q", origin)
	}
	o := dns.CanonicalName(origin)
	sets := make(map[rrKey][]dns.RR)
	for _, rr := range rrs {
		h := rr.Header()
		if h.Class != dns.ClassINET {
			return nil, fmt.Errorf("dnstest: record %q is not of class IN", rr.String())
		}
		if !dns.IsSubDomain(o, dns.CanonicalName(h.Name)) {
			return nil, fmt.Errorf("dnstest: record %q lies outside zone %s", rr.String(), o)
		}
		if noData(rr) {
			return nil, fmt.Errorf("dnstest: record %q has no data, as BIND refuses", rr.String())
		}
		if err := checkNames(rr); err != nil {
			return nil, err
		}
		sets = loadRR(sets, rr)
	}
	if err := checkSingletons(o, sets); err != nil {
		return nil, err
	}
	if len(sets[rrKey{o, dns.TypeSOA}]) > 1 {
		return nil, fmt.Errorf("dnstest: zone %s has more than one SOA", o)
	}
	if len(sets[rrKey{o, dns.TypeSOA}]) == 0 {
		sets[rrKey{o, dns.TypeSOA}] = []dns.RR{&dns.SOA{
			Hdr: dns.RR_Header{Name: o, Rrtype: dns.TypeSOA, Class: dns.ClassINET, Ttl: 3600},
			Ns:  "ns1." + o, Mbox: "hostmaster." + o,
			Serial: 1, Refresh: 3600, Retry: 600, Expire: 86400, Minttl: 60,
		}}
	}
	if len(sets[rrKey{o, dns.TypeNS}]) == 0 {
		sets[rrKey{o, dns.TypeNS}] = []dns.RR{&dns.NS{
			Hdr: dns.RR_Header{Name: o, Rrtype: dns.TypeNS, Class: dns.ClassINET, Ttl: 3600},
			Ns:  "ns1." + o,
		}}
		if len(sets[rrKey{"ns1." + o, dns.TypeA}])+len(sets[rrKey{"ns1." + o, dns.TypeAAAA}]) == 0 {
			sets[rrKey{"ns1." + o, dns.TypeA}] = []dns.RR{&dns.A{
				Hdr: dns.RR_Header{Name: "ns1." + o, Rrtype: dns.TypeA, Class: dns.ClassINET, Ttl: 3600},
				A:   net.IPv4(127, 0, 0, 1),
			}}
		}
	}
	if bad := missingNSAddress(o, sets); bad != "" {
		return nil, fmt.Errorf("dnstest: zone %s: NS %s has no address records (A or AAAA), as BIND refuses to load", o, bad)
	}
	z := &Zone{origin: o, now: time.Now}
	soa := sets[rrKey{o, dns.TypeSOA}][0].(*dns.SOA)
	z.versions = []*version{{at: z.now(), serial: soa.Serial, sets: sets}}
	return z, nil
}

// ParseZone reads zone-file text (RFC 1035 master format, $ORIGIN and $TTL
// allowed; relative names are relative to origin) and returns the zone, as
// NewZone does.
func ParseZone(origin, text string) (*Zone, error) {
	if _, ok := dns.IsDomainName(origin); !ok || origin == "" || origin == "." {
		return nil, fmt.Errorf("dnstest: bad zone origin %q", origin)
	}
	zp := dns.NewZoneParser(strings.NewReader(text), dns.Fqdn(origin), "")
	var rrs []dns.RR
	for rr, ok := zp.Next(); ok; rr, ok = zp.Next() {
		rrs = append(rrs, rr)
	}
	if err := zp.Err(); err != nil {
		return nil, fmt.Errorf("dnstest: zone %s: %w", origin, err)
	}
	return NewZone(origin, rrs...)
}

// Origin returns the zone's name in canonical form (lower case, trailing dot).
func (z *Zone) Origin() string { return z.origin }

// Serial returns the serial of the zone's current SOA.
func (z *Zone) Serial() uint32 {
	z.mu.Lock()
	defer z.mu.Unlock()
	return z.current().serial
}

// Records returns a copy of every record of the current version, SOA first,
// then sorted by owner name and type.
func (z *Zone) Records() []dns.RR {
	z.mu.Lock()
	v := z.current()
	z.mu.Unlock()
	return v.records()
}

// Lookup returns a copy of the current RRset of (name, rrtype), or nil.
func (z *Zone) Lookup(name string, rrtype uint16) []dns.RR {
	z.mu.Lock()
	v := z.current()
	z.mu.Unlock()
	return copyRRs(v.sets[rrKey{dns.CanonicalName(name), rrtype}])
}

// SetRRset replaces the RRset (name, rrtype) by rrs, or deletes it when rrs is
// empty, and increments the serial, as if someone else had changed the zone.
// Every record of rrs must have that owner and type.
func (z *Zone) SetRRset(name string, rrtype uint16, rrs ...dns.RR) error {
	k := rrKey{dns.CanonicalName(name), rrtype}
	if !dns.IsSubDomain(z.origin, k.name) {
		return fmt.Errorf("dnstest: %s lies outside zone %s", name, z.origin)
	}
	for _, rr := range rrs {
		if h := rr.Header(); dns.CanonicalName(h.Name) != k.name || h.Rrtype != rrtype || h.Class != dns.ClassINET {
			return fmt.Errorf("dnstest: record %q does not belong to RRset %s %s", rr.String(), k.name, dns.TypeToString[rrtype])
		}
	}
	z.mu.Lock()
	defer z.mu.Unlock()
	sets := z.current().clone()
	delete(sets, k)
	for _, rr := range rrs {
		sets = addRR(sets, rr)
	}
	z.commit(sets)
	return nil
}

// current returns the newest version; z.mu must be held.
func (z *Zone) current() *version { return z.versions[len(z.versions)-1] }

// at returns the newest version at least lag old; z.mu must be held.
func (z *Zone) at(lag time.Duration) *version {
	if lag <= 0 {
		return z.current()
	}
	cut := z.now().Add(-lag)
	for i := len(z.versions) - 1; i > 0; i-- {
		if !z.versions[i].at.After(cut) {
			return z.versions[i]
		}
	}
	return z.versions[0]
}

// view returns the version a server with the given lag serves.
func (z *Zone) view(lag time.Duration) *version {
	z.mu.Lock()
	defer z.mu.Unlock()
	return z.at(lag)
}

// commit makes sets the new current version with the serial incremented;
// z.mu must be held.
func (z *Zone) commit(sets map[rrKey][]dns.RR) {
	k := rrKey{z.origin, dns.TypeSOA}
	soa := dns.Copy(sets[k][0]).(*dns.SOA)
	soa.Serial++ // RFC 1982 arithmetic: wraps around
	sets[k] = []dns.RR{soa}
	z.versions = append(z.versions, &version{at: z.now(), serial: soa.Serial, sets: sets})
	if len(z.versions) > maxVersions {
		z.versions = append([]*version(nil), z.versions[len(z.versions)-maxVersions:]...)
	}
}

// missingNSAddress returns an apex NS target inside the zone that has no A
// or AAAA record, or "" (BIND's integrity check on load and after updates).
func missingNSAddress(origin string, sets map[rrKey][]dns.RR) string {
	for _, rr := range sets[rrKey{origin, dns.TypeNS}] {
		t := dns.CanonicalName(rr.(*dns.NS).Ns)
		if dns.IsSubDomain(origin, t) && len(sets[rrKey{t, dns.TypeA}])+len(sets[rrKey{t, dns.TypeAAAA}]) == 0 {
			return t
		}
	}
	return ""
}
