package lync_test

import (
	"context"
	"encoding/json"
	"errors"
	"regexp"
	"sync/atomic"
	"testing"
	"time"

	"github.com/xmppfed/edgefailover/lync"
	"github.com/xmppfed/edgefailover/lync/lynctest"
	"github.com/xmppfed/edgefailover/lync/winrm"
)

// TestWaitRunsOnTheHost: a wait is one script that blocks on the host while
// the services stop (the host reads them every tick), not one script per
// poll; the same for a replica. The change is made (through a second
// client) only once the wait's first read on the host has happened, so the
// host loop must see it. The stop lasts longer than the host holds a
// Receive (200ms, then w:TimedOut): the script keeps running across the
// client's next Receives and its result still arrives.
func TestWaitRunsOnTheHost(t *testing.T) {
	t.Parallel()
	cfg := topology(lynctest.SfB2015, "")
	cfg.Latency = lynctest.Latency{ServiceStop: 450 * time.Millisecond, Replication: 150 * time.Millisecond}
	d := newDeployment(t, cfg)
	c, other := newClient(t, d, false, winrm.Options{}), newClient(t, d, false, winrm.Options{})
	ctx := t.Context()
	for _, cl := range []*lync.Client{c, other} {
		if err := cl.Prepare(ctx); err != nil {
			t.Fatal(err)
		}
	}
	d.ResetCounters()
	// A poll of 10ms would send about 15 scripts; the host loop ticks every
	// millisecond (poll/20, at least 1ms).
	got, err := during(d, "Get-CsWindowsService", func() ([]lync.Service, error) {
		return c.Services.WaitState(ctx, edge01, lync.ServiceStopped, 10*time.Millisecond)
	}, func() error { return other.Services.Stop(ctx, edge01, lync.StopOptions{NoWait: true}) })
	if err != nil || anyNot(got, lync.ServiceStopped) {
		t.Fatalf("WaitState = %+v, %v", got, err)
	}
	fe := d.Host(feHost).Counters()
	if fe.Scripts != 2 || fe.Cmdlets["Start-Sleep"] == 0 { // the wait and the other client's Stop
		t.Errorf("%d scripts, cmdlets %v: want one wait script that slept on the host", fe.Scripts, fe.Cmdlets)
	}

	remove, err := d.Inject(lynctest.Fault{Kind: lynctest.FaultReplicationStuck, Host: edge03})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Site(site2).SetXmppRoute(ctx, edgeP2); err != nil {
		t.Fatal(err)
	}
	d.ResetCounters()
	st, err := during(d, "Get-CsManagementStoreReplicationStatus", func() (*lync.ReplicationStatus, error) {
		return c.Replication.WaitUpToDate(ctx, edge03, 10*time.Millisecond)
	}, func() error { remove(); return nil })
	if err != nil || !st.UpToDate {
		t.Fatalf("WaitUpToDate = %+v, %v", st, err)
	}
	if fe := d.Host(feHost).Counters(); fe.Scripts != 1 || fe.Cmdlets["Start-Sleep"] == 0 {
		t.Errorf("replication: %d scripts, cmdlets %v: want one script that slept on the host", fe.Scripts, fe.Cmdlets)
	}
	if err := lync.HostWaitFallback(c); err != nil {
		t.Errorf("fell back: %v", err)
	}
}

// during runs wait and, once the host has run cmdlet for it (the wait's
// first read), change; it returns what wait returned.
func during[T any](d *lynctest.Deployment, cmdlet string, wait func() (T, error), change func() error) (T, error) {
	before := d.Host(feHost).Counters().Cmdlets[cmdlet]
	type result struct {
		v   T
		err error
	}
	done := make(chan result, 1)
	go func() {
		v, err := wait()
		done <- result{v, err}
	}()
	for d.Host(feHost).Counters().Cmdlets[cmdlet] == before {
		select {
		case r := <-done:
			return r.v, r.err // the wait ended without reading: the caller sees why
		case <-time.After(time.Millisecond):
		}
	}
	if err := change(); err != nil {
		var zero T
		return zero, err
	}
	r := <-done
	return r.v, r.err
}

