package xmppdns_test

import (
	"context"
	"fmt"
	"net/netip"

	"github.com/miekg/dns"
	"github.com/xmppfed/edgefailover/xmppdns"
	"github.com/xmppfed/edgefailover/xmppdns/dnstest"
	"github.com/xmppfed/edgefailover/xmppdns/rfc2136"
)

// Repoint the XMPP federation SRV record of contoso.test at EdgePool2 (seed
// step 5), through the RFC 2136 provider, against an in-process DNS server.
// The returned change is what was done; its Before snapshot undoes it.
func ExampleZone_SetSRV() {
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

	key := srv.Key()
	p := &rfc2136.Provider{Server: srv.Addr, KeyName: key.Name, Secret: rfc2136.Secret(key.Secret)}
	z, err := xmppdns.NewZone("contoso.test.", p, xmppdns.ZoneOptions{})
	if err != nil {
		panic(err)
	}
	ctx := context.Background()
	ch, err := z.SetSRV(ctx, "contoso.test", xmppdns.SRV{Target: "edgepool2.contoso.test.", Port: xmppdns.DefaultPort, Priority: 10})
	if err != nil {
		panic(err)
	}
	fmt.Println(ch)
	got, _ := z.GetSRV(ctx, "contoso.test")
	fmt.Println("now:", got.Records)

	// Invalid input never reaches the server.
	_, err = z.SetSRV(ctx, "contoso.test", xmppdns.SRV{Target: "edgepool2", Port: 5269})
	fmt.Println(err)
	fmt.Println("UPDATE messages sent:", srv.Count(dns.OpcodeUpdate))
	// Output:
	// ± MODIFY _xmpp-server._tcp.contoso.test. SRV (10 0 5269 edgepool2.contoso.test., 20 0 5269 edgepool1.contoso.test. ttl=300) -> (10 0 5269 edgepool2.contoso.test. ttl=300)
	// now: [10 0 5269 edgepool2.contoso.test.]
	// xmppdns: invalid SRVSet.Records[0].Target "edgepool2": a fully qualified name needs at least two labels
	// UPDATE messages sent: 1
}

// Plan a failover of the federation records (the SRV set of two SIP domains
// and the A/AAAA set of the federation host), print it as a dry run, then
// apply it in one UPDATE.
func ExampleZone_Plan() {
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
	key := srv.Key()
	z, _ := xmppdns.NewZone("contoso.test.", &rfc2136.Provider{Server: srv.Addr, KeyName: key.Name, Secret: rfc2136.Secret(key.Secret)}, xmppdns.ZoneOptions{})

	pools, _ := xmppdns.Prioritized("edgepool1.contoso.test.", "edgepool2.contoso.test.")
	ctx := context.Background()
	ch, err := z.Plan(ctx,
		xmppdns.SRVSet{Domain: "contoso.test", Records: pools},
		xmppdns.SRVSet{Domain: "fabrikam.contoso.test", Records: pools},
		xmppdns.AddrSet{Host: "xmpp.contoso.test", IPs: []netip.Addr{netip.MustParseAddr("192.0.2.10")}},
	)
	if err != nil {
		panic(err)
	}
	fmt.Println(ch)
	if err := z.Apply(ctx, ch); err != nil {
		panic(err)
	}
	fmt.Println("UPDATE messages sent:", srv.Count(dns.OpcodeUpdate))
	// Output:
	// ± MODIFY _xmpp-server._tcp.contoso.test. SRV (10 0 5269 edgepool2.contoso.test., 20 0 5269 edgepool1.contoso.test. ttl=300) -> (10 0 5269 edgepool1.contoso.test., 20 0 5269 edgepool2.contoso.test. ttl=300)
	// + CREATE _xmpp-server._tcp.fabrikam.contoso.test. SRV 10 0 5269 edgepool1.contoso.test., 20 0 5269 edgepool2.contoso.test. ttl=300
	// ± MODIFY xmpp.contoso.test. A (192.0.2.20 ttl=300) -> (192.0.2.10 ttl=300)
	// UPDATE messages sent: 1
}
