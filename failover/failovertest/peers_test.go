package failovertest_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/xmppfed/edgefailover/failover"
	"github.com/xmppfed/edgefailover/failover/failovertest"
	"github.com/xmppfed/edgefailover/lync/lynctest"
)

// prioritize writes the prioritized SRV set ahead, pool 1 first, as
// prepare-dr does, and returns the config that keeps it.
func prioritize(t testing.TB, lab *failovertest.Lab, cfg failover.Config) failover.Config {
	t.Helper()
	for _, d := range lab.Domains() {
		var rrs []dns.RR
		for _, s := range []string{"10 0 5269 access1.contoso.com.", "20 0 5269 access2.contoso.com."} {
			rr, err := dns.NewRR("_xmpp-server._tcp." + d + ". 300 IN SRV " + s)
			if err != nil {
				t.Fatal(err)
			}
			rrs = append(rrs, rr)
		}
		if err := lab.DNSZone(d).SetRRset("_xmpp-server._tcp."+d+".", dns.TypeSRV, rrs...); err != nil {
			t.Fatal(err)
		}
	}
	cfg.SRV = failover.SRVPrioritized
	cfg.PoolHosts = map[string]string{failovertest.SourcePool: "access1.contoso.com", failovertest.TargetPool: "access2.contoso.com"}
	return cfg
}

// run is what outage measured.
type run struct {
	outages []failovertest.PeerOutage
	built   time.Duration // MarkOutage -> Apply begins (plan built)
	applied time.Duration // Apply
	scripts int           // WinRM scripts run during Apply, every host
}

// outageCase is one drill of outage.
type outageCase struct {
	prioritized bool // SRV set with one target per pool, written ahead
	silent      bool // the dead pool drops packets (SetUnreachable) instead of refusing
	pollWaits   bool // the clients poll (before issue 17)
	strategy    failover.Strategy
	scale       float64
	lat         lynctest.Latency
}

// outage kills the source pool under warm peers, fails over, and returns
// what the peers saw.
func outage(t testing.TB, oc outageCase) run {
	t.Helper()
	lab := failovertest.Start(t, failovertest.Options{Latency: oc.lat, PollWaits: oc.pollWaits})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second) // hang guard
	defer cancel()
	cfg, err := lab.FailoverConfig(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if oc.prioritized {
		cfg = prioritize(t, lab, cfg)
	}
	cfg.Strategy = oc.strategy
	cfg.Timeouts.Poll = time.Duration(float64(5*time.Second) * oc.scale) // production's 5 s poll, scaled
	peers, err := lab.StartPeers(ctx, failovertest.PeerOptions{Scale: oc.scale})
	if err != nil {
		t.Fatal(err)
	}
	defer peers.Close()
	peers.MarkOutage()
	marked := time.Now()
	if err := lab.FailPool(failovertest.SourcePool); err != nil {
		t.Fatal(err)
	}
	if oc.silent {
		if err := lab.SetUnreachable(failovertest.SourcePool, true); err != nil {
			t.Fatal(err)
		}
	}
	p, err := failover.New(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	lab.Deployment().ResetCounters()
	start := time.Now()
	if r, err := p.Apply(ctx, failover.ApplyOptions{}); err != nil {
		t.Fatalf("Apply: %v (%v)", err, r.State)
	}
	res := run{applied: time.Since(start), scripts: lab.Deployment().Counters().Scripts}
	if err := peers.Wait(ctx); err != nil {
		t.Fatalf("peers never federated again: %v %v", err, peers.Outages())
	}
	res.outages = peers.Outages()
	res.built = start.Sub(marked)
	return res
}

func TestPeersFederateAgainAfterFailover(t *testing.T) {
	t.Parallel()
	for name, oc := range map[string]outageCase{
		"single":             {},
		"prioritized":        {prioritized: true},
		"single/silent":      {silent: true},
		"prioritized/silent": {prioritized: true, silent: true},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			oc.scale, oc.strategy = 0.0005, failover.Runbook
			out := outage(t, oc).outages
			if _, _, n := failovertest.Summary(out); n != 5 {
				t.Fatalf("%d of 5 peers restored: %v", n, out)
			}
		})
	}
}

func TestStartPeersRefusesBadOptions(t *testing.T) {
	t.Parallel()
	lab := failovertest.Start(t, failovertest.Options{})
	for _, tc := range []struct {
		o     failovertest.PeerOptions
		field string
	}{
		{failovertest.PeerOptions{Count: -1}, "Count"},
		{failovertest.PeerOptions{Scale: -1}, "Scale"},
		{failovertest.PeerOptions{Domain: "example.org"}, "Domain"},
		{failovertest.PeerOptions{ConnectTimeout: -time.Second}, "ConnectTimeout"},
		{failovertest.PeerOptions{ReconnectInterval: -time.Second}, "ReconnectInterval"},
	} {
		var oe *failovertest.OptionError
		if _, err := lab.StartPeers(context.Background(), tc.o); !errors.As(err, &oe) {
			t.Errorf("%+v: err = %v, want *OptionError", tc.o, err)
		} else if oe.Field != tc.field {
			t.Errorf("%+v: OptionError.Field = %q, want %q", tc.o, oe.Field, tc.field)
		}
	}
}

