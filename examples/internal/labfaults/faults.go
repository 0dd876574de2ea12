// Package labfaults names the faults a failovertest lab can be broken
// with, for examples/drill (-fault) and examples/lab (-fault, and the
// fault subcommand from a second terminal): one table, so that the two
// programs offer the same faults under the same names.
package labfaults

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/miekg/dns"

	"github.com/xmppfed/edgefailover/edge/xmpptest"
	"github.com/xmppfed/edgefailover/failover/failovertest"
	"github.com/xmppfed/edgefailover/lync/lynctest"
	"github.com/xmppfed/edgefailover/xmppdns/dnstest"
)

// fault is a named fault injected into a lab (the drill does it after
// printing the plan and before applying it, to show a rollback; a
// preflight fault before building the plan, to show a refused plan).
type fault struct {
	help      string
	inject    func(lab *failovertest.Lab) error
	preflight bool // failover.New finds it: nothing is applied
}

// preflightFault is one of failovertest's PreflightFaults.
func preflightFault(f failovertest.PreflightFault, help string) fault {
	return fault{help: help + "; failover.New refuses the plan", preflight: true,
		inject: func(lab *failovertest.Lab) error { return lab.BreakPreflight(f) }}
}

// firstTarget is the first server of the target pool, where server faults go.
func firstTarget(lab *failovertest.Lab) string {
	p, _ := lab.Pool(failovertest.TargetPool)
	return p.Servers[0]
}

func lyncFault(f func(lab *failovertest.Lab) lynctest.Fault) func(*failovertest.Lab) error {
	return func(lab *failovertest.Lab) error {
		_, err := lab.Deployment().Inject(f(lab))
		return err
	}
}

// faults are the faults -fault accepts.
var faults = map[string]fault{
	"start-fails": {help: "the RTCSRV service of the first target server will not start", inject: lyncFault(func(lab *failovertest.Lab) lynctest.Fault {
		return lynctest.Fault{Kind: lynctest.FaultServiceWontStart, Host: firstTarget(lab), Service: "RTCSRV", Nth: 1}
	})},
	"stop-hangs": {help: "Stop-CsWindowsService hangs on the first target server until the stop timeout", inject: lyncFault(func(lab *failovertest.Lab) lynctest.Fault {
		return lynctest.Fault{Kind: lynctest.FaultHang, Host: firstTarget(lab), Cmdlet: "Stop-CsWindowsService", Nth: 1}
	})},
	"route-fails": {help: "Set-CsSite fails on the management host (a cmdlet error)", inject: lyncFault(func(*failovertest.Lab) lynctest.Fault {
		return lynctest.Fault{Kind: lynctest.FaultCmdletError, Host: failovertest.ManagementHost, Cmdlet: "Set-CsSite", Nth: 1}
	})},
	"replication-stuck": {help: "CMS replication to the first target server never catches up", inject: lyncFault(func(lab *failovertest.Lab) lynctest.Fault {
		return lynctest.Fault{Kind: lynctest.FaultReplicationStuck, Host: firstTarget(lab)}
	})},
	"dns-refused": {help: "the primary name server refuses the first dynamic update", inject: func(lab *failovertest.Lab) error {
		lab.DNS().Primary.Inject(dnstest.Fault{Kind: dnstest.FaultRefused, Opcode: dns.OpcodeUpdate, OnlyOpcode: true, Count: 1})
		return nil
	}},
	"secondary-stuck": {help: "a secondary name server stops following the primary (DNS never converges)", inject: func(lab *failovertest.Lab) error {
		if len(lab.DNS().Secondaries) == 0 {
			return fmt.Errorf("the lab has no secondary name server")
		}
		lab.DNS().Secondaries[0].SetLag(time.Hour)
		return nil
	}},
	"stale-dns": {help: "another admin changes the A record of xmpp.contoso.com after the plan read it", inject: func(lab *failovertest.Lab) error {
		rr, err := dns.NewRR(failovertest.FederationHost + ". 300 IN A 198.51.100.7")
		if err != nil {
			return err
		}
		lab.DNSZone(failovertest.FederationZone).SetRRset(failovertest.FederationHost+".", dns.TypeA, rr)
		return nil
	}},
	"listener-silent": {help: "the target pool's port 5269 accepts but never answers", inject: func(lab *failovertest.Lab) error {
		p, _ := lab.Pool(failovertest.TargetPool)
		p.Listener.SetFault(xmpptest.FaultSilence)
		return nil
	}},
	"no-features": {help: "the target pool's port 5269 answers without stream features", inject: func(lab *failovertest.Lab) error {
		p, _ := lab.Pool(failovertest.TargetPool)
		p.Listener.SetFault(xmpptest.FaultNoFeatures)
		return nil
	}},
	string(failovertest.FaultMissingSAN):    preflightFault(failovertest.FaultMissingSAN, "the first target server's Access Edge certificate lacks the last SIP domain"),
	string(failovertest.FaultExpiredCert):   preflightFault(failovertest.FaultExpiredCert, "the first target server's Access Edge certificate expired yesterday"),
	string(failovertest.FaultExpiringCert):  preflightFault(failovertest.FaultExpiringCert, "the first target server's Access Edge certificate expires in 3 days (a warning)"),
	string(failovertest.FaultFederationOff): preflightFault(failovertest.FaultFederationOff, "AllowFederatedUsers is False in the Access Edge configuration"),
	string(failovertest.FaultNoPartners):    preflightFault(failovertest.FaultNoPartners, "no XMPP allowed partner (a warning)"),
	string(failovertest.FaultSfB2019):       preflightFault(failovertest.FaultSfB2019, "the topology reports Skype for Business Server 2019 (Version 8), which has no XMPP"),
	string(failovertest.FaultPort23456):     preflightFault(failovertest.FaultPort23456, "the Front End cannot reach the target servers on 23456"),
}

