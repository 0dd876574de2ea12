package xmppdns

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/libdns/libdns"
)

// memProvider is an in-memory libdns provider that keeps to the documented
// semantics of libdns v1.1.1 as closely as a fake can, so that tests cannot
// pass against it with calls a real provider would refuse or treat
// differently:
//
//   - zones are absolute ("example.test.") and must exist;
//   - record names are relative to the zone, "@" for the apex; an empty or
//     fully qualified (trailing dot) name is refused, as libdns calls it
//     invalid;
//   - data must parse as its type (libdns.RR.Parse), and GetRecords returns
//     the typed structs (libdns.SRV, libdns.Address), never libdns.RR;
//   - TTLs are truncated to whole seconds;
//   - SetRecords makes the input the whole RRset of each (name, type) it
//     names and touches nothing else; it returns the records set;
//   - DeleteRecords deletes exact matches, an empty Type, TTL or Data
//     matching anything, and returns only what it deleted;
//   - every method honours ctx and is safe for concurrent use.
//
// Test hooks: lie makes writes report success without storing anything;
// beforeWrite runs inside every write before it takes effect (to simulate
// someone else's change); failWrites makes writes fail; failOn fails the
// calls it returns an error for (method, and the RRset type for
// SetRRsetIf); calls counts the calls per method and order lists them.
type memProvider struct {
	mu          sync.Mutex
	zones       map[string][]libdns.RR
	lie         bool
	beforeWrite func(p *memProvider)
	failWrites  error // returned by every write, which then changes nothing
	failOn      func(method, rtype string) error
	calls       map[string]int
	order       []string
}

var (
	_ libdns.RecordGetter  = (*memProvider)(nil)
	_ libdns.RecordSetter  = (*memProvider)(nil)
	_ libdns.RecordDeleter = (*memProvider)(nil)
)

func newMemProvider(zones ...string) *memProvider {
	p := &memProvider{zones: map[string][]libdns.RR{}, calls: map[string]int{}}
	for _, z := range zones {
		p.zones[z] = nil
	}
	return p
}

func (p *memProvider) count(method string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.calls[method]
}

// put stores records directly, bypassing the hooks (test setup, or someone
// else's write from beforeWrite, which runs with p.mu held).
func (p *memProvider) putLocked(zone string, recs ...libdns.Record) {
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

func (p *memProvider) put(zone string, recs ...libdns.Record) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.putLocked(zone, recs...)
}

func (p *memProvider) check(ctx context.Context, method, zone string, recs []libdns.Record) ([]libdns.RR, error) {
	return p.checkType(ctx, method, "", zone, recs)
}

func (p *memProvider) checkType(ctx context.Context, method, rtype, zone string, recs []libdns.Record) ([]libdns.RR, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	p.calls[method]++
	if method != "GetRecords" {
		p.order = append(p.order, strings.TrimSpace(method+" "+rtype))
	}
	if method != "GetRecords" && p.failWrites != nil {
		return nil, p.failWrites
	}
	if p.failOn != nil {
		if err := p.failOn(method, rtype); err != nil {
			return nil, err
		}
	}
	if _, ok := p.zones[zone]; !ok {
		return nil, fmt.Errorf("memProvider: no zone %q", zone)
	}
	out := make([]libdns.RR, len(recs))
	for i, r := range recs {
		rr := r.RR()
		if rr.Name == "" || strings.HasSuffix(rr.Name, ".") {
			return nil, fmt.Errorf("memProvider: record name %q is not relative to the zone", rr.Name)
		}
		rr.Name = strings.ToLower(rr.Name)
		rr.TTL = rr.TTL.Truncate(time.Second)
		if method != "DeleteRecords" || rr.Data != "" {
			if _, err := rr.Parse(); err != nil {
				return nil, fmt.Errorf("memProvider: %s %s %q: %w", rr.Name, rr.Type, rr.Data, err)
			}
		}
		out[i] = rr
	}
	return out, nil
}

func parsed(rrs []libdns.RR) []libdns.Record {
	out := make([]libdns.Record, 0, len(rrs))
	for _, rr := range rrs {
		r, err := rr.Parse()
		if err != nil {
			panic(err) // stored records were parsed on the way in
		}
		out = append(out, r)
	}
	return out
}

