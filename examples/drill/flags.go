package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/xmppfed/edgefailover/examples/internal/labfaults"
	"github.com/xmppfed/edgefailover/failover"
	"github.com/xmppfed/edgefailover/failover/failovertest"
	"github.com/xmppfed/edgefailover/lync/lynctest"
)

// Exit codes.
const (
	exitOK     = 0 // the drill passed
	exitFailed = 1 // the drill failed (rolled back, inconsistent) or the lab did not start
	exitUsage  = 2 // bad flags
)

// defaultScale makes the realistic latency profile (about 25 s of waiting
// per plan in the real world) take a fraction of a second per plan.
const defaultScale = 0.05

// options are the drill's flags.
type options struct {
	fault    string
	strategy failover.Strategy
	servers  int
	latency  string
	scale    float64
	json     bool
	quiet    bool
	srv      failover.SRVPolicy
	dead     string // how the dead pool answers: "refused" or "silent"
}

// parseFlags parses args; a nil options with exitOK means -h was asked for.
func parseFlags(args []string, stderr io.Writer) (*options, int) {
	fs := flag.NewFlagSet("drill", flag.ContinueOnError)
	fs.SetOutput(stderr)
	o := &options{}
	var strategy, srv string
	fs.StringVar(&o.fault, "fault", "", "inject the named `fault` after the plan is printed, to see a rollback; a preflight fault before the plan is built, to see it refused (list below)")
	fs.StringVar(&strategy, "strategy", string(failover.Runbook), "`runbook` (Microsoft's order: stop all, change, start all) or rolling (route first, restart one server at a time)")
	fs.StringVar(&srv, "srv", string(failover.SRVSingle), "SRV `policy`: single (one target, the federation host, whose A record moves) or prioritized (one target per pool, written ahead as prepare-dr does)")
	fs.StringVar(&o.dead, "dead", "refused", "how the dead pool answers remote servers: `refused` (connections refused at once: services stopped, hosts up) or silent (packets dropped: a site without power or uplink, each attempt lasts a connect timeout)")
	fs.IntVar(&o.servers, "servers", 2, fmt.Sprintf("Edge servers per pool, 1 to %d", failovertest.MaxServersPerPool))
	fs.StringVar(&o.latency, "latency", "none", "latency `profile`: none, or realistic (process start 1s, module import 3s, service stop 5s, start 8s, replication 10s, times -scale)")
	fs.Float64Var(&o.scale, "scale", defaultScale, "multiplier of the realistic profile's durations (1 = real time)")
	fs.BoolVar(&o.json, "json", false, "print one JSON document (plans, reports, events, summary) instead of text")
	fs.BoolVar(&o.quiet, "q", false, "print only the summary")
	fs.Usage = func() {
		w := fs.Output()
		fmt.Fprint(w, `usage: go run ./examples/drill [flags]

Runs a whole XMPP federation failover (edgepool1 -> edgepool2.contoso.com) and
failback against an in-process lab: kills the source pool, prints the plan (dry
run), applies it with live progress, verifies, recovers the source pool, fails
back (the A record of xmpp.contoso.com points at pool 1 again) and prints a
summary with the XMPP outage window.

Exit codes: 0 drill passed, 1 drill failed (a rollback, or the lab did not
start), 2 bad flags.

flags:
`)
		fs.PrintDefaults()
		fmt.Fprintf(w, "\nfaults (-fault):\n%s", labfaults.Help())
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, exitOK
		}
		return nil, exitUsage
	}
	bad := func(format string, a ...any) (*options, int) {
		fmt.Fprintf(stderr, "drill: "+format+"\n", a...)
		fs.Usage()
		return nil, exitUsage
	}
	switch {
	case fs.NArg() > 0:
		return bad("unexpected argument %q", fs.Arg(0))
	case o.fault != "" && !labfaults.Known(o.fault):
		return bad("unknown fault %q", o.fault)
	case strategy != string(failover.Runbook) && strategy != string(failover.Rolling):
		return bad("-strategy must be runbook or rolling, not %q", strategy)
	case o.servers < 1 || o.servers > failovertest.MaxServersPerPool:
		return bad("-servers must be 1 to %d", failovertest.MaxServersPerPool)
	case srv != string(failover.SRVSingle) && srv != string(failover.SRVPrioritized):
		return bad("-srv must be single or prioritized, not %q", srv)
	case o.dead != "refused" && o.dead != "silent":
		return bad("-dead must be refused or silent, not %q", o.dead)
	case o.latency != "none" && o.latency != "realistic":
		return bad("-latency must be none or realistic, not %q", o.latency)
	case !(o.scale > 0 && o.scale <= 10):
		return bad("-scale must be above 0 and at most 10")
	}
	o.strategy, o.srv = failover.Strategy(strategy), failover.SRVPolicy(srv)
	return o, exitOK
}

// labOptions turns the flags into the lab's options.
func (o *options) labOptions() failovertest.Options {
	lo := failovertest.Options{ServersPerPool: o.servers}
	if o.latency == "realistic" {
		lo.Latency = labfaults.Realistic(o.scale)
	}
	return lo
}

// timeouts bound the drill's waits: the lab's, tightened so that a fault
// that makes a wait run out (a stuck replica, a silent port) fails the drill
// in seconds, with room for the latency profile.
func (o *options) timeouts() failover.Timeouts {
	t := failovertest.LabTimeouts()
	var l lynctest.Latency
	if o.latency == "realistic" {
		l = labfaults.Realistic(o.scale)
	}
	room := func(d time.Duration) time.Duration {
		return 2*time.Second + 3*time.Duration(float64(d)*o.scale)
	}
	t.Stop, t.Start, t.Replication = room(l.ServiceStop), room(l.ServiceStart), room(l.Replication)
	t.Converge, t.Probe = 2*time.Second, 2*time.Second
	return t
}
