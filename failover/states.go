package failover

import "github.com/xmppfed/edgefailover/failover/journal"

// This file is the recovery state machine: the states a step and an apply
// can be in, the journal records that move between them, and what Resume and
// Rollback do in each state. The package doc renders the same tables; the
// fold (journal_fold.go) and the engine (apply.go, recover.go) only consult
// them.

// StepState is where one step stands: in a journal (the state table), in a
// Report, in an Event (the state the step just entered).
type StepState string

// The states of a step.
const (
	StepNotStarted  StepState = "not-started"  // no record names it
	StepStarted     StepState = "started"      // its start is recorded, its outcome is not: it may be half-done
	StepDone        StepState = "done"         // it completed
	StepFailed      StepState = "failed"       // it failed: it may be half-done
	StepUndoStarted StepState = "undo-started" // its undo is recorded, the undo's outcome is not
	StepUndone      StepState = "undone"       // its undo completed: its resources hold their before-state
	StepUndoFailed  StepState = "undo-failed"  // its undo failed: its resources may hold anything
	// StepVetoed: a Before hook refused it and nothing was changed. Reports
	// and events only: a journal's veto record leaves the step's state as
	// it was (a step Resume meant to re-run stays started).
	StepVetoed StepState = "vetoed"
)

// ApplyState is where an apply stands, as the journal tells it.
type ApplyState string

// The states of an apply.
const (
	ApplyApplying    ApplyState = "applying"     // the plan is recorded and no decision to roll back is
	ApplyRollingBack ApplyState = "rolling-back" // a step failed or was vetoed, the apply decided to roll back, or an operator's Rollback began
	ApplyEnded       ApplyState = "ended"        // an end record closes it (applied, unchanged, rolled-back or inconsistent)
)

// transition is one row of the state table: a record of kind Kind is valid
// when the step it names is in one of From (rows with no From name no step)
// and the apply is in one of In; it moves the step to To and the apply to
// Then ("" leaves a state as it is).
type transition struct {
	Kind journal.Kind
	From []StepState
	To   StepState
	In   []ApplyState
	Then ApplyState
}

var (
	anyStep      = []StepState{StepNotStarted, StepStarted, StepDone, StepFailed, StepUndoStarted, StepUndone, StepUndoFailed}
	touchedStep  = []StepState{StepStarted, StepDone, StepFailed, StepUndoStarted, StepUndone, StepUndoFailed}
	liveApply    = []ApplyState{ApplyApplying, ApplyRollingBack}
	applyingOnly = []ApplyState{ApplyApplying}
	rollingOnly  = []ApplyState{ApplyRollingBack}
	anyApply     = []ApplyState{ApplyApplying, ApplyRollingBack, ApplyEnded}
)

// transitions is the state table. A record that matches no row is
// journal.ErrCorrupt: the journal contradicts itself, and nothing is resumed
// or undone from it.
var transitions = []transition{
	// A start is never written once the apply decided to roll back. A
	// started step is started again when Resume re-runs it.
	{Kind: journal.Start, From: []StepState{StepNotStarted, StepStarted}, To: StepStarted, In: applyingOnly},
	// A step that was running when another failed still records its end.
	{Kind: journal.Done, From: []StepState{StepStarted}, To: StepDone, In: liveApply},
	{Kind: journal.Failed, From: []StepState{StepStarted}, To: StepFailed, In: liveApply, Then: ApplyRollingBack},
	// A veto is a decision; the step keeps its state (a step Resume meant
	// to re-run stays started).
	{Kind: journal.Veto, From: anyStep, In: liveApply, Then: ApplyRollingBack},
	{Kind: journal.RollingBack, In: liveApply, Then: ApplyRollingBack},
	{Kind: journal.Rollback, In: anyApply, Then: ApplyRollingBack},
	{Kind: journal.Resume, In: applyingOnly},
	// An undo may run on any step that was touched, an undone one too
	// (Rollback undoes an undone step again when a step that depends on
	// it is undone after it: see rollbackAction).
	{Kind: journal.Undo, From: touchedStep, To: StepUndoStarted, In: rollingOnly},
	{Kind: journal.Undone, From: []StepState{StepUndoStarted}, To: StepUndone, In: rollingOnly},
	{Kind: journal.UndoFailed, From: []StepState{StepUndoStarted}, To: StepUndoFailed, In: rollingOnly},
	{Kind: journal.End, In: liveApply, Then: ApplyEnded},
}

// resumeAction is what Resume does with a step of a journal whose apply is
// still applying (Resume refuses a rolling-back apply with ErrRollingBack and
// an ended one with ErrPlanEnded). Steps can only be not started, started or
// done in an applying journal: failures and undos move the apply on.
type resumeAction int

const (
	resumeRun    resumeAction = iota // not started: run it when its dependencies are done
	resumeRerun                      // started, no outcome: possibly done, so on the undo list at once, and run again (steps are idempotent)
	resumeKeep                       // done: check that its change is still in place (ErrStalePlan otherwise), keep it, undo it on failure
	resumeRefuse                     // any other state: the journal is not resumable
)

var resumeTable = map[StepState]resumeAction{
	StepNotStarted: resumeRun,
	StepStarted:    resumeRerun,
	StepDone:       resumeKeep,
}

func resumeOf(s StepState) resumeAction {
	if a, ok := resumeTable[s]; ok {
		return a
	}
	return resumeRefuse
}

// rollbackAction is what Rollback does with a step (that has an undo).
type rollbackAction int

const (
	rollbackNothing      rollbackAction = iota // never touched: nothing to undo
	rollbackUndo                               // its change may be in place, whole or half: undo it
	rollbackIfDependents                       // undone already: undo it again only if a step that depends on it is undone now, since that undo may undo part of this one's (undoing a start stops services an undone stop had started again)
)

var rollbackTable = map[StepState]rollbackAction{
	StepNotStarted:  rollbackNothing,
	StepStarted:     rollbackUndo,
	StepDone:        rollbackUndo,
	StepFailed:      rollbackUndo,
	StepUndoStarted: rollbackUndo,
	StepUndoFailed:  rollbackUndo,
	StepUndone:      rollbackIfDependents,
}

// transitionOf returns the row for a record of kind k, or nil.
func transitionOf(k journal.Kind) *transition {
	for i := range transitions {
		if transitions[i].Kind == k {
			return &transitions[i]
		}
	}
	return nil
}
