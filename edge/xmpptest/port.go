package xmpptest

import (
	"math/rand/v2"
	"net"
	"os"
	"strconv"
	"strings"
)

// listenFirst binds the first listener of a server. It prefers a port below
// the kernel's ephemeral range: a stopped server's port is free until Start
// binds it again, and a port from the ephemeral range could meanwhile be
// taken as the source port of any outgoing connection on the machine. Where
// the range is unknown, or no such port is free, it takes any free port.
func listenFirst() (net.Listener, error) {
	if low := ephemeralLow(); low > 2048 {
		for range 20 {
			port := 1024 + rand.IntN(low-1024)
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
