package failover

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/xmppfed/edgefailover/edge"
	"github.com/xmppfed/edgefailover/failover/preflight"
	"github.com/xmppfed/edgefailover/internal/dnsname"
	"github.com/xmppfed/edgefailover/lync"
	"github.com/xmppfed/edgefailover/xmppdns"
)

// live is the state New read: what each step's "before" is.
type live struct {
	routeParam    string
	siteRoute     lync.Route // current XMPP route of Site (zero when none)
	replacedRoute lync.Route // current XMPP route of ReplacedSite
	edge          lync.EdgeService
	pool          *edge.Pool
	services      map[string][]lync.Service // per target server, before
	addrs         []netip.Addr
	zones         []zoneChange        // one per zone, in config order
	findings      []preflight.Finding // of the preflight checks (preflight.go)
}

type zoneChange struct {
	zone   *xmppdns.Zone
	change *xmppdns.Change
}

// New reads the live state that cfg names and returns the plan that fails
// XMPP federation over to cfg.TargetPool. It changes nothing. Before it
// returns, the target pool's servers have open sessions with the Lync module
// imported, so that the outage starts with the first change, not with slow
// preparation. Any failed check gives a *preflight.Error (or a *ConfigError
// for bad input: before anything is sent, or once Get-CsPool shows that
// Verify.IMPool is not a Front End pool). The checks of package preflight
// (the target pool's certificates, Access Edge configuration, XMPP
// partners, product version and, with Preflight.CheckReachability, internal
// port) run concurrently once the sessions are open; their Findings are in
// Plan.Findings, or in the *preflight.Error's Findings when an error, or a
// warning the caller did not accept (Preflight.AcceptWarnings), refused the
// plan.
//
// The plan holds the clients New opened for the target servers; Close it
// when done.
func New(ctx context.Context, cfg Config) (*Plan, error) {
	c, err := cfg.normalize()
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, c.Timeouts.Preflight)
	defer cancel()
	l, err := read(ctx, c)
	if err != nil {
		return nil, err
	}
	return build(c, l), nil
}

func read(ctx context.Context, c Config) (l *live, err error) {
	l = &live{services: map[string][]lync.Service{}}
	if err := c.Management.Prepare(ctx); err != nil {
		return nil, &preflight.Error{Check: "management host", Fix: "check the WinRM endpoint, credentials and the Lync/SfB module of the management host", Err: err}
	}
	site, err := c.Management.Sites.Get(ctx, c.Site)
	if err != nil {
		return nil, &preflight.Error{Check: "site " + c.Site, Fix: "name the site that contains the target Edge pool (Get-CsSite)", Err: err}
	}
	l.siteRoute = site.XmppRoute
	if l.routeParam, err = c.Management.Sites.RouteParameter(ctx); err != nil {
		return nil, &preflight.Error{Check: "Set-CsSite route parameter", Err: err}
	}
	if c.ReplacedSite != "" {
		rs, err := c.Management.Sites.Get(ctx, c.ReplacedSite)
		if err != nil {
			return nil, &preflight.Error{Check: "site " + c.ReplacedSite, Fix: "name an existing site as ReplacedSite", Err: err}
		}
		l.replacedRoute = rs.XmppRoute
	}
	if c.Verify.IMPool != "" {
		if err := checkIMPool(ctx, c); err != nil {
			return nil, err
		}
	}

	pool, es, err := openPool(ctx, c)
	if err != nil {
		return nil, &preflight.Error{Check: "target pool " + c.TargetPool, Fix: "deploy the target Edge pool and make its servers reachable over WinRM (runbook step 1)", Err: err}
	}
	defer func() {
		if err != nil {
			pool.Close()
		}
	}()
	l.edge = es
	if es.XmppListeningPort == 0 {
		return nil, &preflight.Error{Check: "target pool " + c.TargetPool, Fix: "enable XMPP federation on the pool in Topology Builder and publish the topology"}
	}
	if !sameSite(es.SiteID, site) {
		return nil, &preflight.Error{Check: "target pool " + c.TargetPool, Fix: fmt.Sprintf("the pool belongs to %s, not to site %s: set Site to the pool's site", es.SiteID, c.Site)}
	}
	l.pool = pool
	if res, err := pool.Prepare(ctx); err != nil {
		return nil, &preflight.Error{Check: "Edge servers of " + c.TargetPool, Fix: "every server must answer over WinRM and import the Lync module; see which failed", Err: firstErr(res, err)}
	}
	if l.findings, err = runChecks(ctx, c, l); err != nil {
		return nil, err
	}
	res, err := pool.Status(ctx)
	if err != nil {
		return nil, &preflight.Error{Check: "services of " + c.TargetPool, Err: firstErr(res, err)}
	}
	for _, s := range res.Servers {
		l.services[s.FQDN] = s.State.Services
	}

	if l.addrs, err = addresses(ctx, c, &es); err != nil {
		return nil, err
	}
	if l.zones, err = planDNS(ctx, c, l.addrs); err != nil {
		return nil, err
	}
	return l, nil
}

