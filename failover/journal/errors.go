package journal

import (
	"errors"
	"fmt"
)

// Sentinel errors; match them with errors.Is.
var (
	// ErrCorrupt: a record other than the last is damaged, or the records
	// contradict each other (failover's state table). Nothing is undone or
	// resumed from such a journal.
	ErrCorrupt = errors.New("journal: corrupt")
	// ErrEmpty: the journal holds no plan: nothing was applied with it.
	ErrEmpty = errors.New("journal: holds no plan")
	// ErrInUse: an apply was given a journal that already holds records
	// (of another apply). Every apply needs a journal of its own; finish
	// that one with failover.Resume or failover.Rollback, or open a new
	// file.
	ErrInUse = errors.New("journal: already holds an apply")
	// ErrIncomplete: a journal write failed during an apply, so the journal
	// lacks some of its records. The apply went on without them (a failed
	// write rolls the apply back, and undos run whether or not they could
	// be recorded); the failover.Report, not the journal, says where the
	// deployment stands. A Rollback from that journal is safe (undos are
	// idempotent and restore the before-state it recorded); a Resume is
	// not, since the journal may lack the decision to roll back.
	ErrIncomplete = errors.New("journal: incomplete")
	// ErrLocked: another live process holds the journal (an apply, resume
	// or rollback is running). *LockError says who.
	ErrLocked = errors.New("journal: locked by another process")
	// ErrStaleLock: the journal's lock was left by a process that died;
	// open it with Options.TakeOver to continue. *LockError says who.
	ErrStaleLock = errors.New("journal: lock left by a dead process")
)

// corrupt returns an error matching ErrCorrupt that says what is wrong.
func corrupt(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrCorrupt}, args...)...)
}
