package edge_test

import (
	"context"
	"errors"
	"net"
	"slices"
	"testing"
	"time"

	"github.com/xmppfed/edgefailover/edge"
	"github.com/xmppfed/edgefailover/edge/xmpptest"
)

func TestProbeClosedPortIsAResult(t *testing.T) {
	t.Parallel()
	s := newXMPP(t, xmpptest.Config{Domains: []string{"contoso.com"}})
	s.Stop()
	res, err := edge.Probe(testCtx(t), s.Addr(), edge.ProbeConfig{To: "contoso.com", From: "probe.example"})
	if err != nil {
		t.Fatalf("Probe: %v", err)
	}
	if res.Connected || res.DialError == nil || res.Answered() || res.OK() || res.Failure != nil {
		t.Errorf("result = %+v", res)
	}
	if err := s.Start(); err != nil { // the same address answers again
		t.Fatal(err)
	}
	res, err = edge.Probe(testCtx(t), s.Addr(), edge.ProbeConfig{To: "contoso.com", From: "probe.example"})
	if err != nil || !res.OK() {
		t.Errorf("after Start: %+v, %v", res, err)
	}
	if res.RemoteAddr != s.Addr() {
		t.Errorf("RemoteAddr = %q, want the listener's %q", res.RemoteAddr, s.Addr())
	}
}

func TestProbeContextEndsSilentProbe(t *testing.T) {
	t.Parallel()
	s := newXMPP(t, xmpptest.Config{Domains: []string{"contoso.com"}, Fault: xmpptest.FaultSilence})
	ctx, cancel := context.WithTimeout(testCtx(t), 200*time.Millisecond)
	defer cancel()
	res, err := edge.Probe(ctx, s.Addr(), edge.ProbeConfig{To: "contoso.com", From: "probe.example", Timeout: time.Hour})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want context.DeadlineExceeded", err)
	}
	if res == nil || !res.Connected || res.Stream != nil {
		t.Errorf("result = %+v", res)
	}

	ctx, cancel = context.WithCancel(testCtx(t))
	go func() { time.Sleep(50 * time.Millisecond); cancel() }()
	if _, err := edge.Probe(ctx, s.Addr(), edge.ProbeConfig{To: "contoso.com", From: "probe.example", Timeout: time.Hour}); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

func TestProbeDialer(t *testing.T) {
	t.Parallel()
	s := newXMPP(t, xmpptest.Config{Domains: []string{"contoso.com"}})
	var dialled []string
	cfg := edge.ProbeConfig{To: "contoso.com", From: "probe.example",
		// An "outside vantage point": the probe asks for the public name,
		// the dialer decides where that goes.
		Dial: func(ctx context.Context, network, addr string) (net.Conn, error) {
			dialled = append(dialled, network+" "+addr)
			var d net.Dialer
			return d.DialContext(ctx, network, s.Addr())
		}}
	res, err := edge.Probe(testCtx(t), "xmpp.contoso.com:5269", cfg)
	if err != nil || !res.OK() {
		t.Fatalf("Probe = %+v, %v", res, err)
	}
	if !slices.Equal(dialled, []string{"tcp xmpp.contoso.com:5269"}) {
		t.Errorf("dialled %v", dialled)
	}
	cfg.Dial = func(context.Context, string, string) (net.Conn, error) { return nil, errors.New("proxy refused") }
	res, err = edge.Probe(testCtx(t), "xmpp.contoso.com:5269", cfg)
	if err != nil || res.Connected || res.DialError == nil || res.DialError.Error() != "proxy refused" {
		t.Errorf("Probe = %+v, %v", res, err)
	}
}

func TestProbeDialerReturningNothing(t *testing.T) {
	t.Parallel()
	cfg := edge.ProbeConfig{To: "contoso.com", From: "probe.example",
		Dial: func(context.Context, string, string) (net.Conn, error) { return nil, nil }}
	res, err := edge.Probe(testCtx(t), "xmpp.contoso.com:5269", cfg)
	if err != nil || res.Connected || res.DialError == nil {
		t.Errorf("Probe = %+v, %v", res, err)
	}
}
