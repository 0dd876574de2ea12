package failover

import (
	"context"
	"time"
)

// ChangeKind says what a change does to a resource, in the spirit of
// dnscontrol's corrections.
type ChangeKind string

// The kinds of change.
const (
	Create ChangeKind = "create" // the resource does not exist yet
	Modify ChangeKind = "modify" // the resource exists and gets a new value
	Delete ChangeKind = "delete" // the resource goes away
	Ensure ChangeKind = "ensure" // a state is reached (e.g. services stopped) whatever it was
)

// Change is one resource before and after a step, as the plan read it.
type Change struct {
	Kind     ChangeKind `json:"kind"`
	Resource string     `json:"resource"`         // e.g. "XMPP route of site Site2", "A xmpp.contoso.com."
	Before   string     `json:"before,omitempty"` // rendered; "" for Create
	After    string     `json:"after,omitempty"`  // rendered; "" for Delete
}

// Step is one node of a plan: what it does, what it depends on, the changes
// it makes and the commands it will run. A Step's exported fields describe it
// (for printing, JSON and journals); its behaviour is set by the plan builder
// and cannot be changed by callers.
type Step struct {
	ID        string   `json:"id"`                   // unique in the plan, stable across builds of the same config, e.g. "stop/edge2a.contoso.com"
	SeedStep  int      `json:"seed_step"`            // step of the TechNet runbook it implements (1..7), 0 beyond the runbook
	Title     string   `json:"title"`                // one line for humans
	DependsOn []string `json:"depends_on,omitempty"` // IDs of steps that must complete first
	Changes   []Change `json:"changes,omitempty"`    // empty for read-only steps (checks, waits, probes)
	Commands  []string `json:"commands,omitempty"`   // exact PowerShell lines and DNS updates, without secrets
	Undo      string   `json:"undo,omitempty"`       // what undoing does, "" when there is nothing to undo

	do   func(ctx context.Context, p *progress) error
	undo func(ctx context.Context, p *progress) error
	// inPlace, for steps that change something, reports whether the change
	// is still in place (Resume checks completed steps with it).
	inPlace func(ctx context.Context) (bool, error)
}

// progress is handed to a running step so that it can report per-server
// progress; it turns calls into Events.
type progress struct {
	step  string
	state StepState // started, or undo-started while it undoes
	start time.Time
	emit  func(Event)
}

// Report emits a progress event (Event.Progress) for the step or its undo,
// about one server (or "" for the step as a whole).
func (p *progress) Report(server, message string) {
	if p == nil || p.emit == nil {
		return
	}
	p.emit(Event{Time: time.Now(), State: p.state, Progress: true, Step: p.step, Server: server, Message: message, Elapsed: time.Since(p.start)})
}
