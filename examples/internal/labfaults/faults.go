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
// printing the plan and before applying it, to show a rollback).
type fault struct {
	help   string
	inject func(lab *failovertest.Lab) error
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
	"start-fails": {"the RTCSRV service of the first target server will not start", lyncFault(func(lab *failovertest.Lab) lynctest.Fault {
		return lynctest.Fault{Kind: lynctest.FaultServiceWontStart, Host: firstTarget(lab), Service: "RTCSRV", Nth: 1}
	})},
	"stop-hangs": {"Stop-CsWindowsService hangs on the first target server until the stop timeout", lyncFault(func(lab *failovertest.Lab) lynctest.Fault {
		return lynctest.Fault{Kind: lynctest.FaultHang, Host: firstTarget(lab), Cmdlet: "Stop-CsWindowsService", Nth: 1}
	})},
	"route-fails": {"Set-CsSite fails on the management host (a cmdlet error)", lyncFault(func(*failovertest.Lab) lynctest.Fault {
		return lynctest.Fault{Kind: lynctest.FaultCmdletError, Host: failovertest.ManagementHost, Cmdlet: "Set-CsSite", Nth: 1}
	})},
	"replication-stuck": {"CMS replication to the first target server never catches up", lyncFault(func(lab *failovertest.Lab) lynctest.Fault {
		return lynctest.Fault{Kind: lynctest.FaultReplicationStuck, Host: firstTarget(lab)}
	})},
	"dns-refused": {"the primary name server refuses the first dynamic update", func(lab *failovertest.Lab) error {
		lab.DNS().Primary.Inject(dnstest.Fault{Kind: dnstest.FaultRefused, Opcode: dns.OpcodeUpdate, OnlyOpcode: true, Count: 1})
		return nil
	}},
	"secondary-stuck": {"a secondary name server stops following the primary (DNS never converges)", func(lab *failovertest.Lab) error {
		if len(lab.DNS().Secondaries) == 0 {
			return fmt.Errorf("the lab has no secondary name server")
		}
		lab.DNS().Secondaries[0].SetLag(time.Hour)
		return nil
	}},
	"stale-dns": {"another admin changes the A record of xmpp.contoso.com after the plan read it", func(lab *failovertest.Lab) error {
		rr, err := dns.NewRR(failovertest.FederationHost + ". 300 IN A 198.51.100.7")
		if err != nil {
			return err
		}
		lab.DNSZone(failovertest.FederationZone).SetRRset(failovertest.FederationHost+".", dns.TypeA, rr)
		return nil
	}},
	"listener-silent": {"the target pool's port 5269 accepts but never answers", func(lab *failovertest.Lab) error {
		p, _ := lab.Pool(failovertest.TargetPool)
		p.Listener.SetFault(xmpptest.FaultSilence)
		return nil
	}},
	"no-features": {"the target pool's port 5269 answers without stream features", func(lab *failovertest.Lab) error {
		p, _ := lab.Pool(failovertest.TargetPool)
		p.Listener.SetFault(xmpptest.FaultNoFeatures)
		return nil
	}},
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