// ErrUnknown is matched by the error of Inject for a name not in Names.
var ErrUnknown = errors.New("labfaults: unknown fault")

// Inject breaks lab with the named fault.
func Inject(lab *failovertest.Lab, name string) error {
	f, ok := faults[name]
	if !ok {
		return fmt.Errorf("%w %q: use one of %s", ErrUnknown, name, strings.Join(Names(), ", "))
	}
	return f.inject(lab)
}

// Known reports whether name is a fault of Names.
func Known(name string) bool { _, ok := faults[name]; return ok }

// Preflight reports whether the named fault is one failover.New finds
// before any change (the drill injects it before building the plan).
func Preflight(name string) bool { return faults[name].preflight }

// Describe returns the one-line description of a fault ("" if unknown).
func Describe(name string) string { return faults[name].help }

// Names returns the names of the faults, sorted.
func Names() []string {
	var ns []string
	for n := range faults {
		ns = append(ns, n)
	}
	sort.Strings(ns)
	return ns
}

// Help lists the faults, one a line, for -h.
func Help() string {
	var b strings.Builder
	for _, n := range Names() {
		fmt.Fprintf(&b, "  %-18s %s\n", n, faults[n].help)
	}
	return b.String()
}

// Clear ends every injected fault (lynctest faults, DNS faults, secondary
// lag back to the lab's option, listener faults), so that the lab's state
// after a rollback can be compared with its state before Apply.
func Clear(lab *failovertest.Lab) {
	lab.Deployment().ClearFaults()
	_ = lab.ClearPreflight() // fails only on a closed lab
	for _, s := range lab.DNS().Servers() {
		s.ClearFaults()
	}
	for _, s := range lab.DNS().Secondaries {
		s.SetLag(lab.Options().SecondaryLag)
	}
	for _, p := range lab.Pools() {
		p.Listener.SetFault(xmpptest.FaultNone)
	}
}

// Realistic is a latency profile with real-world-ish figures of a Windows
// host running the Lync management shell (REFERENCE: process start 1 s,
// module import 3 s, an Edge's services stop in 5 s and start in 8 s, CMS
// replication 10 s); scale shrinks it for a drill or a rehearsal.
func Realistic(scale float64) lynctest.Latency {
	return lynctest.Latency{
		RoundTrip:    20 * time.Millisecond,
		ProcessStart: time.Second,
		ModuleImport: 3 * time.Second,
		ServiceStop:  5 * time.Second,
		GracefulStop: 30 * time.Second,
		ServiceStart: 8 * time.Second,
		Replication:  10 * time.Second,
		Scale:        scale,
	}
}
