package memdns_test

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"time"

	"github.com/libdns/libdns"
	"github.com/xmppfed/edgefailover/xmppdns/memdns"
)

// Seed a zone, replace an RRset the way a libdns provider does, and see a
// compare-and-set refused once someone else has changed the RRset.
func Example() {
	ctx := context.Background()
	p := memdns.New("contoso.test.")
	p.Put("contoso.test.", libdns.Address{Name: "xmpp", TTL: 5 * time.Minute, IP: netip.MustParseAddr("192.0.2.10")})

	// SetRecords makes its input the whole RRset (xmpp, A).
	_, err := p.SetRecords(ctx, "contoso.test.", []libdns.Record{
		libdns.Address{Name: "xmpp", TTL: 5 * time.Minute, IP: netip.MustParseAddr("192.0.2.20")},
	})
	fmt.Println("set:", err)

	// A fully qualified record name is refused, as libdns calls it invalid.
	_, err = p.SetRecords(ctx, "contoso.test.", []libdns.Record{
		libdns.Address{Name: "xmpp.contoso.test.", IP: netip.MustParseAddr("192.0.2.30")},
	})
	fmt.Println("absolute name:", err)

	// SetRRsetIf writes only if the RRset still holds what the caller read.
	c := memdns.Conditional{Provider: p}
	read := []libdns.Record{libdns.Address{Name: "xmpp", IP: netip.MustParseAddr("192.0.2.10")}}
	err = c.SetRRsetIf(ctx, "contoso.test.", "xmpp", "A", read, []libdns.Record{
		libdns.Address{Name: "xmpp", TTL: 5 * time.Minute, IP: netip.MustParseAddr("192.0.2.40")},
	})
	var conflict interface{ Conflict() bool }
	fmt.Println("stale compare-and-set:", errors.As(err, &conflict) && conflict.Conflict())

	recs, _ := c.GetRRset(ctx, "contoso.test.", "xmpp", "A")
	for _, r := range recs {
		fmt.Println(r.RR().Name, r.RR().Type, r.RR().Data)
	}
	fmt.Println("writes:", p.Writes())
	// Output:
	// set: <nil>
	// absolute name: memdns: record name "xmpp.contoso.test." is not relative to the zone
	// stale compare-and-set: true
	// xmpp A 192.0.2.20
	// writes: [SetRecords SetRecords SetRRsetIf A]
}