// BenchmarkRemoteOutage measures, over 5 warm peers (TTL 300 s, reconnect
// 10 s, connect timeout 5 s) against the field-like profile of the
// project's reference (round trip 20 ms, process start 1 s, import 5 s,
// stop 20 s, start 20 s, CMS replication 60 s; 2 servers; production's
// 5 s poll), all times 0.01, with the clients' waits polling (waits=poll,
// before issue 17) or blocking on the host (waits=host, a host tick of
// 2 ms: 0.2 s in field time), in field seconds: the outage
// from the source pool's death to each peer's first federation with the
// target pool (p50, max; the plan is built within it), federation restored
// (the first peer, from the start of Apply) and its ratio to the strategy's
// floor (stop + start + replication for Runbook; replication + one restart
// for Rolling), Apply, the WinRM scripts Apply ran, how long the plan took
// to build (from the pool's death to Apply), and how much later than the
// first peer the last one federated again (with the prioritized set: at
// most one connect timeout, 5 s, plus one reconnect interval, 10 s, for a
// peer whose attempt failed just before the target pool served). With a single SRV
// the A record's old TTL dominates; with the prioritized set a peer falls
// over on its next attempt once the target pool serves. dead=silent makes
// the dead pool drop packets (SetUnreachable) instead of refusing, so every
// attempt at it costs a peer its connect timeout before the next target.
//
//	go test -run '^$' -bench BenchmarkRemoteOutage -benchtime 3x ./failover/failovertest
func BenchmarkRemoteOutage(b *testing.B) {
	const scale = 0.01
	lat := lynctest.Latency{RoundTrip: 20 * time.Millisecond, ProcessStart: time.Second, ModuleImport: 5 * time.Second,
		ServiceStop: 20 * time.Second, ServiceStart: 20 * time.Second, Replication: 60 * time.Second, Scale: scale}
	floor := map[failover.Strategy]time.Duration{
		failover.Runbook: lat.ServiceStop + lat.ServiceStart + lat.Replication,
		failover.Rolling: lat.Replication + lat.ServiceStop + lat.ServiceStart,
	}
	var cases []outageCase
	for _, st := range []failover.Strategy{failover.Runbook, failover.Rolling} {
		for _, prio := range []bool{false, true} {
			for _, pollWaits := range []bool{false, true} {
				cases = append(cases, outageCase{prioritized: prio, pollWaits: pollWaits, strategy: st})
			}
		}
		// A dead pool that drops packets: each attempt at it costs a connect
		// timeout before the next SRV target (host waits only).
		cases = append(cases, outageCase{prioritized: true, silent: true, strategy: st})
	}
	for _, oc := range cases {
		oc.scale, oc.lat = scale, lat
		name := "srv=single"
		if oc.prioritized {
			name = "srv=prioritized"
		}
		if oc.silent {
			name += "/dead=silent"
		}
		name += map[bool]string{false: "/waits=host", true: "/waits=poll"}[oc.pollWaits]
		b.Run(string(oc.strategy)+"/"+name, func(b *testing.B) {
			var p50, mx, apply, restored, built, excess time.Duration
			scripts := 0
			for b.Loop() {
				r := outage(b, oc)
				a, m, _ := failovertest.Summary(r.outages)
				first := m
				for _, o := range r.outages {
					first = min(first, o.Outage)
				}
				p50, mx, apply, restored = p50+a, mx+m, apply+r.applied, restored+first-r.built
				built += r.built
				excess += m - first // the last peer after the first, both from the pool's death
				scripts += r.scripts
			}
			n := float64(b.N)
			field := func(d time.Duration) float64 { return d.Seconds() / scale / n }
			b.ReportMetric(field(p50), "field-s-p50")
			b.ReportMetric(field(mx), "field-s-max")
			b.ReportMetric(field(apply), "field-s-apply")
			b.ReportMetric(field(restored), "field-s-restored")
			b.ReportMetric(field(restored)/floor[oc.strategy].Seconds(), "restored/floor")
			b.ReportMetric(field(built), "field-s-built")
			b.ReportMetric(field(excess), "field-s-last-after-first")
			b.ReportMetric(float64(scripts)/n, "scripts/apply")
		})
	}
}
