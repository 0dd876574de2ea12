package memdns

import (
	"context"
	"slices"

	"github.com/libdns/libdns"
)

// Appender is a Provider that is also a libdns.RecordAppender: a provider
// with the four libdns record interfaces and none of the optional ones.
type Appender struct{ *Provider }

var (
	_ libdns.RecordAppender = Appender{}
	_ libdns.RecordGetter   = Appender{}
	_ libdns.RecordSetter   = Appender{}
	_ libdns.RecordDeleter  = Appender{}
	_ libdns.ZoneLister     = Appender{}
)

// AppendRecords adds the records whose data is not present yet (an RRset
// keeps the records it has, and their TTL) and returns those it added.
func (p Appender) AppendRecords(ctx context.Context, zone string, recs []libdns.Record) ([]libdns.Record, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	rrs, err := p.check(ctx, "AppendRecords", "", zone, recs)
	if err != nil {
		return nil, err
	}
	p.beforeWrite(zone)
	var added []libdns.RR
	for _, rr := range rrs {
		present := func(x libdns.RR) bool { return x.Name == rr.Name && x.Type == rr.Type && x.Data == rr.Data }
		if !slices.ContainsFunc(p.zones[zone], present) && !slices.ContainsFunc(added, present) {
			added = append(added, rr)
		}
	}
	if !p.hooks.Lie {
		p.zones[zone] = append(p.zones[zone], added...)
	}
	return parsed(added), nil
}
