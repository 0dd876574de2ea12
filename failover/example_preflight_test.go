package failover_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/xmppfed/edgefailover/failover"
	"github.com/xmppfed/edgefailover/failover/failovertest"
)

// A certificate without one SIP domain is found before the first change:
// New refuses the plan with findings that say what to fix, and nothing in
// the deployment was touched.
func ExamplePreflightError() {
	lab, cfg := labWith(failovertest.FaultMissingSAN)
	defer lab.Close()
	_, err := failover.New(context.Background(), cfg)
	var pe *failover.PreflightError
	if errors.As(err, &pe) {
		for _, f := range pe.Findings {
			if f.Severity != failover.SeverityOK {
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

// A warning refuses the plan unless the caller accepts it; an accepted
// warning is shown in the dry run.
func ExamplePreflight_acceptWarnings() {
	lab, cfg := labWith(failovertest.FaultNoPartners)
	defer lab.Close()
	_, err := failover.New(context.Background(), cfg)
	fmt.Println("refused:", errors.Is(err, failover.ErrPreflightFindings))

	cfg.Preflight.AcceptWarnings = []failover.Check{failover.CheckPartners}
	plan, err := failover.New(context.Background(), cfg)
	if err != nil {
		log.Fatal(err)
	}
	defer plan.Close()
	for _, f := range plan.Findings {
		if f.Check == failover.CheckPartners {
			fmt.Println(f)
		}
	}
	// Output:
	// refused: true
	// [warning, accepted] xmpp-partners Global: no XMPP allowed partner: no XMPP domain can federate with this deployment (fix: add the partners with New-CsXmppAllowedPartner, or accept the warning when none is meant to exist yet)
}

// labWith starts a lab with one preflight fault and returns it with its
// failover config.
func labWith(f failovertest.PreflightFault) (*failovertest.Lab, failover.Config) {
	lab, err := failovertest.New(failovertest.Options{PreflightFaults: []failovertest.PreflightFault{f}})
	if err != nil {
		log.Fatal(err)
	}
	cfg, err := lab.FailoverConfig(context.Background())
	if err != nil {
		lab.Close()
		log.Fatal(err)
	}
	return lab, cfg
}
