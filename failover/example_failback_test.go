package failover_test

import (
	"fmt"
	"net/netip"

	"github.com/xmppfed/edgefailover/failover"
)

// The failback of a failover from edgepool1 to edgepool2: the pools and
// sites swapped, the replaced pool's own addresses, all of its servers.
func ExampleConfig_Failback() {
	fwd := failover.Config{
		Site:              "Site2",
		TargetPool:        "edgepool2.contoso.com",
		Servers:           []string{"edge2a.contoso.com"},
		Addresses:         []netip.Addr{netip.MustParseAddr("192.0.2.20")},
		ReplacedPool:      "edgepool1.contoso.com",
		ReplacedSite:      "Site1",
		ReplacedAddresses: []netip.Addr{netip.MustParseAddr("192.0.2.10")},
		FederationHost:    "xmpp.contoso.com",
	}
	back, err := fwd.Failback()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("target:", back.TargetPool, "on", back.Site, back.Addresses, "servers:", len(back.Servers))
	fmt.Println("replaced:", back.ReplacedPool, "on", back.ReplacedSite, back.ReplacedAddresses)

	fwd.ReplacedPool = ""
	_, err = fwd.Failback()
	fmt.Println(err)
	// Output:
	// target: edgepool1.contoso.com on Site1 [192.0.2.10] servers: 0
	// replaced: edgepool2.contoso.com on Site2 [192.0.2.20]
	// failover: config ReplacedPool: a failback needs the pool that hosted federation
}
