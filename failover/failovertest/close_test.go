package failovertest_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/xmppfed/edgefailover/failover/failovertest"
	"github.com/xmppfed/edgefailover/lync"
	"github.com/xmppfed/edgefailover/lync/lynctest"
)

// TestCloseWhileBusy closes a lab while a cmdlet hangs on the management
// host and services are half-way through a long -NoWait stop: Close must
// end them and return.
func TestCloseWhileBusy(t *testing.T) {
	t.Parallel()
	lab, err := failovertest.New(failovertest.Options{Latency: lynctest.Latency{ServiceStop: time.Hour}})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	mgmt, err := lab.Management(ctx)
	if err != nil {
		t.Fatal(err)
	}
	c, err := lab.OpenServer(ctx, "edge2a.contoso.com")
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Services.Stop(ctx, "edge2a.contoso.com", lync.StopOptions{NoWait: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := lab.Deployment().Inject(lynctest.Fault{Kind: lynctest.FaultHang, Cmdlet: "Get-CsSite"}); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	started := make(chan struct{})
	var callErr error
	wg.Go(func() {
		close(started)
		_, callErr = mgmt.Sites.List(ctx) // hangs until Close
	})
	<-started
	time.Sleep(20 * time.Millisecond) // let the call reach the host; correctness does not depend on it
	start := time.Now()
	closed := make(chan struct{})
	go func() {
		lab.Close()
		wg.Wait()
		close(closed)
	}()
	select {
	case <-closed:
	case <-time.After(time.Minute): // a hang detector, not a speed check
		t.Fatal("Close did not return within a minute with a hung cmdlet")
	}
	t.Logf("Close with a hung cmdlet and a pending stop took %v", time.Since(start))
	var te *lync.TransportError
	if !errors.As(callErr, &te) {
		t.Errorf("hung call ended with %v, want a *lync.TransportError", callErr)
	}
}

// TestConcurrentUse hammers a lab from several goroutines (race detector).
func TestConcurrentUse(t *testing.T) {
	t.Parallel()
	lab := failovertest.Start(t, failovertest.Options{})
	ctx := context.Background()
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Go(func() {
			for range 10 {
				if _, err := lab.Snapshot(ctx); err != nil {
					t.Error(err)
					return
				}
				if conn, err := lab.Dial(ctx, "tcp", "xmpp.contoso.com:5269"); err == nil {
					conn.Close()
				}
			}
		})
		wg.Go(func() {
			host := []string{"edge1a.contoso.com", "edge1b.contoso.com", "edge2a.contoso.com", "edge2b.contoso.com"}[i]
			c, err := lab.OpenServer(ctx, host)
			if err != nil {
				t.Error(err)
				return
			}
			for range 3 {
				if err := c.Services.Stop(ctx, host, lync.StopOptions{}); err != nil {
					t.Error(err)
					return
				}
				if err := c.Services.Start(ctx, host); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	st, err := lab.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !st.Listeners[failovertest.SourcePool] || st.Listeners[failovertest.TargetPool] {
		t.Errorf("after every server was restarted: listeners %v, want pool 1 up only", st.Listeners)
	}
}
