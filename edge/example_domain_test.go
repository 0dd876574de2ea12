package edge_test

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"time"

	"github.com/xmppfed/edgefailover/edge"
	"github.com/xmppfed/edgefailover/edge/xmpptest"
	"github.com/xmppfed/edgefailover/xmppdns"
)

// staticResolver stands in for an *xmppdns.Resolver: the SRV records of
// contoso.com name two Edge pools.
type staticResolver []xmppdns.Candidate

func (s staticResolver) Candidates(context.Context, string) ([]xmppdns.Candidate, error) {
	return s, nil
}

// Probe a domain the way a remote server reaches it: the preferred pool is
// down, the second answers.
func ExampleProbeDomain() {
	pool1, _ := xmpptest.NewServer(xmpptest.Config{Domains: []string{"contoso.com"}})
	defer pool1.Close()
	pool2, _ := xmpptest.NewServer(xmpptest.Config{Domains: []string{"contoso.com"}})
	defer pool2.Close()
	pool2.Stop() // its Edge services are stopped

	port := func(addr string) uint16 {
		_, p, _ := net.SplitHostPort(addr)
		n, _ := strconv.Atoi(p)
		return uint16(n)
	}
	r := staticResolver{
		{Host: "127.0.0.1", Port: port(pool2.Addr()), Priority: 10, FromSRV: true},
		{Host: "127.0.0.1", Port: port(pool1.Addr()), Priority: 20, FromSRV: true},
	}
	res, err := edge.ProbeDomain(context.Background(), r, "contoso.com",
		edge.ProbeConfig{From: "probe.example", Timeout: 5 * time.Second})
	if err != nil {
		panic(err)
	}
	for _, a := range res.Attempts {
		fmt.Printf("priority %d: connected %v, answered %v\n", a.Candidate.Priority, a.Result.Connected, a.Result.Answered())
	}
	fmt.Println("answered by priority", res.Answer().Candidate.Priority)
	// Output:
	// priority 10: connected false, answered false
	// priority 20: connected true, answered true
	// answered by priority 20
}
