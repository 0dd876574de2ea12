package failovertest_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/xmppfed/edgefailover/failover/failovertest"
)

// Example starts a lab, lists its Edge pools and reads the XMPP route of
// Site1 through the management shell of the Front End server.
func Example() {
	lab, err := failovertest.New(failovertest.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer lab.Close()

	for _, p := range lab.Pools() {
		state := "down"
		if p.Listener.Running() {
			state = "up"
		}
		fmt.Printf("%s (%s): %s; %s %s; listener %s\n",
			p.FQDN, p.Site, strings.Join(p.Servers, ", "), p.AccessEdgeExternalFQDN, p.ExternalIP, state)
	}

	ctx := context.Background()
	mgmt, err := lab.Management(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	site, err := mgmt.Site(failovertest.SourceSite).Get(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("XMPP route of", site.Name+":", site.XmppRoute)
	// Output:
	// edgepool1.contoso.com (Site1): edge1a.contoso.com, edge1b.contoso.com; access1.contoso.com 192.0.2.10; listener up
	// edgepool2.contoso.com (Site2): edge2a.contoso.com, edge2b.contoso.com; access2.contoso.com 192.0.2.20; listener down
	// XMPP route of Site1: EdgeServer:edgepool1.contoso.com
}
