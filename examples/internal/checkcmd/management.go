package checkcmd

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/xmppfed/edgefailover/examples/internal/setup"
	"github.com/xmppfed/edgefailover/lync"
	"github.com/xmppfed/edgefailover/lync/winrm"
)

// dialManagement creates the management client (nothing is sent yet).
func (c *checker) dialManagement(ctx context.Context, con *setup.Console) (*lync.Client, error) {
	if err := c.o.mgmt.LoadFiles(); err != nil { // before the prompt
		return nil, fmt.Errorf("-mgmt-ca-file: %v", err)
	}
	cred, err := setup.Credentials{Username: c.o.user, PasswordEnv: c.o.passwordEnv}.Resolve(ctx, con)
	if err != nil {
		return nil, err
	}
	ep, err := c.o.mgmt.Endpoint(c.o.mgmt.Host, false, cred)
	if err != nil {
		return nil, err
	}
	ep.Dial = setup.LogDial(c.o.log, ep.Host, c.o.mgmt.Scheme(), ep.Dial)
	return winrm.Dial(ep, winrm.Options{Logger: c.o.log})
}

// management checks the site's XMPP route and, concurrently, the services
// and replicas of every server of the expected pool and failover's
// preflight checks of that pool (preflight.go), through the management
// host; each call has its own budget. The pool is read once (Get-CsPool):
// its computers are the servers checked here and those whose internal
// port the preflight reachability check tests. A pool without computers
// fails (pool/<pool>), its services and replicas are not run, and the
// reachability check reports that it has nothing to test.
func (c *checker) management(ctx context.Context) []result {
	cl := c.mgmtClient.(*lync.Client)
	var wg sync.WaitGroup
	var route result
	wg.Go(func() {
		want := "EdgeServer:" + c.o.expectPool
		name := "route/" + c.o.site
		bctx, cancel := c.budget(ctx)
		defer cancel()
		site, err := cl.Sites.Get(bctx, c.o.site)
		switch {
		case err != nil:
			route = c.callFailed(ctx, name, err)
		case strings.EqualFold(site.XmppRoute.String(), want):
			route = ok(name, fmt.Sprintf("XMPP route %q", site.XmppRoute), nil)
		default:
			route = failed(name, fmt.Sprintf("XMPP route %q, expected %q", site.XmppRoute, want), nil)
		}
	})
	bctx, cancel := c.budget(ctx)
	pool, err := cl.Pools.Get(bctx, c.o.expectPool)
	cancel()
	if err != nil {
		why := "the pool's servers are unknown: pool/" + c.o.expectPool + " failed"
		pre := c.preflight(ctx, cl, nil)
		wg.Wait()
		return append([]result{route, c.callFailed(ctx, "pool/"+c.o.expectPool, err),
			notRun("services/"+c.o.expectPool, why), notRun("replica/"+c.o.expectPool, why)},
			append(pre, notRun("preflight/reachability/"+c.o.expectPool, why))...)
	}
	if len(pool.Computers) == 0 {
		// Nothing serves federation; preflight's reachability check, given
		// no computers (not nil: "read, none"), says so as well.
		why := "Get-CsPool lists no computers in pool " + c.o.expectPool
		pre := c.preflight(ctx, cl, []string{})
		wg.Wait()
		return append([]result{route, failed("pool/"+c.o.expectPool, why+": no server serves XMPP federation", nil),
			notRun("services/"+c.o.expectPool, why), notRun("replica/"+c.o.expectPool, why)}, pre...)
	}
	var pre []result
	wg.Go(func() { pre = c.preflight(ctx, cl, pool.Computers) })
	per := make([][]result, len(pool.Computers))
	for i, srv := range pool.Computers {
		wg.Go(func() { per[i] = c.server(ctx, cl, srv) })
	}
	wg.Wait()
	out := []result{route}
	for _, rs := range per {
		out = append(out, rs...)
	}
	return append(out, pre...)
}

// server checks the services and the CMS replica of one server.
func (c *checker) server(ctx context.Context, cl *lync.Client, srv string) []result {
	name := "services/" + srv
	var svcRes result
	bctx, cancel := c.budget(ctx)
	svcs, err := cl.Services.List(bctx, srv)
	cancel()
	if err != nil {
		svcRes = c.callFailed(ctx, name, err)
	} else {
		var notRunning []string
		for _, s := range svcs {
			if s.Status != lync.ServiceRunning {
				notRunning = append(notRunning, s.Name+" "+string(s.Status))
			}
		}
		detail := fmt.Sprintf("%d Lync services", len(svcs))
		if len(notRunning) > 0 {
			detail += ", not running: " + strings.Join(notRunning, ", ")
		}
		if len(svcs) > 0 && len(notRunning) == 0 {
			svcRes = ok(name, detail, nil)
		} else {
			svcRes = failed(name, detail, nil)
		}
	}
	rname := "replica/" + srv
	bctx, cancel = c.budget(ctx)
	st, err := cl.Replication.Status(bctx, srv)
	cancel()
	var rep result
	switch {
	case err != nil:
		rep = c.callFailed(ctx, rname, err)
	case st.UpToDate:
		rep = ok(rname, fmt.Sprintf("CMS replica up to date (last report %s)", st.LastStatusReport), nil)
	default:
		rep = failed(rname, fmt.Sprintf("CMS replica not up to date (last report %s)", st.LastStatusReport), nil)
	}
	return []result{svcRes, rep}
}

func (c *checker) callFailed(ctx context.Context, name string, err error) result {
	if ctx.Err() != nil {
		return notRun(name, "interrupted")
	}
	return failed(name, c.why(ctx, err), nil)
}