// TestWaitNamedServices: with names, the wait ends when those are in the
// state, and returns every service.
func TestWaitNamedServices(t *testing.T) {
	t.Parallel()
	d := newDeployment(t, topology(lynctest.SfB2015, ""))
	c := newClient(t, d, false, winrm.Options{})
	ctx := t.Context()
	if err := c.Services.Stop(ctx, edge01, lync.StopOptions{Names: []string{"RTCSRV"}, NoWait: true}); err != nil {
		t.Fatal(err)
	}
	names := []string{"rtcsrv"}
	got, err := c.Services.WaitState(ctx, edge01, lync.ServiceStopped, 10*time.Millisecond, names...)
	if err != nil {
		t.Fatal(err)
	}
	if names[0] != "rtcsrv" {
		t.Errorf("WaitState rewrote the caller's names to %q", names)
	}
	all, _ := c.Services.List(ctx, edge01)
	if len(got) != len(all) || len(got) < 2 {
		t.Errorf("got %d services, want all %d", len(got), len(all))
	}
	if _, err := c.Services.WaitState(ctx, edge01, lync.ServiceStopped, 0, "no such!"); !errors.As(err, new(*lync.InputError)) {
		t.Errorf("bad name: %v, want *InputError", err)
	}
}

// TestWaitFallsBack: a host that refuses the wait script (here Start-Sleep
// throws, as on an endpoint without it) or ends it (the process is cut off)
// is polled instead: the wait still succeeds, the client says why, and later
// waits poll at once. The services stop (through a second client) only once
// the wait's first read on the host has happened, so its loop reaches
// Start-Sleep.
func TestWaitFallsBack(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		fault  lynctest.Fault
		reason string
		waits  int // waits that meet the fault before the client polls for good
	}{
		{"refused", lynctest.Fault{Kind: lynctest.FaultCmdletError, Cmdlet: "Start-Sleep"}, lync.WaitRefused, 1},
		{"cut off", lynctest.Fault{Kind: lynctest.FaultScriptCutOff}, lync.WaitCutOff, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cfg := topology(lynctest.SfB2015, "")
			cfg.Latency = lynctest.Latency{ServiceStop: 60 * time.Millisecond, ServiceStart: 60 * time.Millisecond}
			d := newDeployment(t, cfg)
			c, other := newClient(t, d, false, winrm.Options{}), newClient(t, d, false, winrm.Options{})
			ctx := t.Context()
			if _, err := d.Inject(tc.fault); err != nil {
				t.Fatal(err)
			}
			for i := range tc.waits {
				if lync.HostWaitFallback(c) != nil {
					t.Fatalf("wait %d: fell back for good too early", i)
				}
				got, err := during(d, "Get-CsWindowsService", func() ([]lync.Service, error) {
					return c.Services.WaitState(ctx, edge01, lync.ServiceStopped, 5*time.Millisecond)
				}, func() error { return other.Services.Stop(ctx, edge01, lync.StopOptions{NoWait: true}) })
				if err != nil || anyNot(got, lync.ServiceStopped) {
					t.Fatalf("wait %d: %+v, %v", i, got, err)
				}
				if err := other.Services.Start(ctx, edge01); err != nil {
					t.Fatal(err)
				}
			}
			err := lync.HostWaitFallback(c)
			if err == nil || lync.HostWaitReason(err) != tc.reason {
				t.Fatalf("fallback %v, want %q", err, tc.reason)
			}
			d.ResetCounters()
			if err := c.Services.Stop(ctx, edge01, lync.StopOptions{NoWait: true}); err != nil {
				t.Fatal(err)
			}
			if _, err := c.Services.WaitState(ctx, edge01, lync.ServiceStopped, 5*time.Millisecond); err != nil {
				t.Fatal(err)
			}
			if n := d.Host(feHost).Counters().Cmdlets["Start-Sleep"]; n != 0 {
				t.Errorf("after the fallback the client still sent %d sleeps", n)
			}
		})
	}
}

