package failover_test

import (
	"context"
	"testing"
	"time"

	"github.com/xmppfed/edgefailover/failover"
	"github.com/xmppfed/edgefailover/failover/failovertest"
)

// labConfig returns the config that fails the lab over to target (in site),
// replacing the other pool.
func labConfig(lab *failovertest.Lab, site, target, replacedSite, replaced string) failover.Config {
	ctx := context.Background()
	mgmt, err := lab.Management(ctx)
	if err != nil {
		panic(err)
	}
	var doms []failover.Domain
	for _, d := range lab.Domains() {
		doms = append(doms, failover.Domain{Name: d, Zone: lab.ZoneOf(d)})
	}
	return failover.Config{
		Management:     mgmt,
		Site:           site,
		TargetPool:     target,
		OpenServer:     lab.OpenServer,
		ReplacedPool:   replaced,
		ReplacedSite:   replacedSite,
		Domains:        doms,
		FederationHost: failovertest.FederationHost,
		Timeouts:       failover.Timeouts{Poll: 5 * time.Millisecond, Probe: 5 * time.Second, Converge: 10 * time.Second, Replication: 10 * time.Second, Stop: 10 * time.Second, Start: 10 * time.Second},
		Verify: failover.Verify{
			Authoritative: lab.Authoritative(),
			Resolver:      lab.Resolver(),
			ProbeTLS:      lab.TLSConfig(),
			ProbeDial:     lab.Dial,
		},
	}
}

func forward(lab *failovertest.Lab) failover.Config {
	return labConfig(lab, failovertest.TargetSite, failovertest.TargetPool, failovertest.SourceSite, failovertest.SourcePool)
}

func back(lab *failovertest.Lab) failover.Config {
	return labConfig(lab, failovertest.SourceSite, failovertest.SourcePool, failovertest.TargetSite, failovertest.TargetPool)
}

func snapshot(t *testing.T, lab *failovertest.Lab) failovertest.State {
	t.Helper()
	s, err := lab.Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func newPlan(t *testing.T, cfg failover.Config) *failover.Plan {
	t.Helper()
	p, err := failover.New(context.Background(), cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}
