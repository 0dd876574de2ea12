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
	// ErrInvalidConfig: a Config field is refused; every *ConfigError matches it.
	ErrInvalidConfig = errors.New("failover: invalid config")
	// ErrVerify: a verification step failed (every one matches it): the change
	// was made but federation does not work as planned.
	ErrVerify = errors.New("failover: verification failed")

	// Errors of Resume, Rollback and Inspect about a journal's apply. The
	// journal's own errors (corrupt, empty, in use, incomplete, locked) are
	// package journal's.

	// ErrJournalMismatch: the journal was written for another config (its
	// digest differs) or another plan (its steps differ).
	ErrJournalMismatch = errors.New("failover: journal does not match the config")
	// ErrPlanEnded: the journal's apply ended (applied or rolled back);
	// there is nothing to resume.
	ErrPlanEnded = errors.New("failover: the journal's apply has ended")
	// ErrRollingBack: the journal's apply was rolling back (a step failed
	// or was vetoed, the apply was cancelled, or an operator began a
	// Rollback) when it stopped. Resume never rolls such an apply forward:
	// run Rollback to finish the undo.
	ErrRollingBack = errors.New("failover: the journal's apply was rolling back: run Rollback")
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
