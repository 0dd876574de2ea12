package failover

import (
	"context"
	"fmt"

	"github.com/xmppfed/edgefailover/lync"
)

// build turns what New read into the plan's step graph. It reads nothing:
// the same live state always gives the same plan.
func build(c Config, l *live) *Plan {
	p := &Plan{Name: "fail XMPP federation over to " + c.TargetPool, Strategy: c.Strategy, pool: l.pool, cfg: c, live: l,
		Findings: l.findings}
	add := func(s *Step) string { p.Steps = append(p.Steps, s); return s.ID }
	target := l.edge.Route()
	if target.IsZero() {
		target = lync.EdgeService{PoolFQDN: c.TargetPool}.Route()
	}
	servers := l.pool.Servers()

	pre := add(preflightStep(c, l, target))
	routeChanges := !l.siteRoute.Equal(target)

	// Services and route.
	var serviceSteps, replicaSteps []string
	routeID := pre
	switch {
	case routeChanges && c.Strategy == Rolling:
		routeID = add(routeStep(c, "route/"+c.Site, 3, c.Site, l.routeParam, l.siteRoute, target, []string{pre}))
		for _, srv := range servers {
			replicaSteps = append(replicaSteps, add(replicationStep(c, srv.FQDN(), []string{routeID})))
		}
		prev := replicaSteps
		for _, srv := range servers {
			id := add(restartStep(c, srv, l.services[srv.FQDN()], prev))
			serviceSteps = append(serviceSteps, id)
			prev = []string{id}
		}
	case routeChanges:
		var stops []string
		for _, srv := range servers {
			stops = append(stops, add(stopStep(c, srv, l.services[srv.FQDN()], []string{pre})))
		}
		routeID = add(routeStep(c, "route/"+c.Site, 3, c.Site, l.routeParam, l.siteRoute, target, []string{pre}))
		for i, srv := range servers {
			start := add(startStep(c, srv, allStopped(l.services[srv.FQDN()]), []string{stops[i], routeID}))
			serviceSteps = append(serviceSteps, start)
			replicaSteps = append(replicaSteps, add(replicationStep(c, srv.FQDN(), []string{start})))
		}
	default:
		// The route is in place: only servers that are not running need
		// their services started (a repeated or half-done failover). A
		// server whose REPLICA was stopped when the route changed gets it
		// only by replication after the start, so the probe waits for it.
		for _, srv := range servers {
			svcs := l.services[srv.FQDN()]
			if _, all := running(svcs); !all {
				start := add(startStep(c, srv, svcs, []string{pre}))
				serviceSteps = append(serviceSteps, start)
				replicaSteps = append(replicaSteps, add(replicationStep(c, srv.FQDN(), []string{start})))
			}
		}
	}
	if c.ClearReplacedRoute && !l.replacedRoute.IsZero() {
		add(routeStep(c, "route/"+c.ReplacedSite, 0, c.ReplacedSite, l.routeParam, l.replacedRoute, lync.Route{}, []string{routeID}))
	}

	// DNS: one write per zone, then its verification.
	dnsDone := map[string]string{} // zone name -> step after which its records are in place
	var verifyDNS []string
	for _, zc := range l.zones {
		after := pre
		if !zc.change.Empty() {
			after = add(dnsStep(c, zc, []string{pre}))
			p.Caches = append(p.Caches, cacheBounds(c, after, zc.change)...)
		}
		if c.Verify.Authoritative != nil {
			after = add(verifyDNSStep(c, zc, []string{after}))
			verifyDNS = append(verifyDNS, after)
		}
		dnsDone[zc.zone.Name()] = after
	}
	if c.Verify.Authoritative == nil {
		p.Notes = append(p.Notes, "DNS is not verified on the authoritative servers: Config.Verify.Authoritative is not set")
	}

	// Port 5269 once the servers run with the new route.
	probeDeps := append(append([]string{routeID}, serviceSteps...), replicaSteps...)
	probe := add(probeStep(c, l.addrs, probeDeps))
	add(verifyRouteStep(c, l.routeParam, target, []string{routeID}))
	add(verifyServicesStep(c, l.pool, append([]string{probe}, serviceSteps...)))
	if c.Verify.Resolver != nil {
		want := c.FederationHost
		if c.SRV == SRVPrioritized {
			want = c.PoolHosts[c.TargetPool]
		}
		var remote []string
		for _, d := range c.Domains {
			deps := []string{probe, dnsDone[d.Zone.Name()], dnsDone[c.FederationZone.Name()]}
			remote = append(remote, add(verifyRemoteStep(c, d, want, l.addrs, dedup(deps))))
		}
		if c.Verify.IMReceiver != "" {
			add(verifyIMStep(c, remote))
		}
	} else {
		p.Notes = append(p.Notes, "the remote view is not verified: Config.Verify.Resolver is not set")
		if c.Verify.IMReceiver != "" {
			add(verifyIMStep(c, append([]string{probe}, serviceSteps...)))
		}
	}
	return p
}

func dedup(ids []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// preflightStep re-reads, at apply time, what the plan was built on: the
// route is still as read (or already moved by an earlier apply), and every
// target server's session is open. It changes nothing.
func preflightStep(c Config, l *live, target lync.Route) *Step {
	s := &Step{
		ID:       "preflight",
		SeedStep: 1,
		Title:    fmt.Sprintf("Check that %s is still as planned and its %d servers answer", c.TargetPool, len(l.pool.Servers())),
		Commands: []string{getSiteCommand(c.Site, l.routeParam)},
	}
	s.do = func(ctx context.Context, p *progress) error {
		route, err := readRoute(ctx, c, c.Site)
		if err != nil {
			return err
		}
		if !route.Equal(l.siteRoute) && !route.Equal(target) {
			return fmt.Errorf("%w: XMPP route of site %s is %s, the plan read %s", ErrStalePlan, c.Site, showRoute(route), showRoute(l.siteRoute))
		}
		ctx, cancel := context.WithTimeout(ctx, c.Timeouts.Preflight)
		defer cancel()
		res, err := l.pool.Prepare(ctx)
		if err != nil {
			return firstErr(res, err)
		}
		for _, r := range res.Servers {
			p.Report(r.FQDN, "session open")
		}
		return nil
	}
	return s
}
