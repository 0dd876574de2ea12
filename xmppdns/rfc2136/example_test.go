package rfc2136_test

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"time"

	"github.com/libdns/libdns"
	"github.com/miekg/dns"
	"github.com/xmppfed/edgefailover/xmppdns/dnstest"
	"github.com/xmppfed/edgefailover/xmppdns/rfc2136"
)

// Write the federation SRV record and the host it names in one UPDATE, then
// read the SRV set back.
func Example() {
	srv := dnstest.NewServer("example.test", "$TTL 300\n@ SOA ns1 hostmaster 1 3600 600 86400 60\n@ NS ns1\nns1 A 192.0.2.53\n")
	defer srv.Close()
	key := srv.Key()
	p := &rfc2136.Provider{Server: srv.Addr, KeyName: key.Name, Secret: rfc2136.Secret(key.Secret)}
	ctx := context.Background()

	_, err := p.SetRecords(ctx, "example.test.", []libdns.Record{
		libdns.SRV{Service: "xmpp-server", Transport: "tcp", Name: "@", TTL: 5 * time.Minute,
			Priority: 10, Port: 5269, Target: "xmpp.example.test."},
		libdns.Address{Name: "xmpp", TTL: 5 * time.Minute, IP: netip.MustParseAddr("192.0.2.10")},
	})
	if err != nil {
		panic(err)
	}
	recs, err := p.GetRRset(ctx, "example.test.", "_xmpp-server._tcp", "SRV")
	if err != nil {
		panic(err)
	}
	for _, r := range recs {
		s := r.(libdns.SRV)
		fmt.Println(s.Service, s.Transport, s.Name, s.Priority, s.Port, s.Target)
	}
	fmt.Println("UPDATE messages:", srv.Count(dns.OpcodeUpdate))
	fmt.Println(strings.Replace(p.String(), srv.Addr, "ADDR", 1))
	// Output:
	// xmpp-server tcp @ 10 5269 xmpp.example.test.
	// UPDATE messages: 1
	// rfc2136.Provider{Server:ADDR Net: KeyName:update-key. Algorithm: Secret:REDACTED Timeout:0s}
}

// Repoint the federation host only if nobody changed it since it was read.
func ExampleProvider_SetRRsetIf() {
	srv := dnstest.NewServer("example.test", "$TTL 300\n@ SOA ns1 hostmaster 1 3600 600 86400 60\n@ NS ns1\nns1 A 192.0.2.53\n")
	defer srv.Close()
	key := srv.Key()
	p := &rfc2136.Provider{Server: srv.Addr, KeyName: key.Name, Secret: rfc2136.Secret(key.Secret)}
	ctx := context.Background()
	host := func(ip string) []libdns.Record {
		return []libdns.Record{libdns.Address{Name: "xmpp", TTL: time.Minute, IP: netip.MustParseAddr(ip)}}
	}
	_, _ = p.SetRecords(ctx, "example.test.", host("192.0.2.10"))

	old, _ := p.GetRRset(ctx, "example.test.", "xmpp", "A")
	fmt.Println(p.SetRRsetIf(ctx, "example.test.", "xmpp", "A", old, host("192.0.2.20")))

	// old is stale now: the second repoint is refused and writes nothing.
	err := p.SetRRsetIf(ctx, "example.test.", "xmpp", "A", old, host("192.0.2.30"))
	fmt.Println(errors.Is(err, rfc2136.ErrConflict), errors.Is(err, rfc2136.ErrNXRRSet))
	now, _ := p.GetRRset(ctx, "example.test.", "xmpp", "A")
	fmt.Println(now[0].(libdns.Address).IP)
	// Output:
	// <nil>
	// true true
	// 192.0.2.20
}
