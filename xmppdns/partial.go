package xmppdns

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// Holding says which records an RRset holds after a partial write.
type Holding string

// What an RRset may hold after a partial write.
const (
	HoldsNew     Holding = "new"         // the change's new records: written
	HoldsOld     Holding = "old"         // the records the change was planned from: not written
	HoldsBoth    Holding = "old and new" // both together: reachable through either
	HoldsOther   Holding = "other"       // neither: someone else wrote it, or the provider failed midway
	HoldsUnknown Holding = "unknown"     // the read after the failure failed too
)

// RRsetState is what one RRset of a change held when a partial write
// stopped.
type RRsetState struct {
	Correction Correction `json:"correction"`
	Holds      Holding    `json:"holds"`
	Found      RRset      `json:"found"` // as read after the failure (zero when unknown)
}

// PartialError reports a change that a provider which cannot write it in
// one message (Guarantees().Atomic false) applied only in part: a call
// failed after an earlier one landed, or a call failed midway. States says,
// per RRset, what the zone held when it was read right after the failure.
// Apply writes new records before it removes old ones, so an RRset is never
// left empty by a failure; restoring Change.Before() (or applying the change
// again) finishes the job.
type PartialError struct {
	Zone   string
	States []RRsetState
	Err    error // the provider's error
}

// Error names every RRset with what it holds, then the cause.
func (e *PartialError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "xmppdns: zone %s partly written:", e.Zone)
	for i, s := range e.States {
		if i > 0 {
			b.WriteString(";")
		}
		fmt.Fprintf(&b, " %s %s holds %s", s.Correction.New.Name, s.Correction.New.Type, s.Holds)
	}
	return b.String() + ": " + e.Err.Error()
}

// Is reports whether target is ErrPartial.
func (e *PartialError) Is(target error) bool { return target == ErrPartial }

// Unwrap returns the provider's error.
func (e *PartialError) Unwrap() error { return e.Err }

// leftBehind reads the RRsets of cs after a write failed with err and
// returns err itself when none of them changed, else a *PartialError.
func (z *Zone) leftBehind(ctx context.Context, cs []Correction, err error) error {
	cur, rerr := z.read(ctx, keysOf(cs))
	pe := &PartialError{Zone: z.name, Err: err}
	untouched := rerr == nil
	for i, c := range cs {
		st := RRsetState{Correction: c, Holds: HoldsUnknown}
		if rerr == nil {
			st.Found = cur[i]
			st.Holds = holding(c, cur[i])
		}
		untouched = untouched && st.Holds == HoldsOld
		pe.States = append(pe.States, st)
	}
	if untouched {
		return err
	}
	return pe
}

// holding compares what an RRset holds with the two sides of its correction.
func holding(c Correction, found RRset) Holding {
	both := slices.Compact(slices.Sorted(slices.Values(append(slices.Clone(c.Old.Data), c.New.Data...))))
	switch {
	case found.SameData(c.New):
		return HoldsNew
	case found.SameData(c.Old):
		return HoldsOld
	case slices.Equal(found.Data, both):
		return HoldsBoth
	}
	return HoldsOther
}
