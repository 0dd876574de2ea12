package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/xmppfed/edgefailover/examples/internal/labfaults"
	"github.com/xmppfed/edgefailover/failover"
	"github.com/xmppfed/edgefailover/failover/failovertest"
)

// run is the drill as a function, so tests call it directly.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	o, code := parseFlags(args, stderr)
	if o == nil {
		return code
	}
	d := &drill{o: o, out: stdout, sum: &summary{Strategy: o.strategy, SRV: o.srv, Servers: o.servers, Latency: o.latency, Fault: o.fault, Dead: o.dead}}
	if o.json || o.quiet {
		d.out = io.Discard
	}
	start := time.Now()
	err := d.run(ctx)
	d.sum.WallSeconds = time.Since(start).Seconds()
	if err != nil {
		d.sum.Error = err.Error()
		fmt.Fprintf(stderr, "drill: %v\n", err)
	}
	d.sum.Passed = err == nil && d.sum.Failover == failover.StateApplied && d.sum.Failback == failover.StateApplied
	if o.json {
		if jerr := d.writeJSON(stdout); jerr != nil {
			fmt.Fprintf(stderr, "drill: %v\n", jerr)
			return exitFailed
		}
	} else {
		d.sum.write(stdout)
	}
	if !d.sum.Passed {
		return exitFailed
	}
	return exitOK
}

// drill holds one run's lab, output and findings.
type drill struct {
	o   *options
	out io.Writer // progress and plans; io.Discard with -q or -json
	lab *failovertest.Lab
	sum *summary
	doc document
}

func (d *drill) printf(format string, a ...any) { fmt.Fprintf(d.out, format, a...) }

func (d *drill) run(ctx context.Context) error {
	lab, err := failovertest.New(d.o.labOptions())
	if err != nil {
		return fmt.Errorf("starting the lab: %w", err)
	}
	defer lab.Close()
	d.lab = lab
	d.printf("lab: %s (%s) and %s (%s), %d servers each; SIP domains %v; latency %s\n",
		failovertest.SourcePool, failovertest.SourceSite, failovertest.TargetPool, failovertest.TargetSite,
		d.o.servers, lab.Domains(), d.o.latency)

	if d.o.srv == failover.SRVPrioritized {
		if err := d.prepareDR(ctx); err != nil {
			return err
		}
	}
	// Remote peers watch the outage on the success path (a fault's drill
	// shows a rollback instead).
	var peers *failovertest.Peers
	if d.o.fault == "" {
		if peers, err = d.startPeers(ctx); err != nil {
			return err
		}
		defer peers.Close()
		peers.MarkOutage()
	}
	if err := lab.FailPool(failovertest.SourcePool); err != nil {
		return fmt.Errorf("killing the source pool: %w", err)
	}
	if d.o.dead == "silent" {
		if err := lab.SetUnreachable(failovertest.SourcePool, true); err != nil {
			return fmt.Errorf("silencing the source pool: %w", err)
		}
	}
	killed := time.Now()
	d.printf("\noutage: every Lync service of %s stopped behind the SDK's back", failovertest.SourcePool)
	if d.o.dead == "silent" {
		d.printf("; its external address drops every packet")
	}
	d.printf("\n")
	d.remoteView(ctx)

	plan, rec, err := d.forward(ctx)
	if err != nil || plan == nil {
		return err
	}
	defer plan.Close()
	if d.sum.Failover != failover.StateApplied {
		return nil
	}
	if first, last, ok := rec.window(); ok {
		d.sum.OutageSeconds = last.Sub(first).Seconds()
		d.sum.SinceKillSeconds = last.Sub(killed).Seconds()
	}
	d.remoteView(ctx)
	if peers != nil {
		d.measurePeers(ctx, peers)
		peers.Close() // the failback's outage is not measured
	}
	return d.back(ctx)
}

