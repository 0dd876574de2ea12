package failover_test

import (
	"context"
	"testing"

	"github.com/xmppfed/edgefailover/failover"
	"github.com/xmppfed/edgefailover/failover/failovertest"
)

func forward(lab *failovertest.Lab) failover.Config {
	cfg, err := lab.FailoverConfig(context.Background())
	if err != nil {
		panic(err)
	}
	return cfg
}

func back(lab *failovertest.Lab) failover.Config {
	cfg, err := lab.FailbackConfig(context.Background())
	if err != nil {
		panic(err)
	}
	return cfg
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
