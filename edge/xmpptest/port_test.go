package xmpptest

import (
	"net"
	"strconv"
	"testing"
)

// A server's port lies below the ephemeral range, so that no outgoing
// connection can take it while the server is stopped.
func TestPortBelowEphemeralRange(t *testing.T) {
	t.Parallel()
	low := ephemeralLow()
	if low <= 2048 {
		t.Skipf("ephemeral port range unknown here (low bound %d): any free port is used", low)
	}
	s, err := NewServer(Config{Domains: []string{"contoso.com"}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	_, p, _ := net.SplitHostPort(s.Addr())
	if port, _ := strconv.Atoi(p); port < 1024 || port >= low {
		t.Errorf("port %d, want one in [1024, %d)", port, low)
	}
}