// checkIMPool refuses a Verify.IMPool that the topology (Get-CsPool) does
// not list as a Front End pool, a pool with a Registrar service: with an
// Edge pool there, Test-CsXmppIM would fail only after every change.
func checkIMPool(ctx context.Context, c Config) error {
	const field = "Verify.IMPool"
	p, err := c.Management.Pools.Get(ctx, c.Verify.IMPool)
	switch {
	case errors.Is(err, lync.ErrNotFound):
		return configErr(field, "no pool "+c.Verify.IMPool+" in the topology (Get-CsPool): name the Front End pool whose XMPP gateway the IM crosses", err)
	case err != nil:
		return &preflight.Error{Check: field + " " + c.Verify.IMPool, Err: err}
	}
	for _, s := range p.Services {
		if role, _, _ := strings.Cut(s, ":"); strings.EqualFold(role, "Registrar") {
			return nil
		}
	}
	return configErr(field, fmt.Sprintf("%s is not a Front End pool (Get-CsPool lists its services as %s, no Registrar): name the Front End pool whose XMPP gateway the IM crosses",
		c.Verify.IMPool, strings.Join(p.Services, ", ")), nil)
}

func firstErr(res *edge.PoolResult, err error) error {
	if res != nil {
		if perr := res.Err(); perr != nil {
			return perr
		}
	}
	return err
}

// sameSite compares a site identity ("Site:Redmond") or bare name with a site.
func sameSite(id string, site *lync.SiteInfo) bool {
	bare := id
	if i := strings.IndexByte(id, ':'); i >= 0 {
		bare = id[i+1:]
	}
	return strings.EqualFold(id, site.Identity) || strings.EqualFold(bare, site.Name) || strings.EqualFold(id, fmt.Sprint(site.SiteID))
}

// addresses returns cfg.Addresses, or the addresses of the target pool's
// Access Edge external FQDN as the zone holding it has them.
func addresses(ctx context.Context, c Config, es *lync.EdgeService) ([]netip.Addr, error) {
	if len(c.Addresses) > 0 {
		return slices.Clone(c.Addresses), nil
	}
	ext := es.AccessEdgeExternalFQDN
	if ext == "" {
		return nil, &preflight.Error{Check: "federation host addresses", Fix: "the target pool has no Access Edge external FQDN: give Config.Addresses"}
	}
	for _, z := range zonesOf(c) {
		if !dnsname.IsSubdomain(ext, z.Name()) {
			continue
		}
		set, err := z.GetAddrs(ctx, ext)
		if err != nil {
			return nil, &preflight.Error{Check: "addresses of " + ext, Fix: "check the DNS provider of zone " + z.Name(), Err: err}
		}
		if len(set.IPs) == 0 {
			return nil, &preflight.Error{Check: "addresses of " + ext, Fix: "publish A/AAAA records for the Access Edge external FQDN or give Config.Addresses"}
		}
		return set.IPs, nil
	}
	return nil, &preflight.Error{Check: "addresses of " + ext, Fix: "no configured zone holds the Access Edge external FQDN: give Config.Addresses"}
}

// zonesOf returns the distinct zones of the config, federation zone first.
func zonesOf(c Config) []*xmppdns.Zone {
	zs := []*xmppdns.Zone{c.FederationZone}
	for _, d := range c.Domains {
		if !slices.Contains(zs, d.Zone) {
			zs = append(zs, d.Zone)
		}
	}
	return zs
}