// TestWaitHonoursContext: a wait whose context ends returns by then with the
// last states and a *WaitError, its host script having ended before the
// context did.
func TestWaitHonoursContext(t *testing.T) {
	t.Parallel()
	d := newDeployment(t, topology(lynctest.SfB2015, ""))
	c := newClient(t, d, false, winrm.Options{})
	if err := c.Prepare(t.Context()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
	defer cancel()
	last, err := c.Services.WaitState(ctx, edge01, lync.ServiceStopped, 20*time.Millisecond)
	if !errors.Is(err, context.DeadlineExceeded) || len(last) == 0 {
		t.Fatalf("WaitState = %d services, %v; want the last list and DeadlineExceeded", len(last), err)
	}
	if lync.HostWaitFallback(c) != nil {
		t.Errorf("a wait that ran out of time fell back: %v", lync.HostWaitFallback(c))
	}
	// The session survived: the host script ended before the context.
	if n := d.Host(feHost).Counters().Shells; n != 1 {
		t.Errorf("%d shells, want the one session", n)
	}
}

// TestWaitEndsWithClose: a Close while a wait script blocks on the host ends
// the wait at once with ErrClosed; it is not taken for a host that cuts
// scripts off (no fallback to polling, no poll sent after it).
func TestWaitEndsWithClose(t *testing.T) {
	t.Parallel()
	d := newDeployment(t, topology(lynctest.SfB2015, ""))
	// An OperationTimeout of 20s lets the wait script block for 15s, longer
	// than Close may take (winrm.CloseTimeout).
	ep := endpoint(d, feHost, false)
	ep.OperationTimeout = 20 * time.Second
	c := lync.NewClient(newRunner(t, ep, winrm.Options{}), lync.ClientOptions{})
	if err := c.Prepare(t.Context()); err != nil {
		t.Fatal(err)
	}
	d.ResetCounters()
	var closed time.Time
	_, err := during(d, "Get-CsWindowsService", func() ([]lync.Service, error) {
		return c.Services.WaitState(t.Context(), edge01, lync.ServiceStopped, 20*time.Millisecond)
	}, func() error { closed = time.Now(); return c.Close() })
	if !errors.Is(err, lync.ErrClosed) || !errors.As(err, new(*lync.WaitError)) {
		t.Fatalf("WaitState after Close = %v, want a *WaitError wrapping ErrClosed", err)
	}
	if el := time.Since(closed); el > winrm.CloseTimeout {
		t.Errorf("the wait ended %v after Close, want it ended by Close", el)
	}
	if err := lync.HostWaitFallback(c); err != nil {
		t.Errorf("Close made the client poll: %v", err)
	}
	if n := d.Host(feHost).Counters().Scripts; n != 1 {
		t.Errorf("%d scripts, want the one wait script", n)
	}
}

// TestWaitMissingService: a wait that names a service the computer does not
// have (here a misspelling of RTCSRV) fails at once with an error matching
// ErrNotFound, as Start- or Stop-CsWindowsService -Name would: the host loop
// sees nothing pending and returns, and neither the wait nor a poll would
// ever see the service. The client keeps waiting on the host afterwards.
func TestWaitMissingService(t *testing.T) {
	t.Parallel()
	d := newDeployment(t, topology(lynctest.SfB2015, ""))
	c := newClient(t, d, false, winrm.Options{})
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second) // bounds a wait that would never end
	defer cancel()
	if err := c.Services.Stop(ctx, edge01, lync.StopOptions{Names: []string{"RTCSRV"}}); err != nil {
		t.Fatal(err)
	}
	for _, names := range [][]string{{"RTCSRV", "RTCSVR"}, {"RTCSVR"}} {
		last, err := c.Services.WaitState(ctx, edge01, lync.ServiceStopped, 10*time.Millisecond, names...)
		if !errors.Is(err, lync.ErrNotFound) || !errors.As(err, new(*lync.WaitError)) || errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("WaitState(%q) = %v, want a *WaitError matching ErrNotFound", names, err)
		}
		if len(last) < 2 {
			t.Errorf("WaitState(%q) returned %d services, want the list read", names, len(last))
		}
		if err := lync.HostWaitFallback(c); err != nil {
			t.Fatalf("WaitState(%q) made the client poll: %v", names, err)
		}
	}
	// The same on a runner that is polled (no OperationTimeout).
	p := lync.NewClient(pollOnly{newRunner(t, endpoint(d, feHost, false), winrm.Options{})}, lync.ClientOptions{})
	if _, err := p.Services.WaitState(ctx, edge01, lync.ServiceStopped, 10*time.Millisecond, "RTCSVR"); !errors.Is(err, lync.ErrNotFound) {
		t.Fatalf("polled WaitState = %v, want ErrNotFound", err)
	}
}

