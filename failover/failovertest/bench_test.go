package failovertest_test

import (
	"context"
	"testing"

	"github.com/xmppfed/edgefailover/failover/failovertest"
)

// BenchmarkNewClose measures a lab's whole life: start every double, open
// the management client, close.
func BenchmarkNewClose(b *testing.B) {
	ctx := context.Background()
	for b.Loop() {
		lab, err := failovertest.New(failovertest.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := lab.Management(ctx); err != nil {
			b.Fatal(err)
		}
		lab.Close()
	}
}

// BenchmarkSnapshot measures one Snapshot (reconcile + state copy).
func BenchmarkSnapshot(b *testing.B) {
	lab, err := failovertest.New(failovertest.Options{ServersPerPool: 4})
	if err != nil {
		b.Fatal(err)
	}
	defer lab.Close()
	ctx := context.Background()
	for b.Loop() {
		if _, err := lab.Snapshot(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDialByName measures a dial through the lab's DNS (two queries)
// to a listener.
func BenchmarkDialByName(b *testing.B) {
	lab, err := failovertest.New(failovertest.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer lab.Close()
	ctx := context.Background()
	for b.Loop() {
		conn, err := lab.Dial(ctx, "tcp", "xmpp.contoso.com:5269")
		if err != nil {
			b.Fatal(err)
		}
		conn.Close()
	}
}
