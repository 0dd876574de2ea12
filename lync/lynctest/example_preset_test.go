package lynctest_test

import (
	"fmt"

	"github.com/xmppfed/edgefailover/lync/lynctest"
)

// Start the runbook's two-site deployment, with three servers in the Edge
// pool that hosts XMPP federation.
func ExampleTwoSites() {
	cfg := lynctest.TwoSites(lynctest.TwoSitesOptions{
		Pool1Servers: []string{"edge01.contoso.com", "edge02.contoso.com", "edge03.contoso.com"},
		Pool2Servers: []string{"edge11.contoso.com"},
	})
	d, err := lynctest.New(cfg)
	if err != nil {
		panic(err)
	}
	defer d.Close()
	for _, s := range cfg.Sites {
		fmt.Printf("%s route=%q\n", s.Name, s.XmppRoute)
	}
	for _, p := range cfg.Pools {
		fmt.Println(p.FQDN, p.Site, len(p.Servers), "server(s)")
	}
	// Output:
	// Site1 route="EdgeServer:edgepool1.contoso.com"
	// Site2 route=""
	// fepool1.contoso.com Site1 1 server(s)
	// edgepool1.contoso.com Site1 3 server(s)
	// edgepool2.contoso.com Site2 1 server(s)
}
