package failovertest_test

import (
	"context"
	"errors"
	"syscall"
	"testing"
	"time"

	"github.com/xmppfed/edgefailover/failover/failovertest"
)

// TestSetUnreachable: a pool made unreachable answers nothing, by address or
// by any of its names, until the dial's context ends; the other pool is not
// affected, and the pool answers again once reachable.
func TestSetUnreachable(t *testing.T) {
	t.Parallel()
	lab := failovertest.Start(t, failovertest.Options{})
	if err := lab.SetUnreachable(failovertest.SourcePool, true); err != nil {
		t.Fatal(err)
	}
	for _, addr := range []string{"192.0.2.10:5269", "edgepool1.contoso.com:5269", "access1.contoso.com:5269", "xmpp.contoso.com:5269"} {
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		start := time.Now()
		conn, err := lab.Dial(ctx, "tcp", addr)
		cancel()
		if err == nil {
			conn.Close()
			t.Fatalf("Dial(%s) to an unreachable pool connected", addr)
		}
		if !errors.Is(err, context.DeadlineExceeded) || errors.Is(err, syscall.ECONNREFUSED) {
			t.Errorf("Dial(%s) = %v, want a timeout (context.DeadlineExceeded), not a refusal", addr, err)
		}
		if d := time.Since(start); d < 50*time.Millisecond {
			t.Errorf("Dial(%s) returned after %v, before its context ended", addr, d)
		}
	}
	// The other pool (down: refused at once) is untouched.
	if _, err := lab.Dial(context.Background(), "tcp", "192.0.2.20:5269"); !errors.Is(err, syscall.ECONNREFUSED) {
		t.Errorf("Dial(pool 2) = %v, want ECONNREFUSED", err)
	}
	if err := lab.SetUnreachable(failovertest.SourcePool, false); err != nil {
		t.Fatal(err)
	}
	conn, err := lab.Dial(context.Background(), "tcp", "192.0.2.10:5269")
	if err != nil {
		t.Fatalf("Dial after SetUnreachable(false) = %v", err)
	}
	conn.Close()
	if err := lab.SetUnreachable("edgepool9.contoso.com", true); !errors.Is(err, failovertest.ErrUnknownHost) {
		t.Errorf("SetUnreachable(unknown pool) = %v, want ErrUnknownHost", err)
	}
}
