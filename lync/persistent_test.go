package lync_test

import (
	"errors"
	"testing"

	"github.com/xmppfed/edgefailover/lync"
	"github.com/xmppfed/edgefailover/lync/lynctest"
	"github.com/xmppfed/edgefailover/lync/winrm"
)

// TestTransientCommandFault: one HTTP 500 on the persistent Command fails
// that call with a retryable error and does not switch to one process per
// script: the next calls rebuild the persistent session once and share it.
func TestTransientCommandFault(t *testing.T) {
	t.Parallel()
	d := newDeployment(t, topology(lynctest.SfB2015, ""))
	h := d.Host(feHost)
	if _, err := d.Inject(lynctest.Fault{Kind: lynctest.FaultSOAP, Action: lynctest.ActionCommand, Host: feHost, Nth: 1}); err != nil {
		t.Fatal(err)
	}
	w := newRunner(t, endpoint(d, feHost, false), winrm.Options{})
	c := lync.NewClient(w, lync.ClientOptions{})
	ctx := t.Context()
	_, err := c.Sites.List(ctx)
	var f *winrm.WSManFault
	if !errors.Is(err, lync.ErrSessionBroken) || !errors.As(err, &f) || f.StatusCode != 500 {
		t.Fatalf("err = %v, want ErrSessionBroken with the 500 fault", err)
	}
	for range 3 {
		if _, err := c.Sites.List(ctx); err != nil {
			t.Fatal(err)
		}
	}
	cnt := h.Counters()
	t.Logf("after one 500 on Command and 3 calls: processes=%d imports=%d shells created=%d open=%d",
		cnt.Processes, cnt.ModuleImports, cnt.Shells, h.ShellCount())
	if cnt.Processes != 1 || cnt.ModuleImports != 1 {
		t.Errorf("processes=%d imports=%d, want 1 and 1 (one rebuilt session)", cnt.Processes, cnt.ModuleImports)
	}
	if fb, err := w.UsingFallback(ctx); err != nil || fb {
		t.Errorf("UsingFallback = %v, %v; want false", fb, err)
	}
}

// TestPersistentRefused: a host whose `-Command -` exits at once gives
// ModePersistent a *PersistentError that is not a broken session (retrying
// cannot help), while ModeAuto runs the call as a process of its own.
func TestPersistentRefused(t *testing.T) {
	t.Parallel()
	for _, mode := range []winrm.Mode{winrm.ModePersistent, winrm.ModeAuto} {
		t.Run(mode.String(), func(t *testing.T) {
			t.Parallel()
			d := newDeployment(t, topology(lynctest.SfB2015, ""))
			if _, err := d.Inject(lynctest.Fault{Kind: lynctest.FaultPersistentExit}); err != nil {
				t.Fatal(err)
			}
			c := newClient(t, d, false, winrm.Options{Mode: mode})
			_, err := c.Sites.List(t.Context())
			if mode == winrm.ModeAuto {
				if err != nil {
					t.Fatalf("ModeAuto: %v", err)
				}
				return
			}
			var pe *winrm.PersistentError
			var he *winrm.HostError
			if !errors.As(err, &pe) || pe.Reason != winrm.PersistentExited || !errors.As(err, &he) {
				t.Fatalf("err = %v, want *PersistentError (exited) with a *HostError", err)
			}
			if errors.Is(err, lync.ErrSessionBroken) {
				t.Errorf("err = %v matches ErrSessionBroken", err)
			}
		})
	}
}

// TestUnauthorizedNotBroken: a 401, at the first request or in the middle
// of a session, is ErrUnauthorized and not a broken session.
func TestUnauthorizedNotBroken(t *testing.T) {
	t.Parallel()
	for _, action := range []string{lynctest.ActionCreate, lynctest.ActionSend} {
		t.Run(action, func(t *testing.T) {
			t.Parallel()
			d := newDeployment(t, topology(lynctest.SfB2015, ""))
			c := newClient(t, d, false, winrm.Options{})
			if action != lynctest.ActionCreate {
				if err := c.Prepare(t.Context()); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := d.Inject(lynctest.Fault{Kind: lynctest.FaultUnauthorized, Action: action, Host: feHost}); err != nil {
				t.Fatal(err)
			}
			_, err := c.Sites.List(t.Context())
			if !errors.Is(err, lync.ErrUnauthorized) || errors.Is(err, lync.ErrSessionBroken) {
				t.Errorf("err = %v, want ErrUnauthorized and not ErrSessionBroken", err)
			}
		})
	}
}
