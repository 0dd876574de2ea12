package lync_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/masterzen/winrm"

	"github.com/xmppfed/edgefailover/lync"
	"github.com/xmppfed/edgefailover/lync/lynctest"
	lyncwinrm "github.com/xmppfed/edgefailover/lync/winrm"
)

// dropSet is a Runner that pretends Set-CsSite ran: a host where the change
// does not take (it runs only the read-back that follows Set-CsSite). It
// shows that resources work on any Runner.
type dropSet struct{ lync.Runner }

func (r dropSet) Run(ctx context.Context, script string) (json.RawMessage, error) {
	if set, readBack, ok := strings.Cut(script, "; "); ok && strings.HasPrefix(set, "Set-CsSite ") {
		script = readBack
	}
	return r.Runner.Run(ctx, script)
}

func TestRouteNotApplied(t *testing.T) {
	t.Parallel()
	d := newDeployment(t, topology(lynctest.Lync2013, lynctest.XmppExternalFederationRoute))
	c := lync.NewClient(dropSet{newRunner(t, endpoint(d, feHost, false), lyncwinrm.Options{})}, lync.ClientOptions{})
	err := c.Site(site2).SetXmppRoute(t.Context(), edgeP2)
	var re *lync.RouteError
	if !errors.As(err, &re) || !errors.Is(err, lync.ErrRouteNotApplied) {
		t.Fatalf("err = %v, want *RouteError", err)
	}
	if re.Site != site2 || re.Parameter != lynctest.XmppExternalFederationRoute ||
		re.Want.String() != "EdgeServer:"+edgeP2 || !strings.EqualFold(re.Got.String(), "EdgeServer:"+edgeP1) {
		t.Errorf("RouteError = %+v", re)
	}
}

func TestIdleRebuild(t *testing.T) {
	t.Parallel()
	d := newDeployment(t, topology(lynctest.SfB2015, ""))
	c := newClient(t, d, false, lyncwinrm.Options{IdleTimeout: time.Nanosecond})
	for range 2 {
		if _, err := c.Sites.RouteParameter(t.Context()); err != nil {
			t.Fatal(err)
		}
		if _, err := c.Pools.List(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	// Every call finds the session idle past 1ns and builds a new one.
	if cnt := d.Host(feHost).Counters(); cnt.Processes != 3 || cnt.ModuleImports != 3 {
		t.Errorf("processes=%d imports=%d, want 3 each", cnt.Processes, cnt.ModuleImports)
	}
}

func TestTLSVerified(t *testing.T) {
	t.Parallel()
	d := newDeployment(t, topology(lynctest.SfB2015, ""))
	ep := endpoint(d, feHost, true)
	ep.TLS.RootCAs = nil // the system roots do not know the test CA
	c := lync.NewClient(newRunner(t, ep, lyncwinrm.Options{}), lync.ClientOptions{})
	_, err := c.Sites.List(t.Context())
	var te *lync.TransportError
	if !errors.As(err, &te) {
		t.Fatalf("err = %v, want *TransportError", err)
	}
	if n := d.Host(feHost).Counters().Total(); n != 0 {
		t.Errorf("%d requests passed an unverified TLS handshake", n)
	}
	// Another name than the certificate's fails too.
	ep = endpoint(d, feHost, true)
	ep.TLS.ServerName = "other.contoso.com"
	if _, err := lync.NewClient(newRunner(t, ep, lyncwinrm.Options{}), lync.ClientOptions{}).Sites.List(t.Context()); err == nil {
		t.Error("wrong server name accepted")
	}
}

func TestWrongPassword(t *testing.T) {
	t.Parallel()
	d := newDeployment(t, topology(lynctest.SfB2015, ""))
	ep := endpoint(d, feHost, true)
	ep.Credentials.Password = "wrong"
	_, err := lync.NewClient(newRunner(t, ep, lyncwinrm.Options{}), lync.ClientOptions{}).Sites.List(t.Context())
	if !errors.Is(err, lync.ErrUnauthorized) {
		t.Fatalf("err = %v, want ErrUnauthorized", err)
	}
	if strings.Contains(err.Error(), "wrong") {
		t.Errorf("error shows the password: %v", err)
	}
}

// TestLogsHoldNoSecret: debug logs of a session, a failure and a rebuild
// never show the password; the package-level winrm.DefaultParameters is
// left as it was.
func TestLogsHoldNoSecret(t *testing.T) {
	t.Parallel()
	d := newDeployment(t, topology(lynctest.SfB2015, ""))
	var buf lockedBuffer
	log := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	ep := endpoint(d, feHost, true)
	c := lync.NewClient(newRunner(t, ep, lyncwinrm.Options{Logger: log}), lync.ClientOptions{Logger: log})
	ctx := t.Context()
	if err := c.Site(site2).SetXmppRoute(ctx, edgeP2); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Inject(lynctest.Fault{Kind: lynctest.FaultSOAP, Action: lynctest.ActionSend, Nth: 1}); err != nil {
		t.Fatal(err)
	}
	_, _ = c.Sites.List(ctx)
	if _, err := c.Sites.List(ctx); err != nil {
		t.Fatal(err)
	}
	log.Info("endpoint", "ep", ep, "creds", ep.Credentials)
	_, pass := d.Credentials()
	if out := buf.String(); strings.Contains(out, pass) || !strings.Contains(out, "session started") {
		t.Errorf("logs:\n%s", out)
	}
	if p := winrm.DefaultParameters; p.Timeout != "PT60S" || p.TransportDecorator != nil || p.Dial != nil {
		t.Errorf("winrm.DefaultParameters changed: %+v", *p)
	}
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestDefaultDeadline: a call whose context has no deadline gets
// Options.CallTimeout.
func TestDefaultDeadline(t *testing.T) {
	t.Parallel()
	d := newDeployment(t, topology(lynctest.SfB2015, ""))
	c := newClient(t, d, false, lyncwinrm.Options{CallTimeout: 300 * time.Millisecond})
	if _, err := d.Inject(lynctest.Fault{Kind: lynctest.FaultHang, Cmdlet: "Get-CsPool"}); err != nil {
		t.Fatal(err)
	}
	_, err := c.Pools.List(context.Background())
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want DeadlineExceeded", err)
	}
}
