package failover_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/xmppfed/edgefailover/failover"
	"github.com/xmppfed/edgefailover/failover/failovertest"
	"github.com/xmppfed/edgefailover/lync/lynctest"
)

// costModel is the cost of each plan step under a latency profile, for the
// critical path Apply is compared with. It is what an ideal executor of the
// same plan needs, counted from what each step really runs (lynctest
// counters of one Apply, logged by -v; docs/wire.md):
//
//   - A script on an open session costs one round trip (RT): Send waits RT,
//     the script runs, and the Receive long poll already outstanding returns
//     its output at once. It sees the host's state as of RT after it is sent.
//   - A wait sees a state at most one detection period D late, plus the RT
//     of the script that reports it. With server-side waits (the default:
//     one script loops on the host, reading every tick = Poll/20, 1ms to
//     250ms) D is one tick; with polling clients
//     (failovertest.Options.PollWaits) D is one Poll. The floor of a plan
//     is its critical path with D = 0.
//   - stop/<srv>: Stop-CsWindowsService -NoWait (RT), the services settle
//     ServiceStop later, then the wait sees them at most D + RT late:
//     RT + ServiceStop + D + RT.
//   - start/<srv>: Start-CsWindowsService waits for Running (RT +
//     ServiceStart), then one Get-CsWindowsService finds them all Running at
//     once (RT): ServiceStart + 2 RT. No poll interval: the first read hits.
//   - restart/<srv> (Rolling): stop then start, as above.
//   - route/<site>: one script (lync's compare-and-set): Get-CsSite, then
//     Set-CsSite if Get-CsSite still finds the old route, then Get-CsSite:
//     1 RT.
//   - replication/<srv>: the replica is up to date Replication after the
//     later of the route change and REPLICA running. Both happened one read
//     (RT) before the step's dependency finished; the wait on
//     Get-CsManagementStoreReplicationStatus sees it at most D + RT late:
//     Replication - RT + D + RT = Replication + D.
//   - verify/route: Get-CsSite, RT. verify/services: Get-CsWindowsService on
//     every server at once (RT), then the replication status of each server
//     through the management session, one after another: (1 + servers) RT.
//   - preflight runs before the first change, off the measured clock: 0.
//   - DNS writes and checks (dns/, verify/dns/), the 5269 probe and the
//     remote view (verify/remote/) talk to loopback servers without latency: 0.
//
// Local CPU work (HTTP, XML, TLS handshakes) is not modelled: it is what the
// ratio measures along with the executor's own waste.
type costModel struct {
	lat       lynctest.Latency
	poll      time.Duration
	servers   int
	pollWaits bool // the clients poll (failovertest.Options.PollWaits)
	floor     bool // D = 0: the plan's floor
}

// detect is D: how late a wait sees a state reached, before the RT of the
// script that reports it.
func (m costModel) detect() time.Duration {
	switch {
	case m.floor:
		return 0
	case m.pollWaits:
		return m.poll
	}
	return min(max(m.poll/20, time.Millisecond), 250*time.Millisecond).Truncate(time.Millisecond)
}

// hostBudget is how long one wait script may block on the host: 3/4 of
// the lab clients' OperationTimeout (1 s, internal/lynclab).
const hostBudget = 750 * time.Millisecond

// scripts is how many WinRM scripts one Apply runs on an Edge server and on
// the management host with server-side waits, each wait being one script
// per hostBudget (a stop's wait may need more): on a server, preflight's read, the stop and its wait, the
// start and its wait (a Rolling restart is the same four), verify/services'
// read; on the management host, preflight's Get-CsSite, the route's one
// compare-and-set script, one replication wait per server, verify/route, and
// verify/services' replication read per server. The replication waits share
// the management session one script at a time, so together they may add up
// to one script per hostBudget of the replication delay: management is a
// range.
func (m costModel) scripts() (server, management, managementMax int) {
	per := func(wait time.Duration) int { return max(1, int((m.scaled(wait)+hostBudget-1)/hostBudget)) }
	base := 3 + 2*m.servers
	return 5 + per(m.lat.ServiceStop), base, base + per(m.lat.Replication) - 1
}

// check compares the cmdlets one Apply ran with those the model charges
// for, so that the model cannot silently drift from what the steps run.
func (m costModel) check(d *lynctest.Deployment, servers []string) error {
	var errs []string
	want := func(host, cmdlet string, n int, atLeast bool) {
		got := d.Host(host).Counters().Cmdlets[cmdlet]
		if got != n && !(atLeast && got > n) {
			errs = append(errs, fmt.Sprintf("%s ran %s %d times, the model counts %d", host, cmdlet, got, n))
		}
	}
	perServer, mgmtScripts, mgmtMax := m.scripts()
	scripts := func(host string, n, most int) {
		if got := d.Host(host).Counters().Scripts; !m.pollWaits && (got < n || got > most) {
			errs = append(errs, fmt.Sprintf("%s ran %d scripts, the model counts %d to %d", host, got, n, most))
		}
	}
	for _, srv := range servers {
		want(srv, "Stop-CsWindowsService", 1, false)
		want(srv, "Start-CsWindowsService", 1, false)
		want(srv, "Get-CsWindowsService", 2, true) // a stop's polls, a start's read
		if !m.pollWaits && m.lat.ServiceStop > 0 {
			want(srv, "Start-Sleep", 1, true) // the stop's wait held on the host
		}
		scripts(srv, perServer, perServer)
	}
	mgmt := failovertest.ManagementHost
	want(mgmt, "Set-CsSite", 1, false)
	want(mgmt, "Get-CsSite", 5, false) // preflight, route (read, condition, read-back), verify/route
	want(mgmt, "Get-CsManagementStoreReplicationStatus", 2*len(servers), true)
	scripts(mgmt, mgmtScripts, mgmtMax)
	if len(errs) > 0 {
		return fmt.Errorf("cost model out of date:\n%s", strings.Join(errs, "\n"))
	}
	return nil
}

