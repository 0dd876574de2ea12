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

// fieldLatency is the field-like profile of REFERENCE.md §6 (round trip
// 20 ms, process start 1 s, module import 5 s, stop 20 s, start 20 s, CMS
// replication 60 s), scaled to 2%: one field second is 20 ms, so the
// client's own CPU work (HTTP, XML, NTLM sealing, the probes' TLS
// handshakes: milliseconds per step) stays small next to the waits it
// measures.
var fieldLatency = lynctest.Latency{
	RoundTrip:    20 * time.Millisecond,
	ProcessStart: time.Second,
	ModuleImport: 5 * time.Second,
	ServiceStop:  20 * time.Second,
	GracefulStop: 20 * time.Second,
	ServiceStart: 20 * time.Second,
	Replication:  60 * time.Second,
	Scale:        0.02,
}

// fieldPoll is production's 5 s poll interval scaled like fieldLatency; the
// host loop's tick is a twentieth of it (5 ms: 250 ms in field time). A
// wait script blocks at most 3/4 of the lab clients' 1 s OperationTimeout:
// 37.5 field seconds, about production's 45 s (3/4 of 60 s).
const fieldPoll = 100 * time.Millisecond

// benchCase is a latency profile, the clients' poll interval, and whether
// they poll (as before server-side waits) or wait on the host.
type benchCase struct {
	lat       lynctest.Latency
	poll      time.Duration
	pollWaits bool
}

func waitsName(pollWaits bool) string {
	if pollWaits {
		return "waits=poll"
	}
	return "waits=host"
}

// BenchmarkFailover is issue 6's performance figure, with the waits of
// issue 17 before (waits=poll: one read per 5 ms poll) and after
// (waits=host: one script per wait, blocking on the host). Per iteration, in
// a fresh lab (built, and the plan built, with the timer stopped:
// preparation happens before the outage), it measures Apply from the start
// of the first step with changes to the end of the last step (verified),
// its ratio to the cost model's critical path and to the plan's floor (the
// critical path with waits that see a state the moment it is reached), the
// WinRM scripts Apply ran, and the time during which no target server had
// all its services running. The Runbook case also runs the naive runbook
// of naive_test.go in another fresh lab.
//
//	go test -run '^$' -bench BenchmarkFailover -benchtime 3x ./failover
func BenchmarkFailover(b *testing.B) {
	for _, st := range []failover.Strategy{failover.Runbook, failover.Rolling} {
		for _, pollWaits := range []bool{false, true} {
			b.Run(string(st)+"/"+waitsName(pollWaits), func(b *testing.B) {
				bc := benchCase{lat: benchLatency, poll: failovertest.LabTimeouts().Poll, pollWaits: pollWaits}
				var naive time.Duration
				r := benchApplies(b, st, bc, func() {
					if st == failover.Runbook && !pollWaits {
						naive += benchNaive(b)
					}
				})
				r.report(b, 1)
				b.ReportMetric(ms(r.down)/float64(b.N), "ms/no-target-running")
				if naive > 0 {
					b.ReportMetric(ms(naive)/float64(b.N), "ms/naive")
					b.ReportMetric(float64(naive)/float64(r.apply), "naive/apply")
				}
			})
		}
	}
}

// BenchmarkFieldApply measures Apply against its floor under the field-like
// profile (fieldLatency, 4 servers) with production waits: the clients' 5 s
// poll interval (scaled), polling (waits=poll) or waiting on the host
// (waits=host, the host loop's tick 5 s/20 = 250 ms). Times are in field
// seconds.
//
//	go test -run '^$' -bench BenchmarkFieldApply -benchtime 3x ./failover
func BenchmarkFieldApply(b *testing.B) {
	for _, st := range []failover.Strategy{failover.Runbook, failover.Rolling} {
		for _, pollWaits := range []bool{false, true} {
			b.Run(string(st)+"/"+waitsName(pollWaits), func(b *testing.B) {
				bc := benchCase{lat: fieldLatency, poll: fieldPoll, pollWaits: pollWaits}
				benchApplies(b, st, bc, nil).report(b, fieldLatency.Scale)
			})
		}
	}
}

