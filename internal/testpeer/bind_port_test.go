package testpeer

import (
	"net"
	"strconv"
	"testing"
	"time"

	"github.com/miekg/dns"
)

// TestStartBINDOnATakenPort: a port freePort found free can be taken by
// another test's named before this one binds it (parallel tests, two
// processes). named shares the port instead of failing (SO_REUSEADDR on UDP,
// the TCP listener staying with the first), so a start that only waits for
// a SOA answer, which the other named gives for the same zone, returns a
// BIND whose queries reach the other server. StartBIND must notice and move
// to another port.
func TestStartBINDOnATakenPort(t *testing.T) {
	named := Require(t, "named", "bind9")
	const text = "$TTL 300\n@ IN SOA ns1 hostmaster 1 3600 600 86400 60\n@ IN NS ns1\nns1 IN A 127.0.0.1\n"
	first := newBIND(t, "example.test")
	first.start(t, named, text)
	_, p, _ := net.SplitHostPort(first.Addr)
	taken, _ := strconv.Atoi(p)

	second := newBIND(t, "example.test")
	second.firstPort = taken // as if freePort had raced with the first named
	second.start(t, named, text)
	if second.Addr == first.Addr {
		t.Fatalf("second named started on %s, the port of the first", second.Addr)
	}
	// Each answers for itself: a signed update to one is not seen by the
	// other, over TCP and UDP.
	for _, b := range []*BIND{first, second} {
		for _, network := range []string{"udp", "tcp"} {
			m := new(dns.Msg)
			m.SetQuestion("id.server.", dns.TypeTXT)
			m.Question[0].Qclass = dns.ClassCHAOS
			r, _, err := (&dns.Client{Net: network, Timeout: 2 * time.Second}).Exchange(m, b.Addr)
			if err != nil || len(r.Answer) != 1 || r.Answer[0].(*dns.TXT).Txt[0] != b.id {
				t.Errorf("%s id.server at %s: %v %v, want %s", network, b.Addr, r, err, b.id)
			}
		}
	}
}