func (m costModel) scaled(d time.Duration) time.Duration {
	s := m.lat.Scale
	if s == 0 {
		s = 1
	}
	return time.Duration(float64(d) * s)
}

func (m costModel) stepCost(s *failover.Step) (time.Duration, error) {
	rt := m.scaled(m.lat.RoundTrip)
	stop := rt + m.scaled(m.lat.ServiceStop) + m.detect() + rt
	start := m.scaled(m.lat.ServiceStart) + 2*rt
	id := s.ID
	switch {
	case id == "preflight", strings.HasPrefix(id, "dns/"), strings.HasPrefix(id, "verify/dns/"),
		strings.HasPrefix(id, "probe/"), strings.HasPrefix(id, "verify/remote/"):
		return 0, nil
	case strings.HasPrefix(id, "stop/"):
		return stop, nil
	case strings.HasPrefix(id, "start/"):
		return start, nil
	case strings.HasPrefix(id, "restart/"):
		return stop + start, nil
	case strings.HasPrefix(id, "route/"):
		return rt, nil
	case strings.HasPrefix(id, "replication/"):
		return m.scaled(m.lat.Replication) + m.detect(), nil
	case id == "verify/route":
		return rt, nil
	case id == "verify/services":
		return time.Duration(1+m.servers) * rt, nil
	}
	return 0, fmt.Errorf("cost model: no cost for step %q: extend costModel", id)
}

// TestCostModel checks the critical path the benchmark divides by, on the
// plans of both strategies (built in a lab without latency).
func TestCostModel(t *testing.T) {
	t.Parallel()
	for _, mode := range []costModel{{}, {pollWaits: true}, {floor: true}} {
		mode.lat, mode.poll, mode.servers = benchLatency, failovertest.LabTimeouts().Poll, benchServers
		testCostModel(t, mode)
	}
}

func testCostModel(t *testing.T, m costModel) {
	// D: one host tick (5ms/20 -> 1ms), one poll (5ms), or none (the floor).
	d := map[bool]time.Duration{false: time.Millisecond, true: m.poll}[m.pollWaits]
	if m.floor {
		d = 0
	}
	if m.detect() != d {
		t.Fatalf("%+v: D = %v, want %v", m, m.detect(), d)
	}
	rt := m.scaled(benchLatency.RoundTrip)
	stop := rt + m.scaled(benchLatency.ServiceStop) + d + rt
	start := m.scaled(benchLatency.ServiceStart) + 2*rt
	repl := m.scaled(benchLatency.Replication) + d
	verify := (1 + benchServers) * rt
	for _, tc := range []struct {
		strategy failover.Strategy
		want     time.Duration
	}{
		// The stops and the route change run together; then start,
		// replication, the probe (0) and verify/services.
		{failover.Runbook, max(stop, rt) + start + repl + verify},
		// The route, replication, then the servers one at a time.
		{failover.Rolling, rt + repl + benchServers*(stop+start) + verify},
	} {
		t.Run(fmt.Sprintf("%s/poll=%v/floor=%v", tc.strategy, m.pollWaits, m.floor), func(t *testing.T) {
			t.Parallel()
			lab := failovertest.Start(t, failovertest.Options{ServersPerPool: benchServers})
			ctx := context.Background()
			cfg, err := lab.FailoverConfig(ctx)
			if err != nil {
				t.Fatal(err)
			}
			cfg.Strategy = tc.strategy
			plan, err := failover.New(ctx, cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer plan.Close()
			got, err := m.criticalPath(plan)
			if err != nil || got != tc.want {
				t.Errorf("critical path = %v, %v; want %v", got, err, tc.want)
			}
		})
	}
}

// criticalPath is the longest chain of DependsOn weighted by stepCost.
// plan.Steps is in a topological order.
func (m costModel) criticalPath(plan *failover.Plan) (time.Duration, error) {
	end := map[string]time.Duration{}
	var longest time.Duration
	for _, s := range plan.Steps {
		c, err := m.stepCost(s)
		if err != nil {
			return 0, err
		}
		var begin time.Duration
		for _, d := range s.DependsOn {
			e, ok := end[d]
			if !ok {
				return 0, fmt.Errorf("cost model: step %s depends on %s, not before it", s.ID, d)
			}
			begin = max(begin, e)
		}
		end[s.ID] = begin + c
		longest = max(longest, end[s.ID])
	}
	return longest, nil
}
