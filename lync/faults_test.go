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

// TestFaults injects each lynctest fault kind and checks the typed error,
// that the call ends by its deadline, and that the requests stay bounded.
func TestFaults(t *testing.T) {
	t.Parallel()
	const deadline = 2 * time.Second
	tests := []struct {
		name     string
		fault    lynctest.Fault
		check    func(error) bool
		maxReqs  int
		prepared bool // fault injected after the session is open
	}{
		{"401", lynctest.Fault{Kind: lynctest.FaultUnauthorized}, func(err error) bool { return errors.Is(err, lync.ErrUnauthorized) }, 3, false},
		{"soap fault on Create", lynctest.Fault{Kind: lynctest.FaultSOAP, Action: lynctest.ActionCreate}, isFault(500), 3, false},
		// A refused Command is a fault of the moment, not a reason to fall
		// back: Create, Command, and the Delete of the shell.
		{"soap fault on Command", lynctest.Fault{Kind: lynctest.FaultSOAP, Action: lynctest.ActionCommand}, isFault(500), 3, false},
		{"soap fault on Receive", lynctest.Fault{Kind: lynctest.FaultSOAP, Action: lynctest.ActionReceive}, isFault(500), 10, true},
		{"soap fault on Send", lynctest.Fault{Kind: lynctest.FaultSOAP, Action: lynctest.ActionSend}, isFault(500), 10, true},
		{"reset", lynctest.Fault{Kind: lynctest.FaultReset}, isTransport, 10, false},
		{"reset on Receive", lynctest.Fault{Kind: lynctest.FaultReset, Action: lynctest.ActionReceive}, isTransport, 10, true},
		{"refused", lynctest.Fault{Kind: lynctest.FaultRefuse}, isTransport, 0, false},
		{"hang", lynctest.Fault{Kind: lynctest.FaultHang, Action: lynctest.ActionCreate}, isDeadline, 3, false},
		{"hang cmdlet", lynctest.Fault{Kind: lynctest.FaultHang, Cmdlet: "Get-CsSite"}, isDeadline, 40, true},
		{"instant TimedOut", lynctest.Fault{Kind: lynctest.FaultTimedOut}, isDeadline, 40, true},
		{"cmdlet error", lynctest.Fault{Kind: lynctest.FaultCmdletError, Cmdlet: "Get-CsSite"}, isCmdlet, 10, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d := newDeployment(t, topology(lynctest.SfB2015, ""))
			c := newClient(t, d, false, winrm.Options{})
			if tt.prepared {
				if err := c.Prepare(t.Context()); err != nil {
					t.Fatal(err)
				}
				if _, err := c.Sites.RouteParameter(t.Context()); err != nil {
					t.Fatal(err)
				}
			}
			tt.fault.Host = feHost
			if _, err := d.Inject(tt.fault); err != nil {
				t.Fatal(err)
			}
			d.ResetCounters()
			if tt.prepared && (tt.fault.Action == lynctest.ActionReceive || tt.fault.Kind == lynctest.FaultTimedOut) {
				// The long poll in flight when the fault came may still bring
				// output; wait until a poll has met the fault.
				for i := 0; i < 200 && d.Host(feHost).Counters().Requests[lynctest.ActionReceive] == 0; i++ {
					time.Sleep(10 * time.Millisecond)
				}
			}
			ctx, cancel := context.WithTimeout(t.Context(), deadline)
			defer cancel()
			start := time.Now()
			_, err := c.Sites.Get(ctx, site2)
			took := time.Since(start)
			if !tt.check(err) {
				t.Errorf("err = %v (%T)", err, err)
			}
			if took > deadline+time.Second {
				t.Errorf("call took %v, past its deadline %v", took, deadline)
			}
			if n := d.Counters().Total(); n > tt.maxReqs {
				t.Errorf("%d requests, want at most %d: %v", n, tt.maxReqs, d.Counters().Requests)
			}
			// After the fault is gone the client works again (session rebuilt).
			d.ClearFaults()
			if _, err := c.Sites.Get(t.Context(), site2); err != nil {
				t.Errorf("after clearing the fault: %v", err)
			}
		})
	}
}

func isFault(status int) func(error) bool {
	return func(err error) bool {
		var f *winrm.WSManFault
		var te *lync.TransportError
		return errors.As(err, &f) && f.StatusCode == status && errors.As(err, &te)
	}
}

func isTransport(err error) bool {
	var te *lync.TransportError
	return errors.As(err, &te)
}

func isDeadline(err error) bool {
	return isTransport(err) && errors.Is(err, context.DeadlineExceeded)
}

func isCmdlet(err error) bool {
	var ce *lync.CmdletError
	return errors.As(err, &ce) && ce.Cmdlet == "Get-CsSite"
}
