package checkcmd

import (
	"context"
	"fmt"

	"github.com/xmppfed/edgefailover/failover/preflight"
	"github.com/xmppfed/edgefailover/lync"
)

// preflight runs failover's preflight checks on the expected pool from the
// management host (preflight.CheckTarget), so that the health check reports
// what a failover's New would find: product version, Access Edge
// configuration, XMPP partners, and the Front End's reach of each server's
// internal XMPP port. An error finding is a failed check; a warning passes
// with "warning:" in its detail (the deployment works; failover refuses it
// unless accepted). The certificates are read by Get-CsCertificate on each
// Edge server itself, which the check does not reach: that check is left
// out here (a "not run" would make every check incomplete); failover's dry
// run shows it. The reachability check tests the pool's computers as
// management read them (Get-CsPool); with nil (the read failed) it is not
// run, with an empty list (the pool has none) it is an error finding.
func (c *checker) preflight(ctx context.Context, cl *lync.Client, computers []string) []result {
	pool := c.o.expectPool
	bctx, cancel := c.budget(ctx)
	defer cancel()
	fs, err := preflight.CheckTarget(bctx, preflight.Target{Management: cl, Pool: pool, Computers: computers,
		Options: preflight.Options{CheckReachability: computers != nil}})
	if err != nil {
		return []result{c.callFailed(ctx, "preflight/"+pool, err)}
	}
	var out []result
	for _, f := range fs {
		name := fmt.Sprintf("preflight/%s/%s", f.Check, f.Subject)
		switch f.Severity {
		case preflight.SeverityError:
			out = append(out, failed(name, f.Message+" (fix: "+f.Fix+")", f))
		case preflight.SeverityWarning:
			out = append(out, ok(name, "warning: "+f.Message+" (fix: "+f.Fix+")", f))
		default:
			out = append(out, ok(name, f.Message, f))
		}
	}
	return out
}
