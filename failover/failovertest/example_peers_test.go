package failovertest_test

import (
	"context"
	"fmt"
	"time"

	"github.com/xmppfed/edgefailover/failover"
	"github.com/xmppfed/edgefailover/failover/failovertest"
)

// ExampleLab_StartPeers measures the outage as five remote XMPP servers see
// it: the source pool dies, a failover moves the A record (TTL 300 s, here
// 0.3 s), and each peer federates again once its cache let go of the old
// address and the target pool serves.
func ExampleLab_StartPeers() {
	lab, err := failovertest.New(failovertest.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer lab.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	peers, err := lab.StartPeers(ctx, failovertest.PeerOptions{Scale: 0.001}) // 1 s = 1 ms
	if err != nil {
		fmt.Println(err)
		return
	}
	defer peers.Close()
	peers.MarkOutage()
	if err := lab.FailPool(failovertest.SourcePool); err != nil {
		fmt.Println(err)
		return
	}
	cfg, err := lab.FailoverConfig(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	plan, err := failover.New(ctx, cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer plan.Close()
	if _, err := plan.Apply(ctx, failover.ApplyOptions{}); err != nil {
		fmt.Println(err)
		return
	}
	if err := peers.Wait(ctx); err != nil {
		fmt.Println(err)
		return
	}
	p50, max, n := failovertest.Summary(peers.Outages())
	fmt.Printf("%d of 5 peers federate again; p50 <= max: %v\n", n, p50 <= max)
	// Output:
	// 5 of 5 peers federate again; p50 <= max: true
}
