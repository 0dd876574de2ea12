package failover

import (
	"context"
	"fmt"
	"strings"

	"github.com/xmppfed/edgefailover/failover/preflight"
)

// runChecks runs the preflight checks on the target pool New opened, and
// refuses the plan (a *preflight.Error matching preflight.ErrFindings)
// when one blocks.
func runChecks(ctx context.Context, c Config, l *live) ([]preflight.Finding, error) {
	t := preflight.Target{Management: c.Management, Pool: c.TargetPool, EdgeService: &l.edge,
		Names: []string{c.FederationHost}, Servers: l.pool.Servers(), IMReceiver: c.Verify.IMReceiver, Options: c.Preflight}
	for _, d := range c.Domains {
		t.Names = append(t.Names, d.Name)
	}
	fs, err := preflight.CheckTarget(ctx, t)
	if err != nil {
		return nil, &preflight.Error{Check: "preflight checks of " + c.TargetPool, Err: err}
	}
	return fs, preflight.Verdict(fs)
}

// writeFindings writes the preflight findings of the dry run.
func writeFindings(b *strings.Builder, fs []preflight.Finding) {
	if len(fs) == 0 {
		return
	}
	b.WriteString("\nPreflight checks:\n")
	for _, f := range fs {
		fmt.Fprintf(b, "  %s\n", f)
	}
}