func (p *memProvider) GetRecords(ctx context.Context, zone string) ([]libdns.Record, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, err := p.check(ctx, "GetRecords", zone, nil); err != nil {
		return nil, err
	}
	return parsed(p.zones[zone]), nil
}

func (p *memProvider) SetRecords(ctx context.Context, zone string, recs []libdns.Record) ([]libdns.Record, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	rrs, err := p.check(ctx, "SetRecords", zone, recs)
	if err != nil {
		return nil, err
	}
	if p.beforeWrite != nil {
		p.beforeWrite(p)
	}
	if !p.lie {
		in := make([]libdns.Record, len(rrs))
		for i, rr := range rrs {
			in[i] = rr
		}
		p.putLocked(zone, in...)
	}
	return parsed(rrs), nil
}

func (p *memProvider) DeleteRecords(ctx context.Context, zone string, recs []libdns.Record) ([]libdns.Record, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	rrs, err := p.check(ctx, "DeleteRecords", zone, recs)
	if err != nil {
		return nil, err
	}
	if p.beforeWrite != nil {
		p.beforeWrite(p)
	}
	var deleted []libdns.RR
	keep := p.zones[zone][:0:0]
	for _, have := range p.zones[zone] {
		if slices.ContainsFunc(rrs, func(del libdns.RR) bool { return matches(del, have) }) {
			deleted = append(deleted, have)
			continue
		}
		keep = append(keep, have)
	}
	if !p.lie {
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

// condProvider adds the optional RRsetGetter and ConditionalSetter
// interfaces to memProvider, with the contract the rfc2136 provider keeps.
type condProvider struct {
	*memProvider
	mute bool // the conflict error does not say it is one (no Conflict method)
}

var (
	_ RRsetGetter       = condProvider{}
	_ ConditionalSetter = condProvider{}
)

type conflictErr struct{}

func (conflictErr) Error() string  { return "prerequisite failed" }
func (conflictErr) Conflict() bool { return true }

func (p condProvider) GetRRset(ctx context.Context, zone, name, rtype string) ([]libdns.Record, error) {
	recs, err := p.GetRecords(ctx, zone)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(recs, func(r libdns.Record) bool {
		return r.RR().Name != strings.ToLower(name) || r.RR().Type != rtype
	}), nil
}

func (p condProvider) SetRRsetIf(ctx context.Context, zone, name, rtype string, expected, records []libdns.Record) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, err := p.checkType(ctx, "SetRRsetIf", rtype, zone, records); err != nil {
		return err
	}
	if p.beforeWrite != nil {
		p.beforeWrite(p.memProvider)
	}
	var cur, exp []string
	for _, rr := range p.zones[zone] {
		if rr.Name == name && rr.Type == rtype {
			cur = append(cur, rr.Data)
		}
	}
	for _, r := range expected {
		exp = append(exp, r.RR().Data)
	}
	slices.Sort(cur)
	slices.Sort(exp)
	if !slices.Equal(cur, exp) {
		if p.mute {
			return fmt.Errorf("memProvider: condition failed")
		}
		return conflictErr{}
	}
	if p.lie {
		return nil
	}
	p.zones[zone] = slices.DeleteFunc(p.zones[zone], func(x libdns.RR) bool { return x.Name == name && x.Type == rtype })
	p.putLocked(zone, records...)
	return nil
}

// appendProvider adds libdns.RecordAppender to memProvider: a provider
// with the four libdns interfaces and none of the optional ones.
type appendProvider struct{ *memProvider }

var _ libdns.RecordAppender = appendProvider{}

// AppendRecords adds the records whose data is not present yet (an RRset
// keeps its TTL, as libdns documents) and returns them.
func (p appendProvider) AppendRecords(ctx context.Context, zone string, recs []libdns.Record) ([]libdns.Record, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	rrs, err := p.check(ctx, "AppendRecords", zone, recs)
	if err != nil {
		return nil, err
	}
	var added []libdns.RR
	for _, rr := range rrs {
		if !slices.ContainsFunc(p.zones[zone], func(x libdns.RR) bool { return x.Name == rr.Name && x.Type == rr.Type && x.Data == rr.Data }) {
			added = append(added, rr)
		}
	}
	if !p.lie {
		p.zones[zone] = append(p.zones[zone], added...)
	}
	return parsed(added), nil
}
