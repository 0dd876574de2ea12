package failover

import (
	"errors"
	"fmt"
)

// Sentinel errors; match them with errors.Is.
var (
	// ErrVetoed: a Before hook refused a step (an approval gate said no).
	ErrVetoed = errors.New("failover: step vetoed by hook")
	// ErrInvalidPlan: the plan's graph is broken (unknown or cyclic dependency, duplicate ID).
	ErrInvalidPlan = errors.New("failover: invalid plan")
	// ErrAlreadyApplied: Apply was called twice on the same plan.
	ErrAlreadyApplied = errors.New("failover: plan already applied")
	// ErrStalePlan: a resource no longer holds the value the plan read (someone
	// changed it meanwhile); the plan stops rather than overwrite it.
	ErrStalePlan = errors.New("failover: stale plan: state changed since it was read")
)

// Phase is the part of a step's life in which an error happened.
type Phase string

// The phases.
const (
	PhaseBefore Phase = "before" // the Before hook (veto)
	PhaseDo     Phase = "do"     // making the change, waiting, checking
	PhaseUndo   Phase = "undo"   // undoing a completed step
)

// StepError is the error of one step in one phase. Its Err is the cause,
// reachable with errors.Is / errors.As (for example a *lync.CmdletError).
type StepError struct {
	Step  string
	Phase Phase
	Err   error
}

func (e *StepError) Error() string {
	return fmt.Sprintf("failover: step %s (%s): %v", e.Step, e.Phase, e.Err)
}

func (e *StepError) Unwrap() error { return e.Err }
