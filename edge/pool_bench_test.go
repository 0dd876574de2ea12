package edge_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/xmppfed/edgefailover/edge"
	"github.com/xmppfed/edgefailover/lync/lynctest"
)

// BenchmarkPoolStopStart stops and starts the Lync services of every server
// of a pool of 1, 4 and 8 servers, all at once (Concurrency 0: up to 8) and
// one server after another (Concurrency 1), under a latency profile where a
// service stop and a service start take 1s and a WS-Man round trip 100ms,
// scaled to 1s = 10ms and to 1s = 100ms (the fake and the client share the
// CPU, so the larger scale shows the waits with less CPU noise). Sessions
// are prepared before the timer starts, as a failover does. The goal: a
// concurrent pool takes about as long as one server, not the sum.
//
//	go test -run '^$' -bench BenchmarkPoolStopStart -benchtime 10x ./edge
//
// Measured 2026-11-25 (2 shared cores, load ~1.5), ms per stop+start:
//
//	1s=10ms:  1 server 33; 4 servers 39 concurrent / 134 sequential; 8 servers 61 / 275
//	1s=100ms: 1 server 275; 4 servers 292-313 / 1100; 8 servers 312-322 / 2195
//
// so 8 servers at once take 1.1-1.2x one server at the 100ms scale (1.85x at
// 10ms, where the fake's and the client's CPU work shows) instead of 8x.
func BenchmarkPoolStopStart(b *testing.B) {
	for _, scale := range []float64{0.01, 0.1} {
		for _, n := range []int{1, 4, 8} {
			for _, mode := range []struct {
				name        string
				concurrency int
			}{{"concurrent", 0}, {"sequential", 1}} {
				name := fmt.Sprintf("1s=%vms/servers=%d/%s", scale*1000, n, mode.name)
				b.Run(name, func(b *testing.B) { benchPool(b, scale, n, mode.concurrency) })
			}
		}
	}
}

func benchPool(b *testing.B, scale float64, n, concurrency int) {
	d := newLab(b, n)
	if err := d.SetLatency(lynctest.Latency{RoundTrip: 100 * time.Millisecond, ServiceStop: time.Second,
		ServiceStart: time.Second, Scale: scale}); err != nil {
		b.Fatal(err)
	}
	p := labPool(b, d, n)
	p.Concurrency = concurrency
	ctx := context.Background()
	if _, err := p.Prepare(ctx); err != nil {
		b.Fatal(err)
	}
	poll := time.Duration(scale * float64(500*time.Millisecond)) // half a lab second
	stop := edge.StopOptions{PollInterval: poll}
	start := edge.StartOptions{PollInterval: poll}
	for b.Loop() {
		if _, err := p.StopServices(ctx, stop); err != nil {
			b.Fatal(err)
		}
		if _, err := p.StartServices(ctx, start); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/op")
	b.ReportMetric(float64(d.Counters().Cmdlets["Get-CsWindowsService"])/float64(b.N), "polls/op")
}
