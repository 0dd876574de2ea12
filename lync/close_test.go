package lync_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/xmppfed/edgefailover/lync"
	"github.com/xmppfed/edgefailover/lync/lynctest"
	"github.com/xmppfed/edgefailover/lync/winrm"
)

// TestDialCloseCycles: 100 Dial/call/Close cycles against one host with
// Windows' default quota (30 shells per user) leave no shell behind and
// never meet w:QuotaLimit.
func TestDialCloseCycles(t *testing.T) {
	t.Parallel()
	const cycles = 100
	d := newDeployment(t, topology(lynctest.SfB2015, ""))
	h := d.Host(feHost)
	for i := range cycles {
		c, err := winrm.Dial(endpoint(d, feHost, false), winrm.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.Sites.Get(t.Context(), site1); err != nil {
			t.Fatalf("cycle %d: %v", i, err)
		}
		if err := c.Close(); err != nil {
			t.Fatalf("cycle %d: Close: %v", i, err)
		}
	}
	cnt := h.Counters()
	t.Logf("%d cycles: shells created=%d deleted=%d open=%d quota faults=%d signals=%d",
		cycles, cnt.Shells, cnt.ShellsDeleted, h.ShellCount(), cnt.QuotaFaults, cnt.Requests[lynctest.ActionSignal])
	if cnt.QuotaFaults != 0 || h.ShellCount() != 0 || cnt.Shells != cycles || cnt.ShellsDeleted != cycles {
		t.Errorf("quota faults=%d open=%d created=%d deleted=%d, want 0, 0, %d, %d",
			cnt.QuotaFaults, h.ShellCount(), cnt.Shells, cnt.ShellsDeleted, cycles, cycles)
	}
}

// TestCloseBounded: Close ends a call in flight (ErrClosed), terminates the
// command and deletes the shell within CloseTimeout, whatever the session's
// state, and leaves no client goroutine. Not parallel: it counts goroutines.
func TestCloseBounded(t *testing.T) {
	hangReceive := lynctest.Fault{Kind: lynctest.FaultHang, Action: lynctest.ActionReceive, Host: feHost}
	tests := []struct {
		name   string
		faults []lynctest.Fault
		call   bool // a call is in flight when Close comes
		broken bool // the session broke before Close
		mode   winrm.Mode
	}{
		// The script hangs on the host and the long polls that would bring
		// its result hang too: the call waits on a Receive that never answers.
		{"hung Receive", []lynctest.Fault{{Kind: lynctest.FaultHang, Cmdlet: "Get-CsPool", Host: feHost}, hangReceive}, true, false, winrm.ModeAuto},
		// The host never answers the terminate Signal: the Delete still goes.
		{"hung Signal", []lynctest.Fault{{Kind: lynctest.FaultHang, Cmdlet: "Get-CsPool", Host: feHost},
			{Kind: lynctest.FaultHang, Action: lynctest.ActionSignal, Host: feHost}}, true, false, winrm.ModeAuto},
		{"per-script hung Receive", []lynctest.Fault{{Kind: lynctest.FaultHang, Cmdlet: "Get-CsPool", Host: feHost}, hangReceive}, true, false, winrm.ModePerScript},
		{"idle", nil, false, false, winrm.ModeAuto},
		{"broken session", []lynctest.Fault{{Kind: lynctest.FaultSOAP, Action: lynctest.ActionSend, Host: feHost, Nth: 1}}, false, true, winrm.ModeAuto},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := newDeployment(t, topology(lynctest.SfB2015, ""))
			h := d.Host(feHost)
			w, err := winrm.NewWinRM(endpoint(d, feHost, false), winrm.Options{Mode: tt.mode})
			if err != nil {
				t.Fatal(err)
			}
			c := lync.NewClient(w, lync.ClientOptions{})
			if err := c.Prepare(t.Context()); err != nil {
				t.Fatal(err)
			}
			for _, f := range tt.faults {
				if _, err := d.Inject(f); err != nil {
					t.Fatal(err)
				}
			}
			if tt.broken {
				if _, err := c.Pools.List(t.Context()); !errors.Is(err, lync.ErrSessionBroken) {
					t.Fatalf("err = %v, want ErrSessionBroken", err)
				}
			}
			callErr := make(chan error, 1)
			if tt.call {
				ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
				defer cancel()
				go func() { _, err := c.Pools.List(ctx); callErr <- err }()
				for h.Counters().Cmdlets["Get-CsPool"] == 0 {
					time.Sleep(5 * time.Millisecond)
				}
				time.Sleep(50 * time.Millisecond) // the client is waiting on its Receive
			}
			start := time.Now()
			err = c.Close()
			took := time.Since(start)
			t.Logf("Close took %v", took)
			if err != nil {
				t.Errorf("Close: %v", err)
			}
			if took > winrm.CloseTimeout+time.Second {
				t.Errorf("Close took %v, bound %v", took, winrm.CloseTimeout)
			}
			if tt.call {
				select {
				case err := <-callErr:
					if !errors.Is(err, lync.ErrClosed) {
						t.Errorf("call in flight: err = %v, want ErrClosed", err)
					}
				case <-time.After(5 * time.Second):
					t.Fatal("call in flight did not return after Close")
				}
			}
			d.ClearFaults()
			if n := h.ShellCount(); n != 0 {
				t.Errorf("%d shells left after Close", n)
			}
			if cnt := h.Counters(); tt.call && cnt.Requests[lynctest.ActionSignal] == 0 {
				t.Errorf("no terminate Signal sent: %v", cnt.Requests)
			}
			if _, err := c.Sites.List(t.Context()); !errors.Is(err, lync.ErrClosed) {
				t.Errorf("after Close: err = %v, want ErrClosed", err)
			}
			checkNoClientGoroutines(t)
		})
	}
}

// TestCloseHostHangs: a host that answers neither the Signal nor the Delete
// cannot hold Close past CloseTimeout; Close then says the shell may be left.
func TestCloseHostHangs(t *testing.T) {
	t.Parallel()
	d := newDeployment(t, topology(lynctest.SfB2015, ""))
	c := newClient(t, d, false, winrm.Options{})
	if err := c.Prepare(t.Context()); err != nil {
		t.Fatal(err)
	}
	for _, a := range []string{lynctest.ActionSignal, lynctest.ActionDelete} {
		if _, err := d.Inject(lynctest.Fault{Kind: lynctest.FaultHang, Action: a, Host: feHost}); err != nil {
			t.Fatal(err)
		}
	}
	start := time.Now()
	err := c.Close()
	took := time.Since(start)
	t.Logf("Close took %v: %v", took, err)
	var te *lync.TransportError
	if !errors.As(err, &te) || te.Op != lynctest.ActionDelete || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Close: err = %v, want the Delete's *TransportError with DeadlineExceeded", err)
	}
	if took > winrm.CloseTimeout+time.Second {
		t.Errorf("Close took %v, bound %v", took, winrm.CloseTimeout)
	}
}
