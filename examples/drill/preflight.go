package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/go-cmp/cmp"
	"github.com/miekg/dns"

	"github.com/xmppfed/edgefailover/examples/internal/labfaults"
	"github.com/xmppfed/edgefailover/failover"
	"github.com/xmppfed/edgefailover/failover/failovertest"
	"github.com/xmppfed/edgefailover/failover/preflight"
)

// refused injects a preflight fault before the plan is built and shows
// failover.New refusing it: its findings, and that nothing changed (no
// route write, no service stop or start, no DNS update, the lab as before).
func (d *drill) refused(ctx context.Context, cfg failover.Config) error {
	if err := labfaults.Inject(d.lab, d.o.fault); err != nil {
		return fmt.Errorf("injecting %s: %w", d.o.fault, err)
	}
	d.printf("\nfault injected before the plan is built: %s (%s)\n", d.o.fault, labfaults.Describe(d.o.fault))
	before, err := d.lab.Snapshot(ctx)
	if err != nil {
		return err
	}
	n0 := changes(d.lab)
	plan, err := failover.New(ctx, cfg)
	if err == nil {
		plan.Close()
		return fmt.Errorf("%s: failover.New accepted the plan", d.o.fault)
	}
	var pe *preflight.Error
	if !errors.As(err, &pe) || len(pe.Findings) == 0 {
		return fmt.Errorf("building the plan: %w", err)
	}
	d.doc.Findings = pe.Findings
	d.printf("\n== plan refused before any change ==\n%v\n", err)
	for _, f := range pe.Findings {
		d.printf("  %s\n", f)
		if f.Severity != preflight.SeverityOK && !f.Accepted {
			d.sum.Findings = append(d.sum.Findings, f.String())
		}
	}
	after, err := d.lab.Snapshot(ctx)
	if err != nil {
		return err
	}
	unchanged := cmp.Equal(before, after)
	d.sum.Refused, d.sum.RefusedChanges, d.sum.LabUnchanged = true, changes(d.lab)-n0, &unchanged
	return nil
}

// changes counts what a plan changes in the lab: route writes, service
// stops and starts (cmdlets run), and DNS updates on the primary.
func changes(lab *failovertest.Lab) int {
	c := lab.Deployment().Counters().Cmdlets
	return c["Set-CsSite"] + c["Stop-CsWindowsService"] + c["Start-CsWindowsService"] + lab.DNS().Primary.Count(dns.OpcodeUpdate)
}
