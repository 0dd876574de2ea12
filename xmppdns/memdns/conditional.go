package memdns

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/libdns/libdns"
)

// Conditional is a Provider with two optional interfaces beyond libdns: a
// read of one RRset (GetRRset) and an atomic compare-and-set of one RRset
// (SetRRsetIf), with the contract xmppdns's RRsetGetter and
// ConditionalSetter describe and the rfc2136 provider keeps.
type Conditional struct {
	*Provider
	// Opaque makes a failed condition an error that does not say it is one
	// (no Conflict method), as a provider whose errors are only text does;
	// the caller must read the RRset to tell a conflict from a failure.
	Opaque bool
}

// ErrConditionFailed is the error a failed condition returns when the
// Conditional is Opaque.
var ErrConditionFailed = errors.New("memdns: condition failed")

// ConflictError is the error SetRRsetIf returns when the RRset did not hold
// the expected data.
type ConflictError struct {
	Name, Type string // the RRset, name relative to the zone
}

func (e *ConflictError) Error() string {
	return "memdns: prerequisite failed: " + e.Name + " " + e.Type + " changed"
}

// Conflict reports true: the error is a failed condition.
func (e *ConflictError) Conflict() bool { return true }

var (
	_ interface {
		GetRRset(ctx context.Context, zone, name, rtype string) ([]libdns.Record, error)
		SetRRsetIf(ctx context.Context, zone, name, rtype string, expected, records []libdns.Record) error
	} = Conditional{}
	_ libdns.RecordDeleter = Conditional{}
)

// GetRRset returns the RRset (name, rtype) of zone; name is relative ("@"
// for the apex), rtype upper case. An absent RRset is an empty result and a
// nil error.
func (p Conditional) GetRRset(ctx context.Context, zone, name, rtype string) ([]libdns.Record, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, err := p.check(ctx, "GetRRset", rtype, zone, nil); err != nil {
		return nil, err
	}
	name = strings.ToLower(name)
	return parsed(slices.DeleteFunc(slices.Clone(p.zones[zone]), func(rr libdns.RR) bool {
		return rr.Name != name || rr.Type != rtype
	})), nil
}

// SetRRsetIf atomically makes recs the whole RRset (name, rtype) if it
// holds exactly the data of expected (TTL ignored; empty expected: the RRset
// does not exist); empty recs delete the RRset. A record of expected or recs
// outside the RRset is an error, as the rfc2136 provider makes it. Otherwise it changes
// nothing and returns a *ConflictError (ErrConditionFailed when Opaque).
func (p Conditional) SetRRsetIf(ctx context.Context, zone, name, rtype string, expected, recs []libdns.Record) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	rrs, err := p.check(ctx, "SetRRsetIf", rtype, zone, recs)
	if err != nil {
		return err
	}
	name = strings.ToLower(name)
	for _, r := range slices.Concat(expected, recs) {
		if rr := r.RR(); strings.ToLower(rr.Name) != name || rr.Type != rtype {
			return fmt.Errorf("memdns: record %s %s does not belong to the RRset %s %s", rr.Name, rr.Type, name, rtype)
		}
	}
	p.beforeWrite(zone)
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
		if p.Opaque {
			return ErrConditionFailed
		}
		return &ConflictError{Name: name, Type: rtype}
	}
	if p.hooks.Lie {
		return nil
	}
	p.zones[zone] = slices.DeleteFunc(p.zones[zone], func(x libdns.RR) bool { return x.Name == name && x.Type == rtype })
	p.putLocked(zone, records(rrs))
	return nil
}
