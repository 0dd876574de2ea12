package xmppdns_test

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"time"

	"github.com/libdns/libdns"
	"github.com/xmppfed/edgefailover/xmppdns"
	"github.com/xmppfed/edgefailover/xmppdns/memdns"
)

// Test a failover's DNS step without a DNS server: memdns is an in-memory
// libdns provider; its Conditional shape writes compare-and-set, as the
// rfc2136 provider does, and its hooks simulate another administrator
// changing the record between the plan and the write.
func ExampleConflictError() {
	ctx := context.Background()
	p := memdns.New("contoso.com.")
	p.Put("contoso.com.", libdns.Address{Name: "xmpp", TTL: 5 * time.Minute, IP: netip.MustParseAddr("192.0.2.10")})
	z, err := xmppdns.NewZone("contoso.com", memdns.Conditional{Provider: p}, xmppdns.ZoneOptions{})
	if err != nil {
		panic(err)
	}

	ch, err := z.Plan(ctx, xmppdns.AddrSet{Host: "xmpp.contoso.com", IPs: []netip.Addr{netip.MustParseAddr("192.0.2.20")}})
	if err != nil {
		panic(err)
	}
	fmt.Println(ch)

	// Someone else repoints the host after the plan read it.
	p.SetHooks(memdns.Hooks{BeforeWrite: func(put func(...libdns.Record)) {
		put(libdns.Address{Name: "xmpp", TTL: 5 * time.Minute, IP: netip.MustParseAddr("198.51.100.7")})
	}})
	err = z.Apply(ctx, ch)
	var ce *xmppdns.ConflictError
	fmt.Println("conflict:", errors.As(err, &ce), ce.Found.Data)
	fmt.Println("writes:", p.Writes())
	// Output:
	// ± MODIFY xmpp.contoso.com. A (192.0.2.10 ttl=300) -> (192.0.2.20 ttl=300)
	// conflict: true [198.51.100.7]
	// writes: [SetRRsetIf A]
}
