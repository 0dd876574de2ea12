package failover

import (
	"context"
	"time"
)

// Event is a unit of progress, for display. Events of steps that run
// concurrently interleave; each carries its step's ID. Each event but a
// progress report says that the step entered State: started (Message is its
// title), done, failed, vetoed (Err says why), undo-started (Message says
// what the undo does), undone or undo-failed. A progress report (Progress
// true) comes from a running step or undo (State started or undo-started),
// about one Server or the whole step.
type Event struct {
	Time     time.Time     `json:"time"`
	Step     string        `json:"step"`
	State    StepState     `json:"state"`
	Progress bool          `json:"progress,omitempty"`
	Server   string        `json:"server,omitempty"`
	Message  string        `json:"message,omitempty"`
	Elapsed  time.Duration `json:"elapsed"` // since the step (or its undo) started
	Err      error         `json:"-"`
}

// Hooks run around steps. Every field is optional. Hooks are called from the
// goroutine that runs the step, so concurrent steps call them concurrently:
// they must be safe for concurrent use and should return quickly.
type Hooks struct {
	// Before runs before a step's change. A non-nil error vetoes the step:
	// Apply stops, undoes what completed and returns an error matching
	// ErrVetoed (and the hook's error).
	Before func(ctx context.Context, s *Step) error
	// After runs once a step has finished, with its error (nil on success).
	After func(ctx context.Context, s *Step, err error)
	// OnUndo runs after a step was undone, with the undo's error.
	OnUndo func(ctx context.Context, s *Step, err error)
	// Event receives every event (each step's states, and progress).
	Event func(Event)
}
