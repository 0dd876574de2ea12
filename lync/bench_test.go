package lync_test

import (
	"context"
	"testing"
	"time"

	"github.com/xmppfed/edgefailover/lync"
	"github.com/xmppfed/edgefailover/lync/lynctest"
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
		mode lync.Mode
	}{{"persistent", lync.ModePersistent}, {"per-script", lync.ModePerScript}}
	for _, m := range modes {
		b.Run(m.name, func(b *testing.B) {
			cfg := topology(lynctest.SfB2015, "")
			cfg.Latency = lynctest.Latency{ProcessStart: time.Second, ModuleImport: 3 * time.Second, Scale: 0.01}
			d := newDeployment(b, cfg)
			ctx := context.Background()
			d.ResetCounters()
			for b.Loop() {
				w, err := lync.NewWinRM(endpoint(d, feHost, false), &lync.Options{Mode: m.mode})
				if err != nil {
					b.Fatal(err)
				}
				c := lync.NewClient(w, nil)
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
