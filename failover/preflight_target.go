package failover

import (
	"context"
	"slices"
	"sync"

	"github.com/xmppfed/edgefailover/edge"
	"github.com/xmppfed/edgefailover/internal/dnsname"
	"github.com/xmppfed/edgefailover/lync"
)

// Target is what the preflight checks look at. New fills it from its
// Config and the target pool it opened; a health check (examples/check)
// fills it itself and calls CheckTarget.
type Target struct {
	// Management reaches the management host (a Front End server): the
	// Access Edge configuration, the XMPP partners, the topology and the
	// reachability test run there.
	Management *lync.Client
	// Pool is the Edge pool's FQDN.
	Pool string
	// Names are the names each certificate must cover: the federation
	// host and every SIP domain.
	Names []string
	// Servers are the pool's servers with clients of their own, on which
	// Get-CsCertificate runs (it reads the local computer only). Nil skips
	// CheckCertificate: it gives no finding.
	Servers []*edge.Server
	// Preflight tunes the checks (window, reachability, accepted warnings).
	Preflight Preflight

	imReceiver string // New's Verify.IMReceiver: its domain must be a partner
}

// CheckTarget runs the preflight checks of New on t, the independent ones
// concurrently, and returns their findings in New's order (check, then
// subject), with the warnings t.Preflight accepts marked. A check whose
// cmdlet fails gives an error finding; the error is for a bad Target
// (a *ConfigError) or a pool the topology does not list as an Edge pool.
func CheckTarget(ctx context.Context, t Target) ([]Finding, error) {
	if t.Management == nil {
		return nil, configErr("Target.Management", "a management client is required", nil)
	}
	pool, err := dnsname.ParseFQDN(t.Pool)
	if err != nil {
		return nil, configErr("Target.Pool", "not a valid FQDN", err)
	}
	if t.Preflight, err = t.Preflight.normalize(); err != nil {
		return nil, err
	}
	es, err := t.Management.Pools.EdgeServices(ctx, pool)
	if err != nil {
		return nil, err
	}
	if len(es) == 0 {
		return nil, &edge.NotEdgePoolError{Pool: pool}
	}
	var fqdns []string // of t.Servers when nil (checkTarget)
	if len(t.Servers) == 0 && t.Preflight.CheckReachability {
		p, err := t.Management.Pools.Get(ctx, pool)
		if err != nil {
			return nil, err
		}
		fqdns = p.Computers
	}
	t.Pool = pool
	return checkTarget(ctx, t, es[0], fqdns), nil
}

// runChecks runs the checks of New on the target pool it opened.
func runChecks(ctx context.Context, c Config, l *live) []Finding {
	t := Target{Management: c.Management, Pool: c.TargetPool, Names: []string{c.FederationHost},
		Servers: l.pool.Servers(), Preflight: c.Preflight, imReceiver: c.Verify.IMReceiver}
	for _, d := range c.Domains {
		t.Names = append(t.Names, d.Name)
	}
	return checkTarget(ctx, t, l.edge, nil)
}

// checkTarget runs the checks; reachability is tested to fqdns, or to
// t.Servers when fqdns is nil.
func checkTarget(ctx context.Context, t Target, es lync.EdgeService, fqdns []string) []Finding {
	if fqdns == nil {
		for _, s := range t.Servers {
			fqdns = append(fqdns, s.FQDN())
		}
	}
	groups := make([][]Finding, 3+len(t.Servers)+len(fqdns))
	var wg sync.WaitGroup
	groups[0] = checkVersion(t.Pool, es)
	wg.Go(func() { groups[1] = checkAccessEdge(ctx, t.Management) })
	wg.Go(func() { groups[2] = checkPartners(ctx, t.Management, t.imReceiver) })
	for i, srv := range t.Servers {
		wg.Go(func() { groups[3+i] = checkCertificates(ctx, t, srv) })
	}
	if t.Preflight.CheckReachability {
		for i, fqdn := range fqdns {
			wg.Go(func() { groups[3+len(t.Servers)+i] = checkReach(ctx, t.Management, fqdn, es.XmppInternalPort) })
		}
	}
	wg.Wait()
	var out []Finding
	for _, g := range groups {
		out = append(out, g...)
	}
	slices.SortStableFunc(out, func(a, b Finding) int {
		return slices.Index(allChecks, a.Check) - slices.Index(allChecks, b.Check)
	})
	for i := range out {
		if out[i].Severity == SeverityWarning && slices.Contains(t.Preflight.AcceptWarnings, out[i].Check) {
			out[i].Accepted = true
		}
	}
	return out
}
