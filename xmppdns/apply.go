package xmppdns

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/libdns/libdns"
)

// BatchConditionalSetter is an optional provider interface: the
// ConditionalSetter contract for several RRsets of one zone in one atomic
// write (one RFC 2136 UPDATE). The RRsets concerned are the (name, type)
// pairs present in expected or records; each must hold exactly its expected
// records (none = absent) for the write to happen, and then holds exactly its
// records (none = deleted).
type BatchConditionalSetter interface {
	SetRecordsIf(ctx context.Context, zone string, expected, records []libdns.Record) error
}

// Apply writes a planned change and reads it back. It never overwrites an
// RRset that changed since the plan read it, when the provider can write
// conditionally (Guarantees says which case applies):
//
//   - with a BatchConditionalSetter, the whole change is one conditional
//     write (conditional and atomic);
//   - with a ConditionalSetter, each RRset is one conditional write, new and
//     changed RRsets first, deletions last (conditional, not atomic);
//   - otherwise Apply reads the RRsets, returns a *ConflictError if any
//     differs from the plan, and writes: first the records to add, with
//     AppendRecords when the provider has it (each RRset then holds its old
//     and new records together), then one SetRecords that replaces the
//     RRsets that lose records or change TTL (all of them, without
//     AppendRecords), then one DeleteRecords for the RRsets that go away. A
//     change made by someone else between that read and the write is not
//     detected (not conditional).
//
// New records are thus written before old ones are removed: a failure
// between calls leaves every RRset holding its new records, its old ones, or
// both, so federation stays reachable. Such a failure is a *PartialError
// (matching ErrPartial and the provider's error) that says what each RRset
// holds, as read right after it; when nothing changed, the provider's error
// is returned as it is. Restore(ctx, ch.Before()) undoes whatever landed.
//
// After a write that succeeded, every RRset is read back; one that does not
// hold the planned records gives a *NotAppliedError. TTLs are not compared
// on read-back, since providers may raise them. An empty change writes
// nothing.
func (z *Zone) Apply(ctx context.Context, ch *Change) error {
	if err := z.checkChange(ch); err != nil {
		return err
	}
	if ch.Empty() {
		return nil
	}
	var err error
	switch p := z.provider.(type) {
	case BatchConditionalSetter:
		var exp, recs []libdns.Record
		for _, c := range ch.Corrections {
			exp = append(exp, c.Old.toLibdns(z.name)...)
			recs = append(recs, c.New.toLibdns(z.name)...)
		}
		err = z.conflict(ctx, ch.Corrections, p.SetRecordsIf(ctx, z.name, exp, recs))
	case ConditionalSetter:
		cs := deletionsLast(ch.Corrections)
		for i, c := range cs {
			rel := libdns.RelativeName(c.New.Name, z.name)
			e := p.SetRRsetIf(ctx, z.name, rel, c.New.Type, c.Old.toLibdns(z.name), c.New.toLibdns(z.name))
			if err = z.conflict(ctx, []Correction{c}, e); err != nil {
				if i > 0 {
					err = z.leftBehind(ctx, cs, err)
				}
				break
			}
		}
	default:
		err = z.readCompareWrite(ctx, ch.Corrections)
	}
	if err != nil {
		if errors.Is(err, ErrConflict) {
			z.log.WarnContext(ctx, "xmppdns: change not written: RRset changed since planned", "zone", z.name, "err", err)
		}
		return err
	}
	for _, c := range ch.Corrections {
		z.log.InfoContext(ctx, "xmppdns: wrote", "zone", z.name, "correction", c.String())
	}
	return z.readBack(ctx, ch.Corrections)
}

// conflict classifies a failed conditional write. An error that declares a
// failed condition (Conflict() true) becomes a *ConflictError carrying the
// RRset found; so does any other error when a read shows an RRset holding
// neither its old nor its new records (a provider that does not say why).
// Other errors are returned wrapped.
func (z *Zone) conflict(ctx context.Context, cs []Correction, err error) error {
	if err == nil {
		return nil
	}
	var c interface{ Conflict() bool }
	declared := errors.As(err, &c) && c.Conflict()
	cur, rerr := z.read(ctx, keysOf(cs))
	if rerr != nil {
		if declared {
			return &ConflictError{Zone: z.name, Expected: cs[0].Old, Found: RRset{Name: cs[0].Old.Name, Type: cs[0].Old.Type}, Cause: errors.Join(err, rerr)}
		}
		return fmt.Errorf("xmppdns: writing zone %s: %w", z.name, err)
	}
	for i := range cs {
		if !cur[i].SameData(cs[i].Old) && (declared || !cur[i].SameData(cs[i].New)) {
			return &ConflictError{Zone: z.name, Expected: cs[i].Old, Found: cur[i], Cause: err}
		}
	}
	if declared {
		return &ConflictError{Zone: z.name, Expected: cs[0].Old, Found: cur[0], Cause: err}
	}
	return fmt.Errorf("xmppdns: writing zone %s: %w", z.name, err)
}

