package failover_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/xmppfed/edgefailover/failover"
	"github.com/xmppfed/edgefailover/failover/failovertest"
)

// Build a plan against a simulated deployment, print its changes (the dry
// run), apply it, and fail back.
func Example() {
	lab, err := failovertest.New(failovertest.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer lab.Close()
	ctx := context.Background()

	cfg, err := lab.FailoverConfig(ctx)
	if err != nil {
		log.Fatal(err)
	}
	plan, err := failover.New(ctx, cfg)
	if err != nil {
		log.Fatal(err)
	}
	defer plan.Close()
	for _, s := range plan.Steps {
		for _, c := range s.Changes {
			fmt.Println(c)
		}
	}

	report, err := plan.Apply(ctx, failover.ApplyOptions{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("failover:", report.State)

	backCfg, err := lab.FailbackConfig(ctx)
	if err != nil {
		log.Fatal(err)
	}
	back, err := failover.New(ctx, backCfg)
	if err != nil {
		log.Fatal(err)
	}
	defer back.Close()
	report, err = back.Apply(ctx, failover.ApplyOptions{})
	if err != nil {
		log.Fatal(err)
	}
	state, _ := lab.Snapshot(ctx)
	fmt.Println("failback:", report.State, "- xmpp.contoso.com A", state.DNS["xmpp.contoso.com. A"])
	// Output:
	// = ENSURE services of edge2a.contoso.com: 7 Running -> all Stopped
	// = ENSURE services of edge2b.contoso.com: 7 Running -> all Stopped
	// + CREATE XMPP route of site Site2: EdgeServer:edgepool2.contoso.com
	// = ENSURE services of edge2a.contoso.com: all Stopped -> all Running
	// = ENSURE services of edge2b.contoso.com: all Stopped -> all Running
	// ± MODIFY xmpp.contoso.com. A: 192.0.2.10 -> 192.0.2.20
	// failover: applied
	// failback: applied - xmpp.contoso.com A [xmpp.contoso.com. 300 IN A 192.0.2.10]
}

// A plan is a value: the dry run is printing it. Steps say which runbook step
// they implement and what they wait for.
func ExamplePlan_Steps() {
	lab, err := failovertest.New(failovertest.Options{ServersPerPool: 1, Domains: []string{"contoso.com"}})
	if err != nil {
		log.Fatal(err)
	}
	defer lab.Close()
	cfg, err := lab.FailoverConfig(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	cfg.Timeouts.Poll = 10 * time.Millisecond
	plan, err := failover.New(context.Background(), cfg)
	if err != nil {
		log.Fatal(err)
	}
	defer plan.Close()
	for _, s := range plan.Steps {
		fmt.Printf("%d %s %v\n", s.SeedStep, s.ID, s.DependsOn)
	}
	// Output:
	// 1 preflight []
	// 2 stop/edge2a.contoso.com [preflight]
	// 3 route/Site2 [preflight]
	// 7 start/edge2a.contoso.com [stop/edge2a.contoso.com route/Site2]
	// 0 replication/edge2a.contoso.com [start/edge2a.contoso.com]
	// 4 dns/contoso.com [preflight]
	// 0 verify/dns/contoso.com [dns/contoso.com]
	// 6 probe/5269 [route/Site2 start/edge2a.contoso.com replication/edge2a.contoso.com]
	// 0 verify/route [route/Site2]
	// 0 verify/services [probe/5269 start/edge2a.contoso.com]
	// 0 verify/remote/contoso.com [probe/5269 verify/dns/contoso.com]
}
