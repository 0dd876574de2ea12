package failover

import (
	"fmt"
	"strings"
	"time"

	"github.com/xmppfed/edgefailover/failover/journal"
)

// State is where the deployment stands after Apply, as far as the plan knows.
type State string

// The states of a deployment after Apply.
const (
	StateApplied      State = "applied"      // every step completed: federation runs on the target pool
	StateUnchanged    State = "unchanged"    // nothing needed changing, or nothing changed before the failure
	StateRolledBack   State = "rolled-back"  // a step failed and every change was undone
	StateInconsistent State = "inconsistent" // a step failed and an undo failed too: see the steps
)

// StepReport is what became of one step: its State when Apply, Resume or
// Rollback returned (not-started when the apply stopped before it, done,
// failed when it had nothing to undo, vetoed, undone when it completed or
// failed half-way and was undone, undo-failed when its resources may not be
// in their before-state), when it ran, and its errors. In Inspect's
// Recovery, State and History are the journal's.
type StepReport struct {
	ID       string    `json:"id"`
	Title    string    `json:"title"`
	State    StepState `json:"state"`
	Started  time.Time `json:"started,omitzero"`
	Finished time.Time `json:"finished,omitzero"`
	Error    string    `json:"error,omitempty"`      // of the step's do phase
	UndoErr  string    `json:"undo_error,omitempty"` // of its undo
	// History is, in a Recovery, the step's records, oldest first.
	History []journal.Kind `json:"history,omitempty"`
}

// Report says what Apply did, step by step, and where the deployment stands.
type Report struct {
	Plan     string       `json:"plan"`
	State    State        `json:"state"`
	Started  time.Time    `json:"started"`
	Finished time.Time    `json:"finished"`
	Steps    []StepReport `json:"steps"` // in plan order
}

// Step returns the report of the step with the given ID, or nil.
func (r *Report) Step(id string) *StepReport {
	for i := range r.Steps {
		if r.Steps[i].ID == id {
			return &r.Steps[i]
		}
	}
	return nil
}

// String renders the report as text, one line per step.
func (r *Report) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s in %s\n", r.Plan, r.State, r.Finished.Sub(r.Started).Round(time.Millisecond))
	for _, s := range r.Steps {
		fmt.Fprintf(&b, "  %-12s %s", s.State, s.ID)
		if s.Error != "" {
			fmt.Fprintf(&b, ": %s", s.Error)
		}
		if s.UndoErr != "" {
			fmt.Fprintf(&b, " (undo: %s)", s.UndoErr)
		}
		b.WriteByte('\n')
	}
	return b.String()
}