// applies sums the results of b.N Applies.
type applies struct {
	apply, critical, floor, down time.Duration
	scripts                      int
}

// benchApplies runs b.N Applies of st under bc; between them, with the
// timer stopped, it calls between (if not nil).
func benchApplies(b *testing.B, st failover.Strategy, bc benchCase, between func()) applies {
	var sum applies
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		r := benchApply(b, st, bc)
		sum.apply += r.apply
		sum.critical += r.critical
		sum.floor += r.floor
		sum.down += r.noTargetRunning
		sum.scripts += r.scripts
		if between != nil {
			between()
		}
		b.StartTimer()
	}
	return sum
}

// report writes the metrics of the Applies; times are divided by scale
// (1: lab milliseconds; a profile's Scale: field seconds).
func (a applies) report(b *testing.B, scale float64) {
	n := float64(b.N)
	unit, per := "ms", ms
	if scale != 1 {
		unit, per = "field-s", func(d time.Duration) float64 { return d.Seconds() / scale }
	}
	b.ReportMetric(per(a.apply)/n, unit+"/apply")
	b.ReportMetric(per(a.floor)/n, unit+"/floor")
	b.ReportMetric(float64(a.apply)/float64(a.critical), "apply/critical-path")
	b.ReportMetric(float64(a.apply)/float64(a.floor), "apply/floor")
	b.ReportMetric(float64(a.scripts)/n, "scripts/apply")
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

type applyResult struct {
	apply, critical, floor, noTargetRunning time.Duration
	scripts                                 int
}

// benchApply builds a lab and a plan (not timed), then times Apply itself.
func benchApply(b *testing.B, st failover.Strategy, bc benchCase) applyResult {
	b.Helper()
	ctx := context.Background()
	lab, err := failovertest.New(failovertest.Options{ServersPerPool: benchServers, Latency: bc.lat, PollWaits: bc.pollWaits})
	if err != nil {
		b.Fatal(err)
	}
	defer lab.Close()
	cfg, err := lab.FailoverConfig(ctx)
	if err != nil {
		b.Fatal(err)
	}
	cfg.Strategy = st
	cfg.Timeouts.Poll = bc.poll
	plan, err := failover.New(ctx, cfg)
	if err != nil {
		b.Fatal(err)
	}
	defer plan.Close()
	model := costModel{lat: bc.lat, poll: bc.poll, servers: benchServers, pollWaits: bc.pollWaits}
	crit, err := model.criticalPath(plan)
	if err != nil {
		b.Fatal(err)
	}
	model.floor = true
	floor, err := model.criticalPath(plan)
	if err != nil {
		b.Fatal(err)
	}
	model.floor = false
	pool, _ := lab.Pool(failovertest.TargetPool)
	lab.Deployment().ResetCounters()

	var (
		mu          sync.Mutex
		first, last time.Time
	)
	hooks := failover.Hooks{Event: func(e failover.Event) {
		mu.Lock()
		defer mu.Unlock()
		switch {
		case e.Progress:
		case e.State == failover.StepStarted:
			if s := plan.Step(e.Step); s != nil && len(s.Changes) > 0 && first.IsZero() {
				first = e.Time
			}
		case e.State == failover.StepDone:
			last = e.Time
		}
	}}
	watch := watchNoTargetRunning(lab.Deployment(), pool.Servers)
	b.StartTimer()
	rep, err := plan.Apply(ctx, failover.ApplyOptions{Hooks: hooks})
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
	return applyResult{apply: last.Sub(first), critical: crit, floor: floor, noTargetRunning: down,
		scripts: lab.Deployment().Counters().Scripts}
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