func (z *Zone) readCompareWrite(ctx context.Context, cs []Correction) error {
	_, canAppend := z.provider.(libdns.RecordAppender)
	var add, set, del []libdns.Record
	for _, c := range cs {
		switch {
		case !c.New.Exists():
			del = append(del, libdns.RR{Name: libdns.RelativeName(c.Old.Name, z.name), Type: c.Old.Type})
		case !canAppend:
			set = append(set, c.New.toLibdns(z.name)...)
		default:
			extra := c.New.clone()
			extra.Data = slices.DeleteFunc(extra.Data, func(d string) bool { return slices.Contains(c.Old.Data, d) })
			add = append(add, extra.toLibdns(z.name)...)
			if c.Old.Exists() && (c.Old.TTL != c.New.TTL || slices.ContainsFunc(c.Old.Data, func(d string) bool { return !slices.Contains(c.New.Data, d) })) {
				set = append(set, c.New.toLibdns(z.name)...)
			}
		}
	}
	deleter, canDelete := z.provider.(libdns.RecordDeleter)
	if len(del) > 0 && !canDelete {
		return fmt.Errorf("xmppdns: zone %s: deleting an RRset needs a libdns.RecordDeleter: %w", z.name, ErrUnsupported)
	}
	cur, err := z.read(ctx, keysOf(cs))
	if err != nil {
		return err
	}
	for i, c := range cs {
		if !cur[i].SameData(c.Old) {
			return &ConflictError{Zone: z.name, Expected: c.Old, Found: cur[i]}
		}
	}
	calls := []struct {
		what string
		recs []libdns.Record
		call func(context.Context, string, []libdns.Record) ([]libdns.Record, error)
	}{
		{"adding to", add, func(ctx context.Context, zone string, r []libdns.Record) ([]libdns.Record, error) {
			return z.provider.(libdns.RecordAppender).AppendRecords(ctx, zone, r)
		}},
		{"writing", set, z.provider.SetRecords},
		{"deleting from", del, func(ctx context.Context, zone string, r []libdns.Record) ([]libdns.Record, error) {
			return deleter.DeleteRecords(ctx, zone, r)
		}},
	}
	for _, c := range calls {
		if len(c.recs) == 0 {
			continue
		}
		if _, err := c.call(ctx, z.name, c.recs); err != nil {
			return z.leftBehind(ctx, cs, fmt.Errorf("xmppdns: %s zone %s: %w", c.what, z.name, err))
		}
	}
	return nil
}

// deletionsLast returns cs with the RRsets that go away moved to the end,
// so that new records are written before old ones are removed.
func deletionsLast(cs []Correction) []Correction {
	out := slices.Clone(cs)
	slices.SortStableFunc(out, func(a, b Correction) int {
		switch {
		case a.Op == OpDelete && b.Op != OpDelete:
			return 1
		case a.Op != OpDelete && b.Op == OpDelete:
			return -1
		}
		return 0
	})
	return out
}

func (z *Zone) readBack(ctx context.Context, cs []Correction) error {
	got, err := z.read(ctx, keysOf(cs))
	if err != nil {
		return fmt.Errorf("xmppdns: read-back after writing: %w", err)
	}
	var na NotAppliedError
	for i, c := range cs {
		if !got[i].SameData(c.New) {
			na.Want = append(na.Want, c.New)
			na.Got = append(na.Got, got[i])
		}
	}
	if len(na.Want) > 0 {
		na.Zone = z.name
		return &na
	}
	return nil
}

// checkChange validates a change that may come from outside (JSON): of this
// zone, every RRset valid and named once, every Op consistent with its sides.
func (z *Zone) checkChange(ch *Change) error {
	if ch == nil {
		return inputErr("change", "nil", "a change is required")
	}
	if ch.Zone != z.name {
		return inputErr("change zone", ch.Zone, "the change is not of zone %s", z.name)
	}
	seen := make(map[Key]bool)
	for i, c := range ch.Corrections {
		field := fmt.Sprintf("corrections[%d]", i)
		if c.Old.Key() != c.New.Key() || seen[c.New.Key()] {
			return inputErr(field, c.String(), "old and new must name the same RRset, once per change")
		}
		seen[c.New.Key()] = true
		// New is validated as any desired state; Old only for its shape,
		// since it is what was read and may be what the change repairs.
		v, err := c.New.rrsets(z)
		if err != nil {
			return err
		}
		if !v[0].Equal(c.New) || (c.New.Exists() && c.New.TTL == 0) ||
			!slices.Equal(normalizeData(c.Old.Type, c.Old.Data), c.Old.Data) {
			return inputErr(field, c.String(), "RRsets must be normalized, with a TTL when present")
		}
		if want, ok := diff(c.Old, c.New); !ok || want.Op != c.Op {
			return inputErr(field, c.String(), "op %q does not match its old and new RRsets", c.Op)
		}
	}
	return nil
}

func keysOf(cs []Correction) []Key {
	keys := make([]Key, len(cs))
	for i, c := range cs {
		keys[i] = c.New.Key()
	}
	return keys
}
