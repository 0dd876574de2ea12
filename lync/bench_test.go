package lync_test

import (
	"context"
	"testing"
	"time"

	"github.com/xmppfed/edgefailover/lync"
	"github.com/xmppfed/edgefailover/lync/lynctest"
	"github.com/xmppfed/edgefailover/lync/winrm"
)

// BenchmarkTwentyCmdlets runs 20 cmdlets on one host under a latency
// profile of process start 1s and module import 3s (scaled by 1/100), with
// a persistent session and with one process per script. Each op opens a
// new runner, so the start-up costs count. procs/op and imports/op are the
// host's counters per op.
//
//	go test -run '^$' -bench BenchmarkTwentyCmdlets -benchtime 5x ./lync
func BenchmarkTwentyCmdlets(b *testing.B) {
	modes := []struct {
		name string
		mode winrm.Mode
	}{{"persistent", winrm.ModePersistent}, {"per-script", winrm.ModePerScript}}
	for _, m := range modes {
		b.Run(m.name, func(b *testing.B) {
			cfg := topology(lynctest.SfB2015, "")
			cfg.Latency = lynctest.Latency{ProcessStart: time.Second, ModuleImport: 3 * time.Second, Scale: 0.01}
			d := newDeployment(b, cfg)
			ctx := context.Background()
			d.ResetCounters()
			for b.Loop() {
				w, err := winrm.NewWinRM(endpoint(d, feHost, false), winrm.Options{Mode: m.mode})
				if err != nil {
					b.Fatal(err)
				}
				c := lync.NewClient(w, lync.ClientOptions{})
				if err := twentyCmdlets(ctx, c); err != nil {
					b.Fatal(err)
				}
				_ = w.Close()
			}
			cnt := d.Host(feHost).Counters()
			b.ReportMetric(float64(cnt.Processes)/float64(b.N), "procs/op")
			b.ReportMetric(float64(cnt.ModuleImports)/float64(b.N), "imports/op")
			b.ReportMetric(float64(cnt.Total())/float64(b.N), "requests/op")
		})
	}
}

// twentyCmdlets runs 20 cmdlets: the route parameter detection, then 19
// reads across the resources.
func twentyCmdlets(ctx context.Context, c *lync.Client) error {
	if _, err := c.Sites.RouteParameter(ctx); err != nil {
		return err
	}
	for i := range 19 {
		var err error
		switch i % 4 {
		case 0:
			_, err = c.Sites.Get(ctx, site2)
		case 1:
			_, err = c.Pools.Get(ctx, edgeP2)
		case 2:
			_, err = c.Services.List(ctx, edge03)
		case 3:
			_, err = c.Replication.Status(ctx, edge03)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// BenchmarkCloseHungCall measures Close with a call in flight whose script
// hangs on the host: cancel the call, terminate the command, delete the
// shell. Bounded by winrm.CloseTimeout.
//
//	go test -run '^$' -bench BenchmarkCloseHungCall -benchtime 20x ./lync
func BenchmarkCloseHungCall(b *testing.B) {
	d := newDeployment(b, topology(lynctest.SfB2015, ""))
	if _, err := d.Inject(lynctest.Fault{Kind: lynctest.FaultHang, Cmdlet: "Get-CsPool"}); err != nil {
		b.Fatal(err)
	}
	h := d.Host(feHost)
	for b.Loop() {
		b.StopTimer()
		w, err := winrm.NewWinRM(endpoint(d, feHost, false), winrm.Options{})
		if err != nil {
			b.Fatal(err)
		}
		c := lync.NewClient(w, lync.ClientOptions{})
		before := h.Counters().Cmdlets["Get-CsPool"]
		done := make(chan struct{})
		go func() { _, _ = c.Pools.List(context.Background()); close(done) }()
		for h.Counters().Cmdlets["Get-CsPool"] == before {
			time.Sleep(time.Millisecond)
		}
		b.StartTimer()
		_ = w.Close()
		<-done
	}
	if n := h.ShellCount(); n != 0 {
		b.Errorf("%d shells left", n)
	}
}

// BenchmarkCallAfterIdle measures a call on a session that sat idle for
// 1.5 s against a host answering its long polls with w:TimedOut after 60 ms,
// so that the poll is in its backoff when the script goes out: the Send
// ends the pause, and the call costs a round trip, not the backoff.
//
//	go test -run '^$' -bench BenchmarkCallAfterIdle -benchtime 3x ./lync
func BenchmarkCallAfterIdle(b *testing.B) {
	cfg := topology(lynctest.SfB2015, "")
	cfg.MaxOperationTimeout = 60 * time.Millisecond
	d := newDeployment(b, cfg)
	c := lync.NewClient(newRunner(b, endpoint(d, feHost, false), winrm.Options{}), lync.ClientOptions{})
	ctx := context.Background()
	if err := c.Prepare(ctx); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		b.StopTimer()
		time.Sleep(1500 * time.Millisecond)
		b.StartTimer()
		if _, err := c.Sites.Get(ctx, site1); err != nil {
			b.Fatal(err)
		}
	}
}
