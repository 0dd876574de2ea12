package dnstest_test

import (
	"fmt"
	"time"

	"github.com/miekg/dns"
	"github.com/xmppfed/edgefailover/xmppdns/dnstest"
)

// Serve a zone, change it with a signed UPDATE, and read the change back.
func Example() {
	// One call: the zone, a new TSIG key, both sockets bound.
	srv := dnstest.NewServer("example.test", `
$TTL 300
@    IN SOA ns1 hostmaster 1 3600 600 86400 60
@    IN NS  ns1
ns1  IN A   192.0.2.1
`)
	defer srv.Close()
	z, key := srv.Zone(), srv.Key()

	up := new(dns.Msg)
	up.SetUpdate("example.test.")
	srv1, _ := dns.NewRR("_xmpp-server._tcp.example.test. 300 IN SRV 10 0 5269 xmpp.example.test.")
	up.Insert([]dns.RR{srv1})
	up.SetTsig(key.Name, key.Algorithm, 300, time.Now().Unix())
	c := &dns.Client{Net: "tcp", TsigSecret: map[string]string{key.Name: key.Secret}}
	r, _, err := c.Exchange(up, srv.Addr)
	if err != nil {
		panic(err)
	}
	fmt.Println("update:", dns.RcodeToString[r.Rcode], "serial:", z.Serial())

	q := new(dns.Msg)
	q.SetQuestion("_xmpp-server._tcp.example.test.", dns.TypeSRV)
	r, _, _ = new(dns.Client).Exchange(q, srv.Addr)
	fmt.Println("authoritative:", r.Authoritative)
	fmt.Println(r.Answer[0])
	fmt.Println("updates received:", srv.Count(dns.OpcodeUpdate))
	// Output:
	// update: NOERROR serial: 2
	// authoritative: true
	// _xmpp-server._tcp.example.test.	300	IN	SRV	10 0 5269 xmpp.example.test.
	// updates received: 1
}

// A primary and two secondaries; the secondaries see changes after a lag.
func ExampleStartCluster() {
	z, _ := dnstest.NewZone("example.test")
	c, err := dnstest.StartCluster(dnstest.Config{Zones: []*dnstest.Zone{z}, Lag: time.Hour}, 2)
	if err != nil {
		panic(err)
	}
	defer c.Close()
	a, _ := dns.NewRR("xmpp.example.test. 60 IN A 192.0.2.10")
	_ = z.SetRRset("xmpp.example.test.", dns.TypeA, a)

	q := new(dns.Msg)
	q.SetQuestion("xmpp.example.test.", dns.TypeA)
	for i, addr := range c.Addrs() {
		r, _, _ := new(dns.Client).Exchange(q, addr)
		fmt.Println(i, dns.RcodeToString[r.Rcode], len(r.Answer))
	}
	// Output:
	// 0 NOERROR 1
	// 1 NXDOMAIN 0
	// 2 NXDOMAIN 0
}

// Make the next query for a name fail, then answer normally again.
func ExampleServer_Inject() {
	z, _ := dnstest.NewZone("example.test")
	srv, _ := dnstest.Start(dnstest.Config{Zones: []*dnstest.Zone{z}})
	defer srv.Close()
	srv.Inject(dnstest.Fault{Kind: dnstest.FaultServFail, Name: "example.test", Count: 1})

	q := new(dns.Msg)
	q.SetQuestion("example.test.", dns.TypeSOA)
	for range 2 {
		r, _, _ := new(dns.Client).Exchange(q, srv.Addr)
		fmt.Println(dns.RcodeToString[r.Rcode])
	}
	for _, e := range srv.Log() {
		fmt.Println(e.Net, e.Name, dns.TypeToString[e.Type], dns.RcodeToString[e.Rcode], e.Fault)
	}
	// Output:
	// SERVFAIL
	// NOERROR
	// udp example.test. SOA SERVFAIL SERVFAIL
	// udp example.test. SOA NOERROR none
}
