package failovertest_test

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/xmppfed/edgefailover/failover/failovertest"
)

// FuzzDial feeds arbitrary addresses to the lab's dialer (they come from DNS
// answers and configuration): it must never panic, connect only to the
// listener of a running pool, and fail otherwise with a refused connection,
// a *net.DNSError or a *net.OpError.
func FuzzDial(f *testing.F) {
	for _, s := range []string{
		"192.0.2.10:5269", "[::ffff:192.0.2.10]:5269", "edgepool1.contoso.com:5269", "xmpp.contoso.com.:5269",
		"192.0.2.20:5269", "xmpp.contoso.com:05269", "[fe80::1%eth0]:5269", ":5269", "x:", "a..b:5269",
		"_xmpp-server._tcp.contoso.com:5269", "ns1.contoso.com:5269", "127.0.0.1:5269",
	} {
		f.Add("tcp", s)
	}
	lab, err := failovertest.New(failovertest.Options{Nameservers: 1})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(lab.Close)
	pool1, _ := lab.Pool(failovertest.SourcePool)
	f.Fuzz(func(t *testing.T, network, addr string) {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		conn, err := lab.Dial(ctx, network, addr)
		if err == nil {
			defer conn.Close()
			remote, perr := netip.ParseAddrPort(conn.RemoteAddr().String())
			local := conn.LocalAddr().String()
			if perr != nil || remote != netip.AddrPortFrom(pool1.ExternalIP, 5269) || !strings.HasPrefix(local, "127.0.0.1:") {
				t.Fatalf("Dial(%q, %q) reached %v from %s, want only pool 1 (%s) over loopback", network, addr, conn.RemoteAddr(), local, pool1.ExternalIP)
			}
			return
		}
		var dnsErr *net.DNSError
		var opErr *net.OpError
		if !errors.Is(err, syscall.ECONNREFUSED) && !errors.As(err, &dnsErr) && !errors.As(err, &opErr) {
			t.Fatalf("Dial(%q, %q) = %T %v, want a refusal, *net.DNSError or *net.OpError", network, addr, err, err)
		}
	})
}
