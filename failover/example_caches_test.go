package failover_test

import (
	"context"
	"fmt"
	"log"

	"github.com/xmppfed/edgefailover/failover"
	"github.com/xmppfed/edgefailover/failover/failovertest"
)

// ExamplePlan_CacheWindow shows the bound the dry run states: remote
// servers may keep reaching the old pool until the DNS write plus the old
// TTL of each RRset the plan moves.
func ExamplePlan_CacheWindow() {
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
	for _, b := range plan.Caches {
		fmt.Println(b)
	}
	fmt.Println("advice above", failover.CacheAdviceAbove, "- window", plan.CacheWindow())
	// Output:
	// xmpp.contoso.com. A: partners may reach the old pool (192.0.2.10) until write + 300 s (its old TTL), written by dns/contoso.com
	// advice above 5m0s - window 5m0s
}
