package failovertest_test

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/xmppfed/edgefailover/failover/failovertest"
)

// settledGoroutines waits (bounded) until at most base goroutines run and
// returns the last count and a dump of the stacks when it did not settle.
func settledGoroutines(base int) (int, string) {
	n := runtime.NumGoroutine()
	for i := 0; i < 200 && n > base; i++ {
		time.Sleep(10 * time.Millisecond)
		n = runtime.NumGoroutine()
	}
	if n <= base {
		return n, ""
	}
	buf := make([]byte, 1<<20)
	return n, string(buf[:runtime.Stack(buf, true)])
}

// TestStartClose starts a lab, uses every kind of client it hands out, and
// checks that Close leaves no goroutine behind and that the lab then refuses
// work. Not parallel: it counts goroutines.
func TestStartClose(t *testing.T) {
	base := runtime.NumGoroutine()
	lab, err := failovertest.New(failovertest.Options{ServersPerPool: 3})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	mgmt, err := lab.Management(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := mgmt.Sites.List(ctx); err != nil {
		t.Fatal(err)
	}
	srv, err := lab.OpenServer(ctx, "edge2c.contoso.com")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Services.List(ctx, "edge2c.contoso.com"); err != nil {
		t.Fatal(err)
	}
	if _, err := lab.Resolver().Candidates(ctx, "fabrikam.com"); err != nil {
		t.Fatal(err)
	}
	conn, err := lab.Dial(ctx, "tcp", "192.0.2.10:5269")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := lab.Snapshot(ctx); err != nil {
		t.Fatal(err)
	}

	start := time.Now()
	lab.Close()
	t.Logf("Close took %v", time.Since(start))
	lab.Close() // idempotent

	if _, err := lab.Snapshot(ctx); !errors.Is(err, failovertest.ErrClosed) {
		t.Errorf("Snapshot after Close: %v, want ErrClosed", err)
	}
	if _, err := lab.Management(ctx); !errors.Is(err, failovertest.ErrClosed) {
		t.Errorf("Management after Close: %v, want ErrClosed", err)
	}
	if _, err := lab.Dial(ctx, "tcp", "192.0.2.10:5269"); !errors.Is(err, failovertest.ErrClosed) {
		t.Errorf("Dial after Close: %v, want ErrClosed", err)
	}
	for _, p := range lab.Pools() {
		if p.Listener.Running() {
			t.Errorf("listener of %s still running after Close", p.FQDN)
		}
	}
	conn.Close()
	if n, stacks := settledGoroutines(base); stacks != "" {
		t.Errorf("%d goroutines after Close, %d before:\n%s", n, base, firstLines(stacks, 80))
	}
}

func firstLines(s string, n int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > n {
		lines = lines[:n]
	}
	return strings.Join(lines, "\n")
}

func TestOpenServer(t *testing.T) {
	t.Parallel()
	lab := failovertest.Start(t, failovertest.Options{})
	ctx := context.Background()
	a, err := lab.OpenServer(ctx, "EDGE1A.contoso.com.")
	if err != nil {
		t.Fatal(err)
	}
	b, err := lab.OpenServer(ctx, "edge1a.contoso.com")
	if err != nil {
		t.Fatal(err)
	}
	if a == b {
		t.Error("OpenServer returned the same client twice; each caller owns its own")
	}
	// The caller owns it: closing one leaves the other (and the lab) working.
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Services.List(ctx, "edge1a.contoso.com"); err != nil {
		t.Errorf("a client still works after another one was closed: %v", err)
	}
	m1, _ := lab.Management(ctx)
	m2, _ := lab.Management(ctx)
	if m1 != m2 || m1 == nil {
		t.Error("Management returned two clients; want the lab's cached one")
	}
	for _, name := range []string{"edge9z.contoso.com", "", "192.0.2.10", "edge1a.contoso.com:5985"} {
		if _, err := lab.OpenServer(ctx, name); !errors.Is(err, failovertest.ErrUnknownHost) {
			t.Errorf("OpenServer(%q) = %v, want ErrUnknownHost", name, err)
		}
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := lab.OpenServer(cctx, "edge2a.contoso.com"); !errors.Is(err, context.Canceled) {
		t.Errorf("OpenServer with a cancelled context = %v, want context.Canceled", err)
	}
}

// TestListenerAddrs: both listeners have a loopback address from the start,
// kept across stop and start.
func TestListenerAddrs(t *testing.T) {
	t.Parallel()
	lab := failovertest.Start(t, failovertest.Options{})
	pool2, _ := lab.Pool(failovertest.TargetPool)
	addr := pool2.Listener.Addr()
	if !strings.HasPrefix(addr, "127.0.0.1:") || pool2.Listener.Running() {
		t.Fatalf("pool 2 listener: addr %q running %v, want a loopback address and down", addr, pool2.Listener.Running())
	}
	mgmt, err := lab.Management(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if err := mgmt.Site(failovertest.TargetSite).SetXmppRoute(context.Background(), failovertest.TargetPool); err != nil {
		t.Fatal(err)
	}
	if !pool2.Listener.Running() || pool2.Listener.Addr() != addr {
		t.Errorf("pool 2 after the route change: running %v addr %q, want up on %s", pool2.Listener.Running(), pool2.Listener.Addr(), addr)
	}
}
