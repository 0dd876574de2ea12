package lync_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/xmppfed/edgefailover/lync"
	"github.com/xmppfed/edgefailover/lync/lynctest"
	"github.com/xmppfed/edgefailover/lync/winrm"
)

// TestSessionReuse: many calls, concurrent ones included, use one process
// and one module import per host.
func TestSessionReuse(t *testing.T) {
	t.Parallel()
	d := newDeployment(t, topology(lynctest.Lync2013, ""))
	c := newClient(t, d, true, winrm.Options{})
	ctx := t.Context()
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for range 20 {
		wg.Go(func() {
			_, err := c.Sites.Get(ctx, site1)
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	cnt := d.Host(feHost).Counters()
	if cnt.Processes != 1 || cnt.ModuleImports != 1 || cnt.Shells != 1 {
		t.Errorf("processes=%d imports=%d shells=%d, want 1 each", cnt.Processes, cnt.ModuleImports, cnt.Shells)
	}
	if cnt.Scripts < 22 {
		t.Errorf("scripts = %d, want >= 22 (detect, import, route parameter, 20 gets)", cnt.Scripts)
	}
}

// TestSessionRebuild: a transport error breaks the session; the next call
// builds a new one.
func TestSessionRebuild(t *testing.T) {
	t.Parallel()
	d := newDeployment(t, topology(lynctest.SfB2015, ""))
	c := newClient(t, d, false, winrm.Options{})
	ctx := t.Context()
	if err := c.Prepare(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Inject(lynctest.Fault{Kind: lynctest.FaultSOAP, Action: lynctest.ActionSend, Host: feHost, Nth: 1}); err != nil {
		t.Fatal(err)
	}
	_, err := c.Sites.List(ctx)
	if !errors.Is(err, lync.ErrSessionBroken) {
		t.Fatalf("err = %v, want ErrSessionBroken", err)
	}
	if _, err := c.Sites.List(ctx); err != nil {
		t.Fatalf("after rebuild: %v", err)
	}
	cnt := d.Host(feHost).Counters()
	if cnt.Processes != 2 || cnt.ModuleImports != 2 {
		t.Errorf("processes=%d imports=%d, want 2 each (one rebuild)", cnt.Processes, cnt.ModuleImports)
	}
}

// TestFallback: a host whose `-Command -` exits at once gets one
// -EncodedCommand process per script, with the module imported in each.
func TestFallback(t *testing.T) {
	t.Parallel()
	for _, p := range []lynctest.Product{lynctest.Lync2013, lynctest.SfB2015} {
		t.Run(p.String(), func(t *testing.T) {
			t.Parallel()
			d := newDeployment(t, topology(p, lynctest.XmppExternalFederationRoute))
			if _, err := d.Inject(lynctest.Fault{Kind: lynctest.FaultPersistentExit}); err != nil {
				t.Fatal(err)
			}
			w := newRunner(t, endpoint(d, feHost, true), winrm.Options{})
			c := lync.NewClient(w, lync.ClientOptions{})
			ctx := t.Context()
			if err := c.Prepare(ctx); err != nil {
				t.Fatal(err)
			}
			if fb, err := w.UsingFallback(ctx); err != nil || !fb {
				t.Fatalf("UsingFallback = %v, %v", fb, err)
			}
			if err := c.Site(site2).SetXmppRoute(ctx, edgeP2); err != nil {
				t.Fatal(err)
			}
			if _, err := c.Sites.Get(ctx, "NoSuchSite"); !errors.Is(err, lync.ErrNotFound) {
				t.Errorf("err = %v, want ErrNotFound", err)
			}
			cnt := d.Host(feHost).Counters()
			// 1 failed persistent + detect + (route parameter, set with its
			// read-back in one script, get) = 5 processes.
			if cnt.Processes != 5 || cnt.ModuleImports != 3 {
				t.Errorf("processes=%d imports=%d, want 5 and 3", cnt.Processes, cnt.ModuleImports)
			}
		})
	}
}

// TestPerScriptMode forces one process per script.
func TestPerScriptMode(t *testing.T) {
	t.Parallel()
	d := newDeployment(t, topology(lynctest.SfB2015, ""))
	c := newClient(t, d, false, winrm.Options{Mode: winrm.ModePerScript})
	if _, err := c.Sites.List(t.Context()); err != nil {
		t.Fatal(err)
	}
	if cnt := d.Host(feHost).Counters(); cnt.Processes != 3 || cnt.ModuleImports != 2 {
		t.Errorf("processes=%d imports=%d, want 3 and 2", cnt.Processes, cnt.ModuleImports)
	}
}

// TestCloseAndCancel: a canceled context and a closed runner give their errors.
func TestCloseAndCancel(t *testing.T) {
	t.Parallel()
	d := newDeployment(t, topology(lynctest.SfB2015, ""))
	w := newRunner(t, endpoint(d, feHost, false), winrm.Options{})
	c := lync.NewClient(w, lync.ClientOptions{})
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := c.Sites.List(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("canceled ctx: err = %v", err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Sites.List(t.Context()); !errors.Is(err, lync.ErrClosed) {
		t.Errorf("after Close: err = %v, want ErrClosed", err)
	}
}

// TestConcurrentHosts: clients of different hosts run at the same time,
// each with its own session.
func TestConcurrentHosts(t *testing.T) {
	t.Parallel()
	d := newDeployment(t, topology(lynctest.SfB2015, ""))
	hosts := []string{feHost, edge01, edge02, edge03}
	var wg sync.WaitGroup
	for _, h := range hosts {
		c := lync.NewClient(newRunner(t, endpoint(d, h, true), winrm.Options{}), lync.ClientOptions{})
		wg.Go(func() {
			for range 5 {
				if _, err := c.Services.List(t.Context(), h); err != nil {
					t.Error(h, err)
				}
			}
		})
	}
	wg.Wait()
	for _, h := range hosts {
		if cnt := d.Host(h).Counters(); cnt.Processes != 1 || cnt.ModuleImports != 1 || cnt.Cmdlets["Get-CsWindowsService"] != 5 {
			t.Errorf("%s: processes=%d imports=%d lists=%d", h, cnt.Processes, cnt.ModuleImports, cnt.Cmdlets["Get-CsWindowsService"])
		}
	}
}

// TestNoGoroutineLeak: after sessions that broke (a transport fault, a call
// whose deadline passed mid-script) and Close, the client's goroutines end.
func TestNoGoroutineLeak(t *testing.T) {
	d := newDeployment(t, topology(lynctest.SfB2015, ""))
	w := newRunner(t, endpoint(d, feHost, false), winrm.Options{})
	c := lync.NewClient(w, lync.ClientOptions{})
	ctx := t.Context()
	if err := c.Prepare(ctx); err != nil {
		t.Fatal(err)
	}
	// The script's Send meets the fault. (A Receive fault would race: the
	// idle session's long poll, already waiting at the host, can carry the
	// result without any new Receive request.)
	remove, _ := d.Inject(lynctest.Fault{Kind: lynctest.FaultSOAP, Action: lynctest.ActionSend, Host: feHost, Nth: 1})
	fctx, fcancel := context.WithTimeout(ctx, 10*time.Second)
	if _, err := c.Sites.List(fctx); err == nil {
		t.Error("no error from a Receive fault")
	}
	fcancel()
	remove()
	remove, _ = d.Inject(lynctest.Fault{Kind: lynctest.FaultHang, Cmdlet: "Get-CsPool", Host: feHost})
	short, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	defer cancel()
	if _, err := c.Pools.List(short); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("hang: err = %v", err)
	}
	remove()
	if _, err := c.Sites.List(ctx); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	checkNoClientGoroutines(t)
}
