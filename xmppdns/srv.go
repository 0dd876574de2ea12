package xmppdns

import (
	"context"
	"fmt"
	"time"

	"github.com/libdns/libdns"
)

// SRV is one record of the _xmpp-server._tcp SRV set of a domain.
type SRV struct {
	Target   string // host name, with or without the trailing dot ("edge2.contoso.com."; read back absolute), or "." (no service)
	Port     uint16 // DefaultPort (5269) for Lync/SfB Edge; 0 only with target "."
	Priority uint16 // lower is preferred
	Weight   uint16 // share among records of equal priority
}

// String returns the record's data in zone-file form: "10 0 5269 edge2.contoso.com.".
func (s SRV) String() string {
	return fmt.Sprintf("%d %d %d %s", s.Priority, s.Weight, s.Port, s.Target)
}

// NotAvailable returns the single record that says a domain decidedly offers
// no XMPP server-to-server service (RFC 2782 target ".").
func NotAvailable() SRV { return SRV{Target: "."} }

// SRVName returns the owner name of a domain's XMPP server-to-server SRV
// set, "_xmpp-server._tcp.<domain>.", without validating domain.
func SRVName(domain string) string {
	return srvPrefix + lowerAbs(domain)
}

// SRVSet is the desired SRV set of _xmpp-server._tcp.<Domain>. Records must
// be non-empty: a domain is never left without a target (use NotAvailable to
// publish "no service"). TTL 0 keeps the current TTL, or the zone default
// for a new set.
type SRVSet struct {
	Domain  string
	TTL     time.Duration
	Records []SRV
}

func (s SRVSet) rrsets(z *Zone) ([]RRset, error) {
	d, err := inZone("SRVSet.Domain", s.Domain, z.name)
	if err != nil {
		return nil, err
	}
	if err := checkSRVDomain("SRVSet.Domain", s.Domain, d); err != nil {
		return nil, err
	}
	if err := checkTTL("SRVSet.TTL", s.TTL); err != nil {
		return nil, err
	}
	data, err := checkSRVs("SRVSet.Records", s.Records)
	if err != nil {
		return nil, err
	}
	return []RRset{{Name: SRVName(d), Type: "SRV", TTL: s.TTL, Data: data}}, nil
}

// GetSRV reads the SRV set of _xmpp-server._tcp.<domain>. An absent set has
// no Records.
func (z *Zone) GetSRV(ctx context.Context, domain string) (SRVSet, error) {
	d, err := inZone("domain", domain, z.name)
	if err != nil {
		return SRVSet{}, err
	}
	if err := checkSRVDomain("domain", domain, d); err != nil {
		return SRVSet{}, err
	}
	sets, err := z.read(ctx, []Key{{Name: SRVName(d), Type: "SRV"}})
	if err != nil {
		return SRVSet{}, err
	}
	out := SRVSet{Domain: d, TTL: sets[0].TTL}
	for _, data := range sets[0].Data {
		srv, err := parseSRVData(data)
		if err != nil {
			return SRVSet{}, fmt.Errorf("xmppdns: %s SRV %q: %w", sets[0].Name, data, ErrMalformed)
		}
		out.Records = append(out.Records, srv)
	}
	return out, nil
}

// SetSRV makes records the whole SRV set of _xmpp-server._tcp.<domain>,
// conditionally on the set the plan read (see Apply), and verifies it by a
// read-back. It returns the applied change, whose Before snapshot undoes it.
// Invalid input is refused before anything is sent.
func (z *Zone) SetSRV(ctx context.Context, domain string, records ...SRV) (*Change, error) {
	ch, err := z.Plan(ctx, SRVSet{Domain: domain, Records: records})
	if err != nil {
		return nil, err
	}
	return ch, z.Apply(ctx, ch)
}

// parseSRVData reads SRV rdata ("priority weight port target") with
// libdns.RR.Parse, the parser the providers' records go through: four
// fields, the first three decimal numbers below 2^16. The owner name only
// satisfies Parse, which wants "_service._proto".
func parseSRVData(data string) (SRV, error) {
	rec, err := libdns.RR{Name: "_xmpp-server._tcp", Type: "SRV", Data: data}.Parse()
	if err != nil {
		return SRV{}, ErrMalformed
	}
	s, ok := rec.(libdns.SRV)
	if !ok {
		return SRV{}, ErrMalformed
	}
	return SRV{Priority: s.Priority, Weight: s.Weight, Port: s.Port, Target: s.Target}, nil
}
