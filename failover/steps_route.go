package failover

import (
	"context"
	"errors"
	"fmt"

	"github.com/xmppfed/edgefailover/lync"
)

func showRoute(r lync.Route) string {
	if r.IsZero() {
		return "(none)"
	}
	return r.String()
}

// readRoute reads a site's XMPP route under the Command timeout.
func readRoute(ctx context.Context, c Config, site string) (lync.Route, error) {
	ctx, cancel := context.WithTimeout(ctx, c.Timeouts.Command)
	defer cancel()
	s, err := c.Management.Site(site).Get(ctx)
	if err != nil {
		return lync.Route{}, err
	}
	return s.XmppRoute, nil
}

// setRoute moves a site's XMPP route from before to after (the zero Route
// clears it) with lync's compare-and-set: one script that refuses to
// overwrite a value someone else set since the plan read it, and leaves a
// route already at after alone (a resumed or repeated apply).
func setRoute(ctx context.Context, mgmt *lync.Client, site string, before, after lync.Route) error {
	err := mgmt.Site(site).ReplaceXmppRoute(ctx, before, after)
	var se *lync.StaleRouteError
	if errors.As(err, &se) {
		return fmt.Errorf("%w: XMPP route of site %s is %s, the plan read %s", ErrStalePlan, site, showRoute(se.Found), showRoute(before))
	}
	return err
}

// routeStep points a site's XMPP federation route at an Edge pool (runbook
// step 3), or clears it. Undo puts the old route back.
func routeStep(c Config, id string, seed int, site, param string, before, after lync.Route, deps []string) *Step {
	title := fmt.Sprintf("Point the XMPP federation route of site %s at %s", site, showRoute(after))
	if after.IsZero() {
		title = fmt.Sprintf("Clear the XMPP federation route of site %s", site)
	}
	s := &Step{
		ID:        id,
		SeedStep:  seed,
		Title:     title,
		DependsOn: deps,
		Changes:   []Change{{Kind: Modify, Resource: "XMPP route of site " + site, Before: showRoute(before), After: showRoute(after)}},
		Commands:  []string{routeCommand(site, param, before, after)},
		Undo:      "set the route back to " + showRoute(before),
	}
	if before.IsZero() {
		s.Changes[0].Kind, s.Changes[0].Before = Create, ""
	} else if after.IsZero() {
		s.Changes[0].Kind, s.Changes[0].After = Delete, ""
	}
	s.do = func(ctx context.Context, p *progress) error {
		ctx, cancel := context.WithTimeout(ctx, c.Timeouts.Command)
		defer cancel()
		return setRoute(ctx, c.Management, site, before, after)
	}
	s.undo = func(ctx context.Context, p *progress) error {
		ctx, cancel := context.WithTimeout(ctx, c.Timeouts.Command)
		defer cancel()
		return setRoute(ctx, c.Management, site, after, before)
	}
	s.inPlace = func(ctx context.Context) (bool, error) {
		cur, err := readRoute(ctx, c, site)
		return err == nil && cur.Equal(after), err
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
	s.do = func(ctx context.Context, p *progress) error {
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
