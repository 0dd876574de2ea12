package failovertest_test

import (
	"context"
	"testing"
	"time"

	"github.com/xmppfed/edgefailover/failover/failovertest"
	"github.com/xmppfed/edgefailover/lync"
	"github.com/xmppfed/edgefailover/lync/lynctest"
)

// TestPollWaitsPolls: Options.PollWaits is the "before" of issue 17's
// figures, so it must change how a wait runs: one script that blocks on the
// host by default, one read per poll with PollWaits. Without this test the
// option is checked only by the benchmarks.
func TestPollWaitsPolls(t *testing.T) {
	t.Parallel()
	scripts := map[bool]int{}
	for _, pollWaits := range []bool{false, true} {
		lab := failovertest.Start(t, failovertest.Options{ServersPerPool: 1,
			Latency: lynctest.Latency{ServiceStop: 200 * time.Millisecond}, PollWaits: pollWaits})
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		host := "edge2a.contoso.com"
		c, err := lab.OpenServer(ctx, host)
		if err != nil {
			t.Fatal(err)
		}
		if err := c.Services.Stop(ctx, host, lync.StopOptions{NoWait: true}); err != nil {
			t.Fatal(err)
		}
		lab.Deployment().ResetCounters()
		if _, err := c.Services.WaitState(ctx, host, lync.ServiceStopped, 5*time.Millisecond); err != nil {
			t.Fatal(err)
		}
		scripts[pollWaits] = lab.Deployment().Counters().Scripts
	}
	if scripts[false] > 2 || scripts[true] < 5 {
		t.Errorf("scripts for a 200 ms stop wait, 5 ms poll: %d on the host, %d with PollWaits; want at most 2 and at least 5", scripts[false], scripts[true])
	}
}
