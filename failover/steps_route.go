package failover

import (
	"context"
	"fmt"
	"strings"

	"github.com/xmppfed/edgefailover/lync"
)

const edgeServerPrefix = "EdgeServer:"

// routeFQDN returns the pool FQDN of an "EdgeServer:<fqdn>" identity, lower
// case without a trailing dot, or "" when route is not such an identity.
func routeFQDN(route string) string {
	if len(route) < len(edgeServerPrefix) || !strings.EqualFold(route[:len(edgeServerPrefix)], edgeServerPrefix) {
		return ""
	}
	return strings.ToLower(strings.TrimSuffix(route[len(edgeServerPrefix):], "."))
}

// sameRoute compares two route identities as Lync does: case-insensitively.
func sameRoute(a, b string) bool {
	if a == "" || b == "" {
		return a == b
	}
	if fa, fb := routeFQDN(a), routeFQDN(b); fa != "" || fb != "" {
		return fa == fb
	}
	return strings.EqualFold(a, b)
}

func showRoute(r string) string {
	if r == "" {
		return "(none)"
	}
	return r
}

// readRoute reads a site's XMPP route under the Command timeout.
func readRoute(ctx context.Context, c Config, site string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, c.Timeouts.Command)
	defer cancel()
	s, err := c.Management.Sites.Get(ctx, site)
	if err != nil {
		return "", err
	}
	return s.XmppRoute, nil
}

// setRoute moves a site's XMPP route from before to after ("" clears it),
// refusing to overwrite a value someone else set since the plan read it.
func setRoute(ctx context.Context, mgmt *lync.Client, site, before, after string) error {
	cur, err := mgmt.Sites.Get(ctx, site)
	if err != nil {
		return err
	}
	switch {
	case sameRoute(cur.XmppRoute, after):
		return nil // already there (a resumed or repeated apply)
	case !sameRoute(cur.XmppRoute, before):
		return fmt.Errorf("%w: XMPP route of site %s is %s, the plan read %s", ErrStalePlan, site, showRoute(cur.XmppRoute), showRoute(before))
	case after == "":
		return mgmt.Site(site).ClearXmppRoute(ctx)
	}
	pool := routeFQDN(after)
	if pool == "" {
		return fmt.Errorf("failover: cannot restore route %q of site %s: not an EdgeServer: identity", after, site)
	}
	return mgmt.Site(site).SetXmppRoute(ctx, pool)
}

// routeStep points a site's XMPP federation route at an Edge pool (runbook
// step 3), or clears it. Undo puts the old route back.
func routeStep(c Config, id string, seed int, site, param, before, after string, deps []string) *Step {
	title := fmt.Sprintf("Point the XMPP federation route of site %s at %s", site, showRoute(after))
	if after == "" {
		title = fmt.Sprintf("Clear the XMPP federation route of site %s", site)
	}
	s := &Step{
		ID:        id,
		SeedStep:  seed,
		Title:     title,
		DependsOn: deps,
		Changes:   []Change{{Kind: Modify, Resource: "XMPP route of site " + site, Before: showRoute(before), After: showRoute(after)}},
		Commands:  []string{routeCommand(site, param, after), getSiteCommand(site) + "  # read back"},
		Undo:      "set the route back to " + showRoute(before),
	}
	if before == "" {
		s.Changes[0].Kind, s.Changes[0].Before = Create, ""
	} else if after == "" {
		s.Changes[0].Kind, s.Changes[0].After = Delete, ""
	}
	s.do = func(ctx context.Context, p *Progress) error {
		ctx, cancel := context.WithTimeout(ctx, c.Timeouts.Command)
		defer cancel()
		return setRoute(ctx, c.Management, site, before, after)
	}
	s.undo = func(ctx context.Context, p *Progress) error {
		ctx, cancel := context.WithTimeout(ctx, c.Timeouts.Command)
		defer cancel()
		return setRoute(ctx, c.Management, site, after, before)
	}
	s.inPlace = func(ctx context.Context) (bool, error) {
		cur, err := readRoute(ctx, c, site)
		return err == nil && sameRoute(cur, after), err
	}
	return s
}

// replicationStep waits until a target server's CMS replica is up to date, so
// that it serves the new route.
func replicationStep(c Config, fqdn string, deps []string) *Step {
	s := &Step{
		ID:        "replication/" + fqdn,
		Title:     "Wait until the configuration replica of " + fqdn + " is up to date",
		DependsOn: deps,
		Commands:  []string{replicationCommand(fqdn)},
	}
	s.do = func(ctx context.Context, p *Progress) error {
		ctx, cancel := context.WithTimeout(ctx, c.Timeouts.Replication)
		defer cancel()
		st, err := c.Management.Replication.WaitUpToDate(ctx, fqdn, c.Timeouts.Poll)
		if st != nil {
			p.Report(fqdn, fmt.Sprintf("up to date: %v", st.UpToDate))
		}
		return err
	}
	return s
}