// pollOnly hides the runner's OperationTimeout: the client polls it.
type pollOnly struct{ r lync.Runner }

func (p pollOnly) Run(ctx context.Context, script string) (json.RawMessage, error) {
	return p.r.Run(ctx, script)
}

// loopless is a host on which the wait loop does not hold: every wait
// script's deadline is already past when it starts, so it returns at once
// with the state it read, as on a host whose Start-Sleep or clock does not
// behave. It counts the wait scripts and the other scripts it runs.
type loopless struct {
	*winrm.WinRM
	waits, others *atomic.Int64
}

var untilRE = regexp.MustCompile(`AddMilliseconds\(\d+\)`)

func (l loopless) Run(ctx context.Context, script string) (json.RawMessage, error) {
	if untilRE.MatchString(script) {
		l.waits.Add(1)
		script = untilRE.ReplaceAllLiteralString(script, "AddMilliseconds(-1)")
	} else {
		l.others.Add(1)
	}
	return l.WinRM.Run(ctx, script)
}

// TestWaitEndedEarlyPollsThatWait: wait scripts that come back before their
// deadline with the state still pending make that wait poll (it still
// succeeds), not every later wait of the client: the next wait tries the
// host again. The services stop (through a second client) only once the
// wait has sent MaxShortWaits scripts or begun to poll, so each wait meets
// the early returns.
func TestWaitEndedEarlyPollsThatWait(t *testing.T) {
	t.Parallel()
	d := newDeployment(t, topology(lynctest.SfB2015, ""))
	l := loopless{newRunner(t, endpoint(d, feHost, false), winrm.Options{}), new(atomic.Int64), new(atomic.Int64)}
	c, other := lync.NewClient(l, lync.ClientOptions{}), newClient(t, d, false, winrm.Options{})
	ctx := t.Context()
	for i := range 2 {
		l.waits.Store(0)
		l.others.Store(0)
		done := make(chan error, 1)
		go func() {
			got, err := c.Services.WaitState(ctx, edge01, lync.ServiceStopped, 5*time.Millisecond)
			if err == nil && anyNot(got, lync.ServiceStopped) {
				err = errors.New("returned services not stopped")
			}
			done <- err
		}()
		for l.waits.Load() < lync.MaxShortWaits && l.others.Load() == 0 {
			select {
			case err := <-done:
				t.Fatalf("wait %d ended before the services stopped: %v", i, err)
			case <-time.After(time.Millisecond):
			}
		}
		if err := other.Services.Stop(ctx, edge01, lync.StopOptions{NoWait: true}); err != nil {
			t.Fatal(err)
		}
		if err := <-done; err != nil {
			t.Fatalf("wait %d: %v", i, err)
		}
		if n := l.waits.Load(); n < lync.MaxShortWaits {
			t.Errorf("wait %d sent %d wait scripts, want %d before it polls", i, n, lync.MaxShortWaits)
		}
		if err := lync.HostWaitFallback(c); err != nil {
			t.Fatalf("wait %d: a wait that ended early made the client poll: %v", i, err)
		}
		if err := other.Services.Start(ctx, edge01); err != nil {
			t.Fatal(err)
		}
	}
}
