package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/xmppfed/edgefailover/examples/internal/setup"
	"github.com/xmppfed/edgefailover/lync"
)

// dialManagement creates the management client (nothing is sent yet).
func (c *checker) dialManagement(ctx context.Context, con *setup.Console) (*lync.Client, error) {
	cred, err := setup.Credentials{Username: c.o.user, PasswordEnv: c.o.passwordEnv}.Resolve(ctx, con)
	if err != nil {
		return nil, err
	}
	ep, err := c.o.mgmt.Endpoint(c.o.mgmt.Host, false, cred)
	if err != nil {
		return nil, err
	}
	return lync.Dial(ep, nil)
}

// management checks the site's XMPP route and the services and replicas of
// every server of the expected pool, through the management host.
func (c *checker) management(ctx context.Context) {
	cl := c.mgmtClient.(*lync.Client)
	want := "EdgeServer:" + c.o.expectPool
	r := result{Check: "route/" + c.o.site}
	if site, err := cl.Sites.Get(ctx, c.o.site); err != nil {
		r.Detail = err.Error()
	} else {
		r.OK = strings.EqualFold(site.XmppRoute, want)
		r.Detail = fmt.Sprintf("XMPP route %q, expected %q", site.XmppRoute, want)
	}
	c.add(r)

	pool, err := cl.Pools.Get(ctx, c.o.expectPool)
	if err != nil {
		c.add(result{Check: "pool/" + c.o.expectPool, Detail: err.Error()})
		return
	}
	for _, srv := range pool.Computers {
		r := result{Check: "services/" + srv}
		svcs, err := cl.Services.List(ctx, srv)
		if err != nil {
			r.Detail = err.Error()
			c.add(r)
			continue
		}
		var notRunning []string
		for _, s := range svcs {
			if s.Status != lync.ServiceRunning {
				notRunning = append(notRunning, s.Name+" "+string(s.Status))
			}
		}
		r.OK = len(svcs) > 0 && len(notRunning) == 0
		r.Detail = fmt.Sprintf("%d Lync services", len(svcs))
		if len(notRunning) > 0 {
			r.Detail += ", not running: " + strings.Join(notRunning, ", ")
		}
		c.add(r)

		rr := result{Check: "replica/" + srv}
		if st, err := cl.Replication.Status(ctx, srv); err != nil {
			rr.Detail = err.Error()
		} else {
			rr.OK = st.UpToDate
			rr.Detail = fmt.Sprintf("CMS replica up to date: %t (last report %s)", st.UpToDate, st.LastStatusReport)
		}
		c.add(rr)
	}
}
