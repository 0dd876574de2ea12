package failovertest_test

import (
	"context"
	"errors"
	"net"
	"syscall"
	"testing"

	"github.com/xmppfed/edgefailover/failover/failovertest"
)

func TestDial(t *testing.T) {
	t.Parallel()
	lab := failovertest.Start(t, failovertest.Options{})
	pool1, _ := lab.Pool(failovertest.SourcePool)
	tests := []struct {
		network, addr string
		want          string // "ok", "refused", "notfound", "other"
	}{
		{"tcp", "192.0.2.10:5269", "ok"},
		{"tcp4", "[::ffff:192.0.2.10]:5269", "ok"},
		{"tcp", "edgepool1.contoso.com:5269", "ok"},
		{"tcp", "EDGEPOOL1.contoso.com.:5269", "ok"},
		{"tcp", "access1.contoso.com:5269", "ok"},
		{"tcp", "xmpp.contoso.com:5269", "ok"}, // through the lab's DNS
		{"tcp", "192.0.2.20:5269", "refused"},  // pool 2 down
		{"tcp", "access2.contoso.com:5269", "refused"},
		{"tcp", "192.0.2.10:5222", "refused"}, // another port
		{"tcp", "192.0.2.10:0", "refused"},
		{"tcp", "198.51.100.1:5269", "refused"},   // not a pool
		{"tcp", pool1.Listener.Addr(), "refused"}, // loopback address: not a lab address
		{"tcp", "nowhere.contoso.com:5269", "notfound"},
		{"tcp", "example.net:5269", "notfound"}, // outside the lab's zones: REFUSED everywhere
		{"tcp", "bad name!:5269", "notfound"},
		{"udp", "192.0.2.10:5269", "other"},
		{"tcp", "192.0.2.10", "other"},
	}
	for _, tt := range tests {
		conn, err := lab.Dial(context.Background(), tt.network, tt.addr)
		var dnsErr *net.DNSError
		got := "other"
		switch {
		case err == nil:
			got = "ok"
			if ra := conn.RemoteAddr().String(); ra != "192.0.2.10:5269" {
				t.Errorf("Dial(%s, %s): RemoteAddr %s, want the pool's external address 192.0.2.10:5269", tt.network, tt.addr, ra)
			}
			conn.Close()
		case errors.Is(err, syscall.ECONNREFUSED):
			got = "refused"
		case errors.As(err, &dnsErr) && dnsErr.IsNotFound:
			got = "notfound"
		}
		if got != tt.want {
			t.Errorf("Dial(%s, %s) = %v (%s), want %s", tt.network, tt.addr, err, got, tt.want)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := lab.Dial(ctx, "tcp", "192.0.2.10:5269"); !errors.Is(err, context.Canceled) {
		t.Errorf("Dial(cancelled) = %v, want context.Canceled", err)
	}
}
