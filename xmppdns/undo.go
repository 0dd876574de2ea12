package xmppdns

import (
	"context"
	"errors"
)

// Undo reverts what of ch the zone still holds, and only that: each RRset
// that holds ch's new records goes back to its old ones; an RRset that
// still holds its old records (the write never landed, or was undone) is
// left alone; an RRset that holds anything else was changed by someone
// since, so it is left alone too and reported as a *ConflictError (its
// Expected is ch's new value). The revert is applied like any change
// (conditional, read back). Undo returns the change it applied and every
// error joined; it is safe to call again after a partial failure.
//
// Undo differs from Restore(ctx, ch.Before()), which puts the old RRsets
// back whatever the zone holds now, overwriting a concurrent change.
func (z *Zone) Undo(ctx context.Context, ch *Change) (*Change, error) {
	if err := z.checkChange(ch); err != nil {
		return nil, err
	}
	undo := &Change{Zone: z.name}
	if ch.Empty() {
		return undo, nil
	}
	cur, err := z.read(ctx, keysOf(ch.Corrections))
	if err != nil {
		return nil, err
	}
	var errs []error
	for i, c := range ch.Corrections {
		switch {
		case cur[i].Equal(c.Old):
			// Not ours to undo: it never changed, or is back already.
		case cur[i].SameData(c.New):
			back := c.Old.clone()
			undo.Desired = append(undo.Desired, back)
			if r, ok := diff(cur[i], back); ok {
				undo.Corrections = append(undo.Corrections, r)
			}
		default:
			errs = append(errs, &ConflictError{Zone: z.name, Expected: c.New, Found: cur[i]})
		}
	}
	if !undo.Empty() {
		errs = append(errs, z.Apply(ctx, undo))
	}
	return undo, errors.Join(errs...)
}
