package journal

import (
	"context"
	"encoding/json"
	"time"
)

// Journal records an apply so that it can be resumed or rolled back by
// another process after a crash. Implementations must make a record durable
// before Append returns: the change it announces is made only after that.
// They must be safe for concurrent use. A Journal never holds secrets:
// records name steps, before-states (routes, service states, DNS records)
// and a digest of the config.
//
// A Journal may also have the methods MarkIncomplete(cause string) error
// and Incomplete() (string, bool), as File has: failover then marks it at
// the first failed write, and refuses to resume it.
type Journal interface {
	// Append adds one record durably. It honours ctx.
	Append(ctx context.Context, r Record) error
	// Records returns every record in order. A torn last record (a crash
	// mid-write) is left out; damage elsewhere is ErrCorrupt. It honours
	// ctx.
	Records(ctx context.Context) ([]Record, error)
}

// Kind says what a record announces: a step's transition or a decision of
// the apply. failover's state table says which record may follow which.
type Kind string

// The kinds of records.
const (
	Plan        Kind = "plan"         // the plan and the state it read; written before any change
	Start       Kind = "start"        // a step is about to make its change
	Done        Kind = "done"         // the step completed
	Failed      Kind = "failed"       // the step failed (the apply rolls back)
	Veto        Kind = "veto"         // a Before hook refused the step (the apply rolls back)
	RollingBack Kind = "rolling-back" // the apply decided to roll back; Error says why
	Rollback    Kind = "rollback"     // an operator's Rollback began
	Resume      Kind = "resume"       // an operator's Resume began
	Undo        Kind = "undo"         // an undo is about to run
	Undone      Kind = "undone"       // the undo completed
	UndoFailed  Kind = "undo-failed"  // the undo failed
	End         Kind = "end"          // the apply ended in State
)

// Record is one record of a journal. Its fields are plain values, so that a
// Journal can store it as it likes (File stores its JSON).
type Record struct {
	Seq   int       `json:"seq"` // 1 for the first record, then one more for each
	Time  time.Time `json:"time"`
	Kind  Kind      `json:"kind"`
	Step  string    `json:"step,omitempty"`  // with the records of a step's transitions and a veto
	Error string    `json:"error,omitempty"` // why: of failed, veto, rolling-back and undo-failed
	State string    `json:"state,omitempty"` // with End: how the apply left the deployment (a failover.State)
	// Plan is, with the Plan record, the plan and the state it read, as
	// failover encodes them: enough to rebuild the same steps with the same
	// before-states in another process. A Journal stores it as it is.
	Plan json.RawMessage `json:"plan,omitempty"`
}
