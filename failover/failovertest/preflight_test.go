package failovertest_test

import (
	"context"
	"errors"
	"testing"

	"github.com/xmppfed/edgefailover/failover"
	"github.com/xmppfed/edgefailover/failover/failovertest"
	"github.com/xmppfed/edgefailover/failover/preflight"
)

// TestPreflightFaultsBreakAndClear: every preflight fault makes New refuse,
// and ClearPreflight makes the lab pass every check again.
func TestPreflightFaultsBreakAndClear(t *testing.T) {
	t.Parallel()
	lab := failovertest.Start(t, failovertest.Options{ServersPerPool: 1})
	ctx := context.Background()
	for _, f := range failovertest.PreflightFaults() {
		if err := lab.BreakPreflight(f); err != nil {
			t.Fatal(err)
		}
		cfg, err := lab.FailoverConfig(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := failover.New(ctx, cfg); !errors.Is(err, preflight.ErrFindings) {
			t.Errorf("%s: New err = %v, want preflight.ErrFindings", f, err)
		}
		if err := lab.ClearPreflight(); err != nil {
			t.Fatal(err)
		}
		p, err := failover.New(ctx, cfg)
		if err != nil {
			t.Fatalf("%s cleared: New: %v", f, err)
		}
		p.Close()
	}
	if err := lab.BreakPreflight("nope"); err == nil {
		t.Error("BreakPreflight(nope) = nil")
	}
	if _, err := failovertest.New(failovertest.Options{PreflightFaults: []failovertest.PreflightFault{"nope"}}); err == nil {
		t.Error("New with an unknown preflight fault = nil error")
	}
}