// forward builds, prints and applies the failover, with the fault if any.
func (d *drill) forward(ctx context.Context) (*failover.Plan, *recorder, error) {
	cfg, err := d.lab.FailoverConfig(ctx)
	if err != nil {
		return nil, nil, err
	}
	cfg.Strategy, cfg.Timeouts = d.o.strategy, d.o.timeouts()
	d.useSRV(&cfg)
	if labfaults.Preflight(d.o.fault) {
		return nil, nil, d.refused(ctx, cfg)
	}
	before, err := d.lab.Snapshot(ctx)
	if err != nil {
		return nil, nil, err
	}
	plan, err := failover.New(ctx, cfg)
	if err != nil {
		return nil, nil, fmt.Errorf("building the plan: %w", err)
	}
	d.doc.Plan = plan
	d.printf("\n== plan (dry run) ==\n%s", plan)
	after, err := d.lab.Snapshot(ctx)
	if err != nil {
		plan.Close()
		return nil, nil, err
	}
	d.sum.DryRunChangedNothing = cmp.Equal(before, after)
	d.printf("dry run changed nothing (lab snapshot before == after): %s\n", yes(d.sum.DryRunChangedNothing))
	d.sum.Steps, d.sum.Changes = len(plan.Steps), 0
	for _, n := range plan.Counts() {
		d.sum.Changes += n
	}

	if d.o.fault != "" {
		if err := labfaults.Inject(d.lab, d.o.fault); err != nil {
			plan.Close()
			return nil, nil, fmt.Errorf("injecting %s: %w", d.o.fault, err)
		}
		d.printf("\nfault injected: %s (%s)\n", d.o.fault, labfaults.Describe(d.o.fault))
	}
	// The before-state of Apply: taken after the fault, since some faults
	// are someone else's change that a rollback must leave in place.
	before, err = d.lab.Snapshot(ctx)
	if err != nil {
		plan.Close()
		return nil, nil, err
	}
	d.printf("\n== applying ==\n")
	rep, rec, err := d.apply(ctx, plan)
	d.doc.Report, d.doc.Events = rep, rec.Events()
	d.sum.Failover = rep.State
	d.printf("\n%s", rep)
	if err == nil {
		d.sum.Verified = verified(plan, rep)
		return plan, rec, nil
	}
	d.sum.FailedSteps = failedSteps(rep)
	d.printf("\nfailover failed: %v\n", err)
	if rep.State == failover.StateRolledBack || rep.State == failover.StateUnchanged {
		labfaults.Clear(d.lab)
		if err := d.settle(ctx); err != nil {
			d.printf("%v\n", err)
		}
		d.printf("faults cleared, CMS replication settled: comparing the lab with its state before Apply\n")
		now, serr := d.lab.Snapshot(ctx)
		if serr != nil {
			plan.Close()
			return nil, nil, serr
		}
		before, now = comparable(before), comparable(now)
		restored := cmp.Equal(before, now)
		d.sum.LabRestored = &restored
		if !restored {
			d.printf("lab state differs from before Apply (-before +after):\n%s", cmp.Diff(before, now))
		}
	}
	return plan, rec, nil
}

// back recovers the source pool, then builds and applies the failback plan.
func (d *drill) back(ctx context.Context) error {
	if err := d.lab.SetUnreachable(failovertest.SourcePool, false); err != nil {
		return fmt.Errorf("recovering the source pool: %w", err)
	}
	if err := d.lab.RecoverPool(failovertest.SourcePool); err != nil {
		return fmt.Errorf("recovering the source pool: %w", err)
	}
	d.printf("\nrecovered: every Lync service of %s running again\n", failovertest.SourcePool)
	// Its CMS replicas missed the route change made while it was down; the
	// failback plan's verification waits until they catch up.
	cfg, err := d.lab.FailbackConfig(ctx)
	if err != nil {
		return err
	}
	cfg.Strategy, cfg.Timeouts = d.o.strategy, d.o.timeouts()
	d.useSRV(&cfg)
	plan, err := failover.New(ctx, cfg)
	if err != nil {
		return fmt.Errorf("building the failback plan: %w", err)
	}
	defer plan.Close()
	d.doc.FailbackPlan = plan
	d.printf("\n== failback plan (computed from live state) ==\n%s\n== applying failback ==\n", plan)
	rep, rec, err := d.apply(ctx, plan)
	d.doc.FailbackReport, d.doc.FailbackEvents = rep, rec.Events()
	d.sum.Failback = rep.State
	d.printf("\n%s", rep)
	if err != nil {
		d.sum.FailedSteps = failedSteps(rep)
		return fmt.Errorf("failback: %w", err)
	}
	st, err := d.lab.Snapshot(ctx)
	if err != nil {
		return err
	}
	d.sum.FailbackA = st.DNS[failovertest.FederationHost+". A"]
	p, _ := d.lab.Pool(failovertest.SourcePool)
	d.sum.FailbackPool = p.FQDN
	d.sum.FailbackAddr = p.ExternalIP.String()
	return nil
}

// apply runs a plan with live progress.
func (d *drill) apply(ctx context.Context, plan *failover.Plan) (*failover.Report, *recorder, error) {
	rec := newRecorder(d.out, plan)
	rep, err := plan.Apply(ctx, failover.ApplyOptions{
		Hooks:       failover.Hooks{Event: rec.event},
		UndoTimeout: time.Minute,
	})
	return rep, rec, err
}
