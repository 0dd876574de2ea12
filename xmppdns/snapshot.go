package xmppdns

import (
	"context"
	"time"
)

// Snapshot holds RRsets of one zone as read at one moment, absent ones
// included, so that restoring it puts exactly those RRsets back (and deletes
// the ones that were absent). It marshals to JSON for a journal.
type Snapshot struct {
	Zone  string    `json:"zone"`
	Taken time.Time `json:"taken,omitzero"`
	Sets  []RRset   `json:"sets"`
}

// Snapshot reads the RRsets of keys. Names may be given with or without the
// trailing dot and in any case; the snapshot holds them normalized.
func (z *Zone) Snapshot(ctx context.Context, keys ...Key) (*Snapshot, error) {
	sets, err := z.Read(ctx, keys...)
	if err != nil {
		return nil, err
	}
	return &Snapshot{Zone: z.name, Taken: time.Now().UTC(), Sets: sets}, nil
}

// Restore plans and applies the change that puts the snapshot's RRsets back
// (see Plan and Apply: conditional on the current values, read back). The
// snapshot must be of this zone. It returns the applied change.
func (z *Zone) Restore(ctx context.Context, s *Snapshot) (*Change, error) {
	if s == nil || s.Zone != z.name {
		zone := "nil"
		if s != nil {
			zone = s.Zone
		}
		return nil, inputErr("snapshot zone", zone, "the snapshot is not of zone %s", z.name)
	}
	desired := make([]Desired, len(s.Sets))
	for i, set := range s.Sets {
		desired[i] = set
	}
	ch, err := z.Plan(ctx, desired...)
	if err != nil {
		return nil, err
	}
	return ch, z.Apply(ctx, ch)
}
