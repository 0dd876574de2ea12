package preflight_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/xmppfed/edgefailover/failover"
	"github.com/xmppfed/edgefailover/failover/failovertest"
	"github.com/xmppfed/edgefailover/failover/preflight"
)

// A certificate without one SIP domain is found before the first change:
// failover.New refuses the plan with findings that say what to fix, and
// nothing in the deployment was touched.
func ExampleError() {
	lab, err := failovertest.New(failovertest.Options{PreflightFaults: []failovertest.PreflightFault{failovertest.FaultMissingSAN}})
	if err != nil {
		log.Fatal(err)
	}
	defer lab.Close()
	cfg, err := lab.FailoverConfig(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	_, err = failover.New(context.Background(), cfg)
	var pe *preflight.Error
	if errors.As(err, &pe) {
		for _, f := range pe.Findings {
			if f.Severity != preflight.SeverityOK {
				fmt.Println(f.Severity, f.Check, f.Subject)
				fmt.Println("  missing:", f.Certificate.Missing)
				fmt.Println("  fix:", f.Fix)
			}
		}
	}
	n := lab.Deployment().Counters().Cmdlets
	fmt.Println("changes:", n["Set-CsSite"]+n["Stop-CsWindowsService"]+n["Start-CsWindowsService"])
	// Output:
	// error certificate edge2a.contoso.com
	//   missing: [fabrikam.com]
	//   fix: reissue the certificate from a public CA with every SIP domain with XMPP users and the federation host as SANs, and assign it on every server of the pool
	// changes: 0
}

// A warning refuses the plan unless the caller accepts it
// (failover.Config.Preflight); an accepted warning is shown in the dry run.
func ExampleOptions_acceptWarnings() {
	lab, err := failovertest.New(failovertest.Options{PreflightFaults: []failovertest.PreflightFault{failovertest.FaultNoPartners}})
	if err != nil {
		log.Fatal(err)
	}
	defer lab.Close()
	cfg, err := lab.FailoverConfig(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	_, err = failover.New(context.Background(), cfg)
	fmt.Println("refused:", errors.Is(err, preflight.ErrFindings))

	cfg.Preflight.AcceptWarnings = []preflight.Check{preflight.CheckPartners}
	plan, err := failover.New(context.Background(), cfg)
	if err != nil {
		log.Fatal(err)
	}
	defer plan.Close()
	for _, f := range plan.Findings {
		if f.Check == preflight.CheckPartners {
			fmt.Println(f)
		}
	}
	// Output:
	// refused: true
	// [warning, accepted] xmpp-partners Global: no XMPP allowed partner: no XMPP domain can federate with this deployment (fix: add the partners with New-CsXmppAllowedPartner, or accept the warning when none is meant to exist yet)
}

// A health check runs the checks itself, without a plan: here from the
// management host only (no server clients, so no certificate finding),
// with the internal XMPP port closed on every Edge server.
func ExampleCheckTarget() {
	lab, err := failovertest.New(failovertest.Options{PreflightFaults: []failovertest.PreflightFault{failovertest.FaultPort23456}})
	if err != nil {
		log.Fatal(err)
	}
	defer lab.Close()
	ctx := context.Background()
	mgmt, err := lab.Management(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fs, err := preflight.CheckTarget(ctx, preflight.Target{Management: mgmt, Pool: "edgepool2.contoso.com",
		Options: preflight.Options{CheckReachability: true}})
	if err != nil {
		log.Fatal(err)
	}
	for _, f := range fs {
		fmt.Println(f.Severity, f.Check, f.Subject)
	}
	fmt.Println("blocks:", errors.Is(preflight.Verdict(fs), preflight.ErrFindings))
	// Output:
	// ok version edgepool2.contoso.com
	// ok access-edge Global
	// ok xmpp-partners Global
	// error reachability edge2a.contoso.com:23456
	// error reachability edge2b.contoso.com:23456
	// blocks: true
}
