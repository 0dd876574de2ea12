package xmppdns_test

import (
	"fmt"

	"github.com/xmppfed/edgefailover/xmppdns"
	"github.com/xmppfed/edgefailover/xmppdns/memdns"
	"github.com/xmppfed/edgefailover/xmppdns/rfc2136"
)

// What each zone's writes promise, known before anything is sent: print it
// in a dry run.
func ExampleZone_Guarantees() {
	p := &rfc2136.Provider{Server: "192.0.2.53", KeyName: "xmpp-update.", Secret: "c2VjcmV0"}
	secure, _ := xmppdns.NewZone("contoso.com.", p, xmppdns.ZoneOptions{})
	// memdns.Provider has none of the optional interfaces, as a third-party
	// libdns provider (cloudflare, route53...) has none.
	other, _ := xmppdns.NewZone("fabrikam.com.", memdns.New("fabrikam.com."), xmppdns.ZoneOptions{ProviderName: "cloudflare"})
	for _, z := range []*xmppdns.Zone{secure, other} {
		g := z.Guarantees()
		fmt.Printf("%s conditional=%v atomic=%v\n  %s\n", z.Name(), g.Conditional, g.Atomic, g)
	}
	// Output:
	// contoso.com. conditional=true atomic=true
	//   rfc2136: conditional and atomic: the change is one write, refused whole if an RRset changed since it was read
	// fabrikam.com. conditional=false atomic=false
	//   cloudflare: not conditional: a concurrent change between check and write is overwritten; not atomic: the change takes several calls, new records are written before old ones are removed, and a failure between calls is reported with what it left (PartialError)
}
