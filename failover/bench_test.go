package failover_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/xmppfed/edgefailover/failover"
	"github.com/xmppfed/edgefailover/failover/failovertest"
	"github.com/xmppfed/edgefailover/lync/lynctest"
)

// benchLatency is the profile of issue 6's performance figure: real-world
// figures scaled to 3%, so that one Apply of the runbook takes under a second.
// Scaled: round trip 0.6ms, process start 30ms, module import 90ms, service
// stop 150ms, start 240ms, replication 300ms.
var benchLatency = lynctest.Latency{
	RoundTrip:    20 * time.Millisecond,
	ProcessStart: time.Second,
	ModuleImport: 3 * time.Second,
	ServiceStop:  5 * time.Second,
	GracefulStop: 5 * time.Second,
	ServiceStart: 8 * time.Second,
	Replication:  10 * time.Second,
	Scale:        0.03,
}

const benchServers = 4 // target pool size; the lab's default 2 SIP domains in 2 zones

// BenchmarkFailover is issue 6's performance figure. Per iteration, in a
// fresh lab (built, and the plan built, with the timer stopped: preparation
// happens before the outage), it measures Apply from the start of the first
// step with changes to the end of the last step (verified), and the time
// during which no target server had all its services running. The Runbook
// case also runs the naive runbook of naive_test.go in another fresh lab.
//
//	go test -run '^$' -bench BenchmarkFailover -benchtime 3x ./failover
func BenchmarkFailover(b *testing.B) {
	for _, st := range []failover.Strategy{failover.Runbook, failover.Rolling} {
		b.Run(string(st), func(b *testing.B) {
			var apply, crit, naive, down time.Duration
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				r := benchApply(b, st)
				apply += r.apply
				crit += r.critical
				down += r.noTargetRunning
				if st == failover.Runbook {
					naive += benchNaive(b)
				}
				b.StartTimer()
			}
			n := float64(b.N)
			b.ReportMetric(ms(apply)/n, "ms/apply")
			b.ReportMetric(ms(crit)/n, "ms/critical-path")
			b.ReportMetric(float64(apply)/float64(crit), "apply/critical-path")
			b.ReportMetric(ms(down)/n, "ms/no-target-running")
			if naive > 0 {
				b.ReportMetric(ms(naive)/n, "ms/naive")
				b.ReportMetric(float64(naive)/float64(apply), "naive/apply")
			}
		})
	}
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

type applyResult struct {
	apply, critical, noTargetRunning time.Duration
}

// benchApply builds a lab and a plan (not timed), then times Apply itself.
func benchApply(b *testing.B, st failover.Strategy) applyResult {
	b.Helper()
	ctx := context.Background()
	lab, err := failovertest.New(failovertest.Options{ServersPerPool: benchServers, Latency: benchLatency})
	if err != nil {
		b.Fatal(err)
	}
	defer lab.Close()
	cfg, err := lab.FailoverConfig(ctx)
	if err != nil {
		b.Fatal(err)
	}
	cfg.Strategy = st
	plan, err := failover.New(ctx, cfg)
	if err != nil {
		b.Fatal(err)
	}
	defer plan.Close()
	model := costModel{lat: benchLatency, poll: cfg.Timeouts.Poll, servers: benchServers}
	crit, err := model.criticalPath(plan)
	if err != nil {
		b.Fatal(err)
	}
	pool, _ := lab.Pool(failovertest.TargetPool)
	lab.Deployment().ResetCounters()

	var (
		mu          sync.Mutex
		first, last time.Time
	)
	hooks := failover.Hooks{Event: func(e failover.Event) {
		mu.Lock()
		defer mu.Unlock()
		switch e.Kind {
		case failover.EventStarted:
			if s := plan.Step(e.Step); s != nil && len(s.Changes) > 0 && first.IsZero() {
				first = e.Time
			}
		case failover.EventFinished:
			last = e.Time
		}
	}}
	watch := watchNoTargetRunning(lab.Deployment(), pool.Servers)
	b.StartTimer()
	rep, err := plan.Apply(ctx, &failover.ApplyOptions{Hooks: hooks})
	b.StopTimer()
	down := watch()
	if err != nil {
		b.Fatalf("Apply: %v\n%s", err, rep)
	}
	if rep.State != failover.StateApplied || first.IsZero() {
		b.Fatalf("Apply: state %s, first change at %v", rep.State, first)
	}
	if testing.Verbose() {
		logSteps(b, plan, rep, model, lab)
	}
	if err := model.check(lab.Deployment(), pool.Servers); err != nil {
		b.Fatal(err)
	}
	return applyResult{apply: last.Sub(first), critical: crit, noTargetRunning: down}
}

// logSteps prints each step's measured duration next to its modelled cost,
// and the scripts each host ran, to find steps that wait longer than needed.
func logSteps(b *testing.B, plan *failover.Plan, rep *failover.Report, m costModel, lab *failovertest.Lab) {
	var sb strings.Builder
	fmt.Fprintf(&sb, "%-36s %9s %9s %9s\n", "step", "start ms", "took ms", "model ms")
	t0 := rep.Started
	for _, s := range plan.Steps {
		sr := rep.Step(s.ID)
		c, _ := m.stepCost(s)
		fmt.Fprintf(&sb, "%-36s %9.1f %9.1f %9.1f\n", s.ID, ms(sr.Started.Sub(t0)), ms(sr.Finished.Sub(sr.Started)), ms(c))
	}
	for _, h := range lab.Deployment().Hosts() {
		if c := h.Counters(); c.Scripts > 0 {
			fmt.Fprintf(&sb, "%s: %d scripts, %d processes, cmdlets %v\n", h.FQDN(), c.Scripts, c.Processes, c.Cmdlets)
		}
	}
	fmt.Fprintf(&sb, "DNS updates on the primary: %d\n", lab.DNS().Primary.Count(dns.OpcodeUpdate))
	b.Log("\n" + sb.String())
}

// watchNoTargetRunning polls the deployment every 500µs (a benchmark may
// poll; lynctest's Snapshot is an in-memory copy) and returns a func that
// stops the watch and returns how long no server of servers had every Lync
// service Running. The resolution is the polling interval.
func watchNoTargetRunning(d *lynctest.Deployment, servers []string) (stop func() time.Duration) {
	quit, done := make(chan struct{}), make(chan time.Duration)
	go func() {
		var total time.Duration
		var since time.Time
		t := time.NewTicker(500 * time.Microsecond)
		defer t.Stop()
		for {
			now := time.Now()
			if anyRunning(d.Snapshot(), servers) {
				if !since.IsZero() {
					total += now.Sub(since)
					since = time.Time{}
				}
			} else if since.IsZero() {
				since = now
			}
			select {
			case <-quit:
				if !since.IsZero() {
					total += time.Since(since)
				}
				done <- total
				return
			case <-t.C:
			}
		}
	}()
	return func() time.Duration { close(quit); return <-done }
}

func anyRunning(s lynctest.Snapshot, servers []string) bool {
	for _, srv := range servers {
		all := len(s.Services[srv]) > 0
		for _, st := range s.Services[srv] {
			all = all && st == lynctest.Running
		}
		if all {
			return true
		}
	}
	return false
}
