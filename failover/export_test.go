package failover

import "context"

// Inject makes Apply, Resume and Rollback with o run every step's change
// and undo through f, which calls run to make the real one (or does not).
// For fault-injection tests only.
func Inject(o *ApplyOptions, f func(ctx context.Context, step string, undo bool, run func(context.Context) error) error) {
	o.inject = func(ctx context.Context, s *Step, undo bool, run func(context.Context) error) error {
		return f(ctx, s.ID, undo, run)
	}
}
