package memdns

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/libdns/libdns"
)

// Provider is an in-memory libdns provider holding a set of zones. Make one
// with New; the zero value holds no zone (add them with AddZone). It is safe
// for concurrent use.
type Provider struct {
	mu    sync.Mutex
	zones map[string][]libdns.RR // by absolute zone name; names relative, lower case
	hooks Hooks
	calls map[string]int
	order []string
}

var (
	_ libdns.RecordGetter  = (*Provider)(nil)
	_ libdns.RecordSetter  = (*Provider)(nil)
	_ libdns.RecordDeleter = (*Provider)(nil)
	_ libdns.ZoneLister    = (*Provider)(nil)
)

// New returns a Provider holding the given zones, empty. Zone names are
// absolute ("example.test.").
func New(zones ...string) *Provider {
	p := &Provider{}
	for _, z := range zones {
		p.AddZone(z)
	}
	return p
}

// AddZone adds an empty zone (absolute name); a zone already held is kept.
func (p *Provider) AddZone(zone string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.zones == nil {
		p.zones = map[string][]libdns.RR{}
	}
	if _, ok := p.zones[zone]; !ok {
		p.zones[zone] = nil
	}
}

// Put stores records directly, as test setup: each (name, type) it names
// becomes exactly the records given, as SetRecords does, but without
// validation, hooks or counting. The zone is added if it is not held.
func (p *Provider) Put(zone string, recs ...libdns.Record) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.zones == nil {
		p.zones = map[string][]libdns.RR{}
	}
	p.putLocked(zone, recs)
}

func (p *Provider) putLocked(zone string, recs []libdns.Record) {
	for _, r := range recs {
		rr := r.RR()
		p.zones[zone] = slices.DeleteFunc(p.zones[zone], func(x libdns.RR) bool { return x.Name == rr.Name && x.Type == rr.Type })
	}
	for _, r := range recs {
		rr := r.RR()
		rr.TTL = rr.TTL.Truncate(time.Second)
		p.zones[zone] = append(p.zones[zone], rr)
	}
}

// check counts a call, applies the hooks and validates zone and records; it
// returns the records normalized. p.mu must be held.
func (p *Provider) check(ctx context.Context, method, rtype, zone string, recs []libdns.Record) ([]libdns.RR, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if p.calls == nil {
		p.calls = map[string]int{}
	}
	p.calls[method]++
	write := method != "GetRecords" && method != "GetRRset" && method != "ListZones"
	if write {
		p.order = append(p.order, strings.TrimSpace(method+" "+rtype))
		if p.hooks.FailWrites != nil {
			return nil, p.hooks.FailWrites
		}
	}
	if p.hooks.FailOn != nil {
		if err := p.hooks.FailOn(method, rtype); err != nil {
			return nil, err
		}
	}
	if method == "ListZones" {
		return nil, nil
	}
	if _, ok := p.zones[zone]; !ok {
		return nil, fmt.Errorf("memdns: no zone %q", zone)
	}
	out := make([]libdns.RR, len(recs))
	for i, r := range recs {
		rr := r.RR()
		if rr.Name == "" || strings.HasSuffix(rr.Name, ".") {
			return nil, fmt.Errorf("memdns: record name %q is not relative to the zone", rr.Name)
		}
		rr.Name = strings.ToLower(rr.Name)
		rr.TTL = rr.TTL.Truncate(time.Second)
		if method != "DeleteRecords" || rr.Data != "" {
			if _, err := rr.Parse(); err != nil {
				return nil, fmt.Errorf("memdns: %s %s %q: %w", rr.Name, rr.Type, rr.Data, err)
			}
		}
		out[i] = rr
	}
	return out, nil
}

// beforeWrite runs the BeforeWrite hook. p.mu must be held.
func (p *Provider) beforeWrite(zone string) {
	if p.hooks.BeforeWrite != nil {
		p.hooks.BeforeWrite(func(recs ...libdns.Record) { p.putLocked(zone, recs) })
	}
}

func parsed(rrs []libdns.RR) []libdns.Record {
	out := make([]libdns.Record, 0, len(rrs))
	for _, rr := range rrs {
		r, err := rr.Parse()
		if err != nil {
			r = rr // only Put stores unparsed data; give it back as it came
		}
		out = append(out, r)
	}
	return out
}

func records(rrs []libdns.RR) []libdns.Record {
	out := make([]libdns.Record, len(rrs))
	for i, rr := range rrs {
		out[i] = rr
	}
	return out
}

// ListZones returns the zones held, sorted by name.
func (p *Provider) ListZones(ctx context.Context) ([]libdns.Zone, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, err := p.check(ctx, "ListZones", "", "", nil); err != nil {
		return nil, err
	}
	out := make([]libdns.Zone, 0, len(p.zones))
	for z := range p.zones {
		out = append(out, libdns.Zone{Name: z})
	}
	slices.SortFunc(out, func(a, b libdns.Zone) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

// GetRecords returns every record of the zone, as typed libdns structs.
func (p *Provider) GetRecords(ctx context.Context, zone string) ([]libdns.Record, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, err := p.check(ctx, "GetRecords", "", zone, nil); err != nil {
		return nil, err
	}
	return parsed(p.zones[zone]), nil
}

// SetRecords makes recs the whole RRset of each (name, type) they name and
// returns them; other RRsets are untouched.
func (p *Provider) SetRecords(ctx context.Context, zone string, recs []libdns.Record) ([]libdns.Record, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	rrs, err := p.check(ctx, "SetRecords", "", zone, recs)
	if err != nil {
		return nil, err
	}
	p.beforeWrite(zone)
	if !p.hooks.Lie {
		p.putLocked(zone, records(rrs))
	}
	return parsed(rrs), nil
}

// DeleteRecords deletes the records matching recs (same name; an empty Type,
// zero TTL or empty Data matches any) and returns those it deleted.
func (p *Provider) DeleteRecords(ctx context.Context, zone string, recs []libdns.Record) ([]libdns.Record, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	rrs, err := p.check(ctx, "DeleteRecords", "", zone, recs)
	if err != nil {
		return nil, err
	}
	p.beforeWrite(zone)
	var deleted []libdns.RR
	keep := p.zones[zone][:0:0]
	for _, have := range p.zones[zone] {
		if slices.ContainsFunc(rrs, func(del libdns.RR) bool { return matches(del, have) }) {
			deleted = append(deleted, have)
			continue
		}
		keep = append(keep, have)
	}
	if !p.hooks.Lie {
		p.zones[zone] = keep
	}
	return parsed(deleted), nil
}

func matches(del, have libdns.RR) bool {
	return del.Name == have.Name &&
		(del.Type == "" || del.Type == have.Type) &&
		(del.TTL == 0 || del.TTL == have.TTL) &&
		(del.Data == "" || del.Data == have.Data)
}
