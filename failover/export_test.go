package failover

import "context"

// Abandon drops the journal as a dying process does: file and lock closed
// without releasing the lock's owner line. For crash tests only.
func (j *FileJournal) Abandon() {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.f != nil {
		j.f.Close()
		j.f = nil
		j.lock.abandon()
	}
}

// Inject makes Apply, Resume and Rollback with o run every step's change
// and undo through f, which calls run to make the real one (or does not).
// For fault-injection tests only.
func Inject(o *ApplyOptions, f func(ctx context.Context, step string, undo bool, run func(context.Context) error) error) {
	o.inject = func(ctx context.Context, s *Step, undo bool, run func(context.Context) error) error {
		return f(ctx, s.ID, undo, run)
	}
}
