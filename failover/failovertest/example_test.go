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

// ExampleLab_Snapshot points Site2's XMPP route at the second Edge pool by
// hand and shows what the lab's state says before and after: the route and
// the listener that follows it.
func ExampleLab_Snapshot() {
	lab, err := failovertest.New(failovertest.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer lab.Close()
	ctx := context.Background()

	show := func(when string) {
		st, err := lab.Snapshot(ctx)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%s: Site2 route %q; listeners pool1=%v pool2=%v; %s\n", when,
			st.Routes[failovertest.TargetSite],
			st.Listeners[failovertest.SourcePool], st.Listeners[failovertest.TargetPool],
			st.DNS["xmpp.contoso.com. A"][0])
	}
	show("before")
	mgmt, err := lab.Management(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := mgmt.Site(failovertest.TargetSite).SetXmppRoute(ctx, failovertest.TargetPool); err != nil {
		fmt.Println(err)
		return
	}
	show("after")
	// Output:
	// before: Site2 route ""; listeners pool1=true pool2=false; xmpp.contoso.com. 300 IN A 192.0.2.10
	// after: Site2 route "EdgeServer:edgepool2.contoso.com"; listeners pool1=true pool2=true; xmpp.contoso.com. 300 IN A 192.0.2.10
}
