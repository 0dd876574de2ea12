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
// figures, so it must change how a wait runs: a script that loops on the
// host (Start-Sleep between reads) by default, one read per poll and no
// host loop with PollWaits. Without this test the option is checked only by
// the benchmarks. The stop never settles by itself: the test settles it
// once the wait has shown its kind (a host sleep, or three polls), so
// nothing here depends on how fast the machine is.
func TestPollWaitsPolls(t *testing.T) {
	t.Parallel()
	for _, pollWaits := range []bool{false, true} {
		lab := failovertest.Start(t, failovertest.Options{ServersPerPool: 1,
			Latency: lynctest.Latency{ServiceStop: time.Hour}, PollWaits: pollWaits})
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		const host = "edge2a.contoso.com"
		d := lab.Deployment()
		c, err := lab.OpenServer(ctx, host)
		if err != nil {
			t.Fatal(err)
		}
		if err := c.Services.Stop(ctx, host, lync.StopOptions{NoWait: true}); err != nil {
			t.Fatal(err)
		}
		d.ResetCounters()
		waited := make(chan error, 1)
		go func() {
			_, err := c.Services.WaitState(ctx, host, lync.ServiceStopped, 5*time.Millisecond)
			waited <- err
		}()
		shown := func() bool {
			cs := d.Counters()
			if pollWaits {
				return cs.Scripts >= 3
			}
			return cs.Cmdlets["Start-Sleep"] > 0
		}
		for !shown() {
			select {
			case err := <-waited:
				t.Fatalf("PollWaits %v: wait ended before the stop settled: %v", pollWaits, err)
			case <-ctx.Done():
				t.Fatalf("PollWaits %v: the wait never showed its kind: %+v", pollWaits, d.Counters())
			case <-time.After(2 * time.Millisecond):
			}
		}
		for name := range d.Snapshot().Services[host] {
			if err := d.SetServiceStatus(host, name, lynctest.Stopped); err != nil {
				t.Fatal(err)
			}
		}
		if err := <-waited; err != nil {
			t.Fatalf("PollWaits %v: %v", pollWaits, err)
		}
		cs := d.Counters()
		sleeps, reads := cs.Cmdlets["Start-Sleep"], cs.Cmdlets["Get-CsWindowsService"]
		t.Logf("PollWaits %v: %d scripts, %d reads, %d host sleeps", pollWaits, cs.Scripts, reads, sleeps)
		switch {
		case pollWaits && (sleeps != 0 || reads != cs.Scripts):
			t.Errorf("PollWaits: %d host sleeps, %d reads in %d scripts; want no host loop, one read per script", sleeps, reads, cs.Scripts)
		case !pollWaits && sleeps == 0:
			t.Errorf("host waits: no Start-Sleep on the host in %d scripts", cs.Scripts)
		}
	}
}
