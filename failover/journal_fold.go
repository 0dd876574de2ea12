package failover

import (
	"encoding/json"
	"fmt"
	"slices"

	"github.com/xmppfed/edgefailover/failover/journal"
)

// journalState is a journal read through the state table: where each step
// and the apply stand, and each step's whole history. Nothing is forgotten:
// an undone step is StepUndone, not "not started".
type journalState struct {
	plan    *planRecord
	apply   ApplyState
	end     State  // of the last end record
	cause   string // why the apply is rolling back (or rolled back), from the record that decided it
	steps   map[string]StepState
	history map[string][]journal.Kind // every record of each step, in order
	seq     int
}

// endStates are the states an end record may give (Report.State).
var endStates = []State{StateApplied, StateUnchanged, StateRolledBack, StateInconsistent}

// foldJournal replays recs through the state table. A record the table
// does not allow in the state it finds is journal.ErrCorrupt.
func foldJournal(recs []journal.Record) (*journalState, error) {
	if len(recs) == 0 {
		return nil, journal.ErrEmpty
	}
	if recs[0].Kind != journal.Plan || len(recs[0].Plan) == 0 {
		return nil, corrupt("the first record is %q, not the plan", recs[0].Kind)
	}
	var pr planRecord
	if err := json.Unmarshal(recs[0].Plan, &pr); err != nil {
		return nil, corrupt("the plan record: %v", err)
	}
	js := &journalState{
		plan:    &pr,
		apply:   ApplyApplying,
		steps:   make(map[string]StepState, len(pr.Steps)),
		history: make(map[string][]journal.Kind, len(pr.Steps)),
		seq:     recs[0].Seq,
	}
	for _, s := range js.plan.Steps {
		js.steps[s.ID] = StepNotStarted
	}
	for _, r := range recs[1:] {
		if err := js.apply1(r); err != nil {
			return nil, err
		}
		js.seq = r.Seq
	}
	return js, nil
}

func (js *journalState) apply1(r journal.Record) error {
	t := transitionOf(r.Kind)
	if t == nil {
		return corrupt("record %d has unknown kind %q", r.Seq, r.Kind)
	}
	if !slices.Contains(t.In, js.apply) {
		return corrupt("record %d (%s) comes when the apply is %s", r.Seq, r.Kind, js.apply)
	}
	if r.Kind == journal.End && !slices.Contains(endStates, State(r.State)) {
		return corrupt("record %d ends the apply in state %q, which is no State", r.Seq, r.State)
	}
	if t.From != nil {
		cur, ok := js.steps[r.Step]
		if !ok {
			return corrupt("record %d names step %q, which the plan does not have", r.Seq, r.Step)
		}
		if !slices.Contains(t.From, cur) {
			return corrupt("record %d (%s) comes when step %s is %s", r.Seq, r.Kind, r.Step, cur)
		}
		if t.To != "" {
			js.steps[r.Step] = t.To
		}
		js.history[r.Step] = append(js.history[r.Step], r.Kind)
	}
	if t.Then == ApplyRollingBack && js.apply != ApplyRollingBack {
		js.cause = recordCause(r)
	}
	if t.Then != "" {
		js.apply = t.Then
	}
	if r.Kind == journal.End {
		js.end = State(r.State)
	}
	return nil
}

// recordCause renders why a record moved the apply to rolling back.
func recordCause(r journal.Record) string {
	switch r.Kind {
	case journal.Failed:
		return fmt.Sprintf("step %s failed: %s", r.Step, r.Error)
	case journal.Veto:
		return fmt.Sprintf("step %s was vetoed: %s", r.Step, r.Error)
	case journal.Rollback:
		return "an operator's Rollback"
	}
	return r.Error
}

// corrupt returns an error matching journal.ErrCorrupt that says which
// record contradicts the state table.
func corrupt(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{journal.ErrCorrupt}, args...)...)
}
