package failover_test

import (
	"context"
	"testing"
	"time"

	"github.com/xmppfed/edgefailover/failover/failovertest"
	"github.com/xmppfed/edgefailover/lync"
	"github.com/xmppfed/edgefailover/lync/lynctest"
)

// BenchmarkWaitDetection measures, under the lab's fast profile
// (benchLatency with the lab's 5 ms poll: profile=lab, in lab ms) and the
// field-like profile with production waits (fieldLatency, fieldPoll:
// profile=field, in field seconds), how long after a state is
// reached the client knows it, for the two waits that wait: an Edge server's
// services Stopped after Stop-CsWindowsService -NoWait, and its replica up
// to date after a route change (on the management host). waits=poll is the
// client before issue 17 (one read per poll: up to a poll interval late),
// waits=host one script per wait blocking on the host (up to a host tick
// plus a round trip late). The moment the state is reached is taken from
// lynctest's in-memory state, watched every 100 µs (5 field ms). Field
// seconds per wait, and scripts per wait.
//
//	go test -run '^$' -bench BenchmarkWaitDetection -benchtime 5x ./failover
func BenchmarkWaitDetection(b *testing.B) {
	for _, p := range []struct {
		name string
		bc   benchCase
	}{
		{"profile=lab", benchCase{lat: benchLatency, poll: failovertest.LabTimeouts().Poll}},
		{"profile=field", benchCase{lat: fieldLatency, poll: fieldPoll}},
	} {
		for _, pollWaits := range []bool{false, true} {
			p.bc.pollWaits = pollWaits
			b.Run(p.name+"/"+waitsName(pollWaits), func(b *testing.B) { benchWaitDetection(b, p.bc, p.name == "profile=field") })
		}
	}
}

// benchWaitDetection runs one profile of BenchmarkWaitDetection.
func benchWaitDetection(b *testing.B, bc benchCase, fieldUnits bool) {
	ctx := context.Background()
	lab, err := failovertest.New(failovertest.Options{ServersPerPool: 1, Latency: bc.lat, PollWaits: bc.pollWaits})
	if err != nil {
		b.Fatal(err)
	}
	defer lab.Close()
	pool, _ := lab.Pool(failovertest.TargetPool)
	srv := pool.Servers[0]
	c, err := lab.OpenServer(ctx, srv)
	if err != nil {
		b.Fatal(err)
	}
	mgmt, err := lab.Management(ctx)
	if err != nil {
		b.Fatal(err)
	}
	d := lab.Deployment()
	var stopLate, replLate time.Duration
	var stopScripts, replScripts int
	for b.Loop() {
		// Services: stop without waiting, then wait.
		d.ResetCounters()
		if err := c.Services.Stop(ctx, srv, lync.StopOptions{NoWait: true}); err != nil {
			b.Fatal(err)
		}
		reached := watchUntil(d, func(s lynctest.Snapshot) bool { return allIn(s.Services[srv], lynctest.Stopped) })
		if _, err := c.Services.WaitState(ctx, srv, lync.ServiceStopped, bc.poll); err != nil {
			b.Fatal(err)
		}
		stopLate += time.Since(reached())
		stopScripts += d.Host(srv).Counters().Scripts - 1 // less the Stop itself
		if err := c.Services.Start(ctx, srv); err != nil {
			b.Fatal(err)
		}
		// Replication: route the target site at the other pool and
		// back, so that the replica falls behind and catches up.
		route := failovertest.TargetPool
		if s := d.Snapshot().Sites[failovertest.TargetSite]; s.XmppRoute == "EdgeServer:"+route {
			route = failovertest.SourcePool
		}
		if err := mgmt.Site(failovertest.TargetSite).SetXmppRoute(ctx, route); err != nil {
			b.Fatal(err)
		}
		d.ResetCounters()
		reached = watchUntil(d, func(s lynctest.Snapshot) bool { return s.Replicas[srv] })
		if _, err := mgmt.Replication.WaitUpToDate(ctx, srv, bc.poll); err != nil {
			b.Fatal(err)
		}
		replLate += time.Since(reached())
		replScripts += d.Host(failovertest.ManagementHost).Counters().Scripts
	}
	n := float64(b.N)
	unit, per := "ms", func(d time.Duration) float64 { return ms(d) / n }
	if fieldUnits {
		unit, per = "field-s", func(d time.Duration) float64 { return d.Seconds() / bc.lat.Scale / n }
	}
	b.ReportMetric(per(stopLate), unit+"-late/stop-wait")
	b.ReportMetric(per(replLate), unit+"-late/replication-wait")
	b.ReportMetric(float64(stopScripts)/n, "scripts/stop-wait")
	b.ReportMetric(float64(replScripts)/n, "scripts/replication-wait")
}

func allIn(svcs map[string]lynctest.ServiceStatus, st lynctest.ServiceStatus) bool {
	for _, s := range svcs {
		if s != st {
			return false
		}
	}
	return len(svcs) > 0
}

// watchUntil watches the deployment every 100 µs from now until cond holds;
// the returned func waits for that and returns when it first held.
func watchUntil(d *lynctest.Deployment, cond func(lynctest.Snapshot) bool) func() time.Time {
	done := make(chan time.Time, 1)
	go func() {
		t := time.NewTicker(100 * time.Microsecond)
		defer t.Stop()
		for !cond(d.Snapshot()) {
			<-t.C
		}
		done <- time.Now()
	}()
	return func() time.Time { return <-done }
}
