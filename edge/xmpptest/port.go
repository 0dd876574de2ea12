package xmpptest

import (
	"math/rand/v2"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
)

// held is the set of ports that Servers of this process own, listening or
// stopped, until they are closed. listenFirst never picks one: a stopped
// server's port is free to the kernel, and a test that runs many labs at
// once (the failover exploration runs hundreds) would otherwise pick it
// for another server now and then, and the first server's Start would
// fail with "address already in use".
var held struct {
	sync.Mutex
	ports map[int]bool
}

// hold marks the port of addr as owned by a Server of this process.
func hold(addr string) {
	port := portOf(addr)
	held.Lock()
	defer held.Unlock()
	if held.ports == nil {
		held.ports = make(map[int]bool)
	}
	held.ports[port] = true
}

// release gives the port of addr back when its Server closes.
func release(addr string) {
	port := portOf(addr)
	held.Lock()
	defer held.Unlock()
	delete(held.ports, port)
}

// isHeld reports whether a Server of this process owns port.
func isHeld(port int) bool {
	held.Lock()
	defer held.Unlock()
	return held.ports[port]
}

// portOf returns the port of a host:port, or 0.
func portOf(addr string) int {
	_, p, err := net.SplitHostPort(addr)
	if err != nil {
		return 0
	}
	n, _ := strconv.Atoi(p)
	return n
}

// listenFirst binds the first listener of a server. It prefers a port below
// the kernel's ephemeral range: a stopped server's port is free until Start
// binds it again, and a port from the ephemeral range could meanwhile be
// taken as the source port of any outgoing connection on the machine. Where
// the range is unknown, or no such port is free, it takes any free port.
// It skips the ports other Servers of this process hold (see held); other
// processes can still take a stopped server's port, rarely, as the ranges
// are wide and each process holds few.
func listenFirst() (net.Listener, error) {
	if low := ephemeralLow(); low > 2048 {
		for range 20 {
			port := 1024 + rand.IntN(low-1024)
			if isHeld(port) {
				continue
			}
			if ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port))); err == nil {
				return ln, nil
			}
		}
	}
	return net.Listen("tcp", "127.0.0.1:0")
}

// ephemeralLow returns the first port of Linux's ephemeral range, or 0.
func ephemeralLow() int {
	b, err := os.ReadFile("/proc/sys/net/ipv4/ip_local_port_range")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(b))
	if len(f) < 1 {
		return 0
	}
	n, err := strconv.Atoi(f[0])
	if err != nil {
		return 0
	}
	return n
}
