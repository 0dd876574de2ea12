package winrm

import (
	"context"
	"testing"
	"time"
)

// TestBreakWhenIsFinal: once a call's release returns, the session's state is
// settled. With a bare context.AfterFunc, a context ending as the call
// returned left the break in flight, and it landed on the next call, which
// failed with the previous call's "context deadline exceeded".
func TestBreakWhenIsFinal(t *testing.T) {
	t.Parallel()
	late := 0
	const runs = 2000
	for range runs {
		s := &session{}
		s.ctx, s.cancel = context.WithCancelCause(context.Background())
		ctx, cancel := context.WithCancel(context.Background())
		release := s.breakWhen(ctx)
		cancel() // the call's context ends as its result arrives: its AfterFunc has started
		release()
		before := s.broken()
		time.Sleep(50 * time.Microsecond)
		if !before && s.broken() {
			late++
		}
	}
	if late > 0 {
		t.Fatalf("%d of %d sessions broke after their call had returned healthy", late, runs)
	}
}

// TestBreakWhenBreaks: a context that ends during the call breaks the
// session, with the context's error as the cause.
func TestBreakWhenBreaks(t *testing.T) {
	t.Parallel()
	s := &session{}
	s.ctx, s.cancel = context.WithCancelCause(context.Background())
	ctx, cancel := context.WithTimeout(context.Background(), time.Millisecond)
	defer cancel()
	release := s.breakWhen(ctx)
	<-s.ctx.Done()
	release()
	if got := context.Cause(s.ctx); got != context.DeadlineExceeded {
		t.Fatalf("cause = %v, want context.DeadlineExceeded", got)
	}
	s2 := &session{}
	s2.ctx, s2.cancel = context.WithCancelCause(context.Background())
	release = s2.breakWhen(context.Background())
	release()
	if s2.broken() {
		t.Fatal("a call whose context never ended broke the session")
	}
}
