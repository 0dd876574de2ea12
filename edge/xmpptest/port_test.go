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

// A stopped server keeps its port from every other Server of the process
// until it is closed: many servers started while it is stopped never take
// it, and its Start binds it again.
func TestStoppedPortIsHeld(t *testing.T) {
	t.Parallel()
	s, err := NewServer(Config{Domains: []string{"contoso.com"}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	port := portOf(s.Addr())
	s.Stop()
	if !isHeld(port) {
		t.Fatalf("port %d of a stopped server is not held", port)
	}
	for range 50 {
		o, err := NewServer(Config{Domains: []string{"fabrikam.com"}})
		if err != nil {
			t.Fatal(err)
		}
		if portOf(o.Addr()) == port {
			t.Errorf("another server took the stopped server's port %d", port)
		}
		o.Close()
	}
	if err := s.Start(); err != nil {
		t.Fatalf("restart on the held port: %v", err)
	}
	s.Close()
	if isHeld(port) {
		t.Errorf("port %d still held after Close", port)
	}
}
