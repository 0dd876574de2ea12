package failover_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/xmppfed/edgefailover/edge"
	"github.com/xmppfed/edgefailover/failover"
	"github.com/xmppfed/edgefailover/failover/failovertest"
	"github.com/xmppfed/edgefailover/failover/preflight"
	"github.com/xmppfed/edgefailover/lync"
	"github.com/xmppfed/edgefailover/lync/lynctest"
)

// allRunning lists the target servers whose every Lync service runs.
func allRunning(s failovertest.State, servers []string) []string {
	var up []string
	for _, srv := range servers {
		ok := len(s.Services[srv]) > 0
		for _, st := range s.Services[srv] {
			if st != lync.ServiceRunning {
				ok = false
			}
		}
		if ok {
			up = append(up, srv)
		}
	}
	return up
}

func TestRollingKeepsATargetServerRunning(t *testing.T) {
	t.Parallel()
	lab := failovertest.Start(t, failovertest.Options{ServersPerPool: 3})
	pool, _ := lab.Pool(failovertest.TargetPool)
	cfg := forward(lab)
	cfg.Strategy = failover.Rolling
	p := newPlan(t, cfg)
	if p.Step("stop/edge2a.contoso.com") != nil || p.Step("restart/edge2c.contoso.com") == nil {
		t.Fatalf("a rolling plan restarts servers one by one:\n%s", p)
	}
	restarts := 0
	hooks := failover.Hooks{Before: func(ctx context.Context, s *failover.Step) error {
		if !strings.HasPrefix(s.ID, "restart/") {
			return nil
		}
		restarts++ // restarts run one after another: no lock needed
		st, err := lab.Snapshot(ctx)
		if err != nil {
			return err
		}
		// Before each restart every target server runs, so while one
		// restarts the others serve: no moment without a running server.
		if up := allRunning(st, pool.Servers); len(up) != len(pool.Servers) {
			t.Errorf("before %s only %v run", s.ID, up)
		}
		if !st.Listeners[failovertest.TargetPool] && restarts > 1 {
			t.Errorf("before %s the target pool does not serve XMPP", s.ID)
		}
		return nil
	}}
	rep, err := p.Apply(context.Background(), failover.ApplyOptions{Hooks: hooks})
	if err != nil || rep.State != failover.StateApplied {
		t.Fatalf("Apply: %v\n%s", err, rep)
	}
	if restarts != 3 {
		t.Errorf("%d restarts, want 3", restarts)
	}
}

func TestVetoRollsBack(t *testing.T) {
	t.Parallel()
	lab := failovertest.Start(t, failovertest.Options{})
	before := snapshot(t, lab)
	p := newPlan(t, forward(lab))
	no := errors.New("change advisory board: not now")
	rep, err := p.Apply(context.Background(), failover.ApplyOptions{Hooks: failover.Hooks{
		Before: func(ctx context.Context, s *failover.Step) error {
			if strings.HasPrefix(s.ID, "start/") {
				return no
			}
			return nil
		},
	}})
	if !errors.Is(err, failover.ErrVetoed) || !errors.Is(err, no) {
		t.Fatalf("err = %v", err)
	}
	if rep.State != failover.StateRolledBack {
		t.Errorf("state %s\n%s", rep.State, rep)
	}
	if diff := cmp.Diff(before, snapshot(t, lab)); diff != "" {
		t.Errorf("veto did not restore the lab (-before +after):\n%s", diff)
	}
}

func TestBadConfigIsRefusedBeforeAnythingIsSent(t *testing.T) {
	t.Parallel()
	lab := failovertest.Start(t, failovertest.Options{})
	base := forward(lab) // opens the management session
	lab.Deployment().ResetCounters()
	for name, mutate := range map[string]func(*failover.Config){
		"site injection":    func(c *failover.Config) { c.Site = "Site2'; Stop-Computer; '" },
		"pool not an FQDN":  func(c *failover.Config) { c.TargetPool = "edgepool2" },
		"no domains":        func(c *failover.Config) { c.Domains = nil },
		"domain off zone":   func(c *failover.Config) { c.Domains[1].Zone = c.Domains[0].Zone },
		"host off zones":    func(c *failover.Config) { c.FederationHost = "xmpp.example.org" },
		"unknown strategy":  func(c *failover.Config) { c.Strategy = "yolo" },
		"prioritized hosts": func(c *failover.Config) { c.SRV = failover.SRVPrioritized },
		"same pools":        func(c *failover.Config) { c.ReplacedPool = c.TargetPool },
	} {
		cfg := base
		cfg.Domains = slices.Clone(base.Domains)
		mutate(&cfg)
		if _, err := failover.New(context.Background(), cfg); !errors.Is(err, failover.ErrInvalidConfig) {
			t.Errorf("%s: err = %v, want ErrInvalidConfig", name, err)
		}
	}
	if n := lab.Deployment().Counters().Total(); n != 0 {
		t.Errorf("%d WS-Man requests were sent for invalid configs", n)
	}
}

func TestPreflightRefusesANonEdgeTarget(t *testing.T) {
	t.Parallel()
	lab := failovertest.Start(t, failovertest.Options{})
	before := snapshot(t, lab)
	cfg := forward(lab)
	cfg.TargetPool = failovertest.FrontEndPool
	cfg.Site = failovertest.SourceSite
	_, err := failover.New(context.Background(), cfg)
	var pe *preflight.Error
	if !errors.As(err, &pe) || pe.Fix == "" {
		t.Fatalf("err = %v, want a *preflight.Error that says what to fix", err)
	}
	if diff := cmp.Diff(before, snapshot(t, lab)); diff != "" {
		t.Errorf("a failed preflight changed the lab:\n%s", diff)
	}
}

// Servers given by hand: the plan acts on them only (a third server down for
// maintenance is left alone), and a name outside the pool is refused.
func TestGivenServers(t *testing.T) {
	t.Parallel()
	lab := failovertest.Start(t, failovertest.Options{ServersPerPool: 3})
	if _, err := lab.Deployment().Inject(lynctest.Fault{Kind: lynctest.FaultRefuse, Host: "edge2c.contoso.com"}); err != nil {
		t.Fatal(err)
	}
	if _, err := failover.New(context.Background(), forward(lab)); !errors.Is(err, preflight.ErrFailed) {
		t.Fatalf("discovering a pool with an unreachable server: %v, want a preflight failure", err)
	}
	cfg := forward(lab)
	cfg.Servers = []string{"edge2a.contoso.com", "EDGE2B.contoso.com."}
	p := newPlan(t, cfg)
	if p.Step("stop/edge2b.contoso.com") == nil || p.Step("stop/edge2c.contoso.com") != nil {
		t.Fatalf("the plan does not act on exactly the given servers:\n%s", p)
	}
	if rep, err := p.Apply(context.Background(), failover.ApplyOptions{}); err != nil || rep.State != failover.StateApplied {
		t.Fatalf("Apply: %v\n%s", err, rep)
	}
	cfg.Servers = []string{"edge1a.contoso.com"}
	_, err := failover.New(context.Background(), cfg)
	var pe *preflight.Error
	var ne *edge.NotMemberError
	if !errors.As(err, &pe) || !strings.Contains(err.Error(), "not a server of pool") ||
		!errors.As(err, &ne) || ne.Server != "edge1a.contoso.com" || ne.Pool != failovertest.TargetPool {
		t.Fatalf("a server of another pool: %v", err)
	}
}
