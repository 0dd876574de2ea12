package xmppdns_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/miekg/dns"
	"github.com/xmppfed/edgefailover/xmppdns"
	"github.com/xmppfed/edgefailover/xmppdns/dnstest"
)

// Check the federation records on every authoritative server of the zone.
// The two name servers run in process on loopback ports, so Addrs maps
// their names to those ports; a real check leaves Addrs empty and gives
// Resolvers that see the public view.
func ExampleAuthoritative_Check() {
	zone, err := dnstest.ParseZone("contoso.test", `
$TTL 300
@    IN SOA ns1 hostmaster 1 3600 600 86400 60
@    IN NS  ns1
@    IN NS  ns2
ns1  IN A   192.0.2.53
ns2  IN A   198.51.100.53
_xmpp-server._tcp IN SRV 10 0 5269 edgepool2.contoso.test.
_xmpp-server._tcp IN SRV 20 0 5269 edgepool1.contoso.test.
xmpp IN A   192.0.2.20
`)
	if err != nil {
		panic(err)
	}
	cluster, err := dnstest.StartCluster(dnstest.Config{Zones: []*dnstest.Zone{zone}}, 1)
	if err != nil {
		panic(err)
	}
	defer cluster.Close()

	a := &xmppdns.Authoritative{
		Resolvers: []string{cluster.Primary.Addr},
		Addrs: map[string]string{
			"ns1.contoso.test": cluster.Addrs()[0],
			"ns2.contoso.test": cluster.Addrs()[1],
		},
	}
	rep, err := a.Check(context.Background(),
		xmppdns.RRset{Name: "_xmpp-server._tcp.contoso.test.", Type: "SRV", Data: []string{
			"10 0 5269 edgepool2.contoso.test.", "20 0 5269 edgepool1.contoso.test.",
		}},
		xmppdns.RRset{Name: "xmpp.contoso.test.", Type: "A", Data: []string{"192.0.2.99"}},
	)
	if err != nil {
		panic(err)
	}
	fmt.Println("zone:", rep.Zone)
	for _, s := range rep.Servers {
		for _, set := range s.Sets {
			fmt.Println(s.Host, set.Type, set.Seen, "match:", set.Match)
		}
	}
	fmt.Println("converged:", rep.Converged)
	// Output:
	// zone: contoso.test.
	// ns1.contoso.test. SRV [10 0 5269 edgepool2.contoso.test. 20 0 5269 edgepool1.contoso.test.] match: true
	// ns1.contoso.test. A [192.0.2.20] match: false
	// ns2.contoso.test. SRV [10 0 5269 edgepool2.contoso.test. 20 0 5269 edgepool1.contoso.test.] match: true
	// ns2.contoso.test. A [192.0.2.20] match: false
	// converged: false
}

// Resolve a domain as a remote XMPP server would: SRV records in priority
// order, the pool with the lowest number first.
func ExampleResolver_Candidates() {
	srv := dnstest.NewServer("contoso.test", `
$TTL 300
@    IN SOA ns1 hostmaster 1 3600 600 86400 60
@    IN NS  ns1
ns1  IN A   192.0.2.53
_xmpp-server._tcp IN SRV 10 0 5269 edgepool2.contoso.test.
_xmpp-server._tcp IN SRV 20 0 5269 edgepool1.contoso.test.
xmpp IN A   192.0.2.20
`)
	defer srv.Close()

	r := &xmppdns.Resolver{Servers: []string{srv.Addr}, Rand: rand.New(rand.NewPCG(1, 2))}
	cands, err := r.Candidates(context.Background(), "contoso.test")
	if err != nil {
		panic(err)
	}
	for _, c := range cands {
		fmt.Printf("%s:%d priority %d\n", c.Host, c.Port, c.Priority)
	}
	// A domain without SRV records falls back to itself on port 5269.
	cands, err = r.Candidates(context.Background(), "xmpp.contoso.test")
	if err != nil {
		panic(err)
	}
	fmt.Printf("%s:%d from SRV: %v\n", cands[0].Host, cands[0].Port, cands[0].FromSRV)
	// Output:
	// edgepool2.contoso.test:5269 priority 10
	// edgepool1.contoso.test:5269 priority 20
	// xmpp.contoso.test:5269 from SRV: false
}

// The SRV set of the runbook's disaster-recovery tip: every Edge pool, each
// with its own priority, the pool that hosts XMPP federation now first.
func ExamplePrioritized() {
	srvs, err := xmppdns.Prioritized("edgepool2.contoso.com.", "edgepool1.contoso.com.")
	if err != nil {
		panic(err)
	}
	for _, s := range srvs {
		fmt.Println(s)
	}
	// Output:
	// 10 0 5269 edgepool2.contoso.com.
	// 20 0 5269 edgepool1.contoso.com.
}

// Wait until every authoritative server serves a repoint: the secondary
// follows the primary 100 ms late, and WaitConverged polls every 20 ms until
// both agree (or the context ends).
func ExampleAuthoritative_WaitConverged() {
	zone, err := dnstest.ParseZone("contoso.test", `
$TTL 300
@    IN SOA ns1 hostmaster 1 3600 600 86400 60
@    IN NS  ns1
@    IN NS  ns2
ns1  IN A   192.0.2.53
ns2  IN A   198.51.100.53
_xmpp-server._tcp IN SRV 10 0 5269 edgepool2.contoso.test.
_xmpp-server._tcp IN SRV 20 0 5269 edgepool1.contoso.test.
xmpp IN A   192.0.2.20
`)
	if err != nil {
		panic(err)
	}
	cluster, err := dnstest.StartCluster(dnstest.Config{Zones: []*dnstest.Zone{zone}, Lag: 100 * time.Millisecond}, 1)
	if err != nil {
		panic(err)
	}
	defer cluster.Close()
	a := &xmppdns.Authoritative{
		Resolvers: []string{cluster.Primary.Addr},
		Addrs:     map[string]string{"ns1.contoso.test": cluster.Addrs()[0], "ns2.contoso.test": cluster.Addrs()[1]},
	}

	// The repoint lands on the primary (here directly; in real life through
	// Zone.SetAddrs).
	rr, _ := dns.NewRR("xmpp.contoso.test. 300 IN A 192.0.2.99")
	if err := zone.SetRRset("xmpp.contoso.test.", dns.TypeA, rr); err != nil {
		panic(err)
	}
	want := xmppdns.RRset{Name: "xmpp.contoso.test.", Type: "A", Data: []string{"192.0.2.99"}}

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	rep, err := a.WaitConverged(ctx, 20*time.Millisecond, want)
	if err != nil {
		panic(err)
	}
	fmt.Println("converged:", rep.Converged)
	for _, s := range rep.Servers {
		fmt.Println(s.Host, s.Sets[0].Seen)
	}
	// Output:
	// converged: true
	// ns1.contoso.test. [192.0.2.99]
	// ns2.contoso.test. [192.0.2.99]
}
