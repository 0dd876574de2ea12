package edge_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/xmppfed/edgefailover/edge"
	"github.com/xmppfed/edgefailover/lync"
	"github.com/xmppfed/edgefailover/lync/lynctest"
)

// exampleDeployment starts a fake deployment: edgepool1 with the given
// servers, a Front End pool and a management host; a graceful stop takes 2s
// of lab time and a start 1s, run 100 times faster.
func exampleDeployment(servers ...string) *lynctest.Deployment {
	var ss []lynctest.Server
	for _, s := range servers {
		ss = append(ss, lynctest.Server{FQDN: s})
	}
	d, err := lynctest.New(lynctest.Config{
		Product: lynctest.SfB2015,
		Sites:   []lynctest.Site{{Name: "Site1", XmppRoute: "EdgeServer:edgepool1.contoso.com"}},
		Pools: []lynctest.Pool{
			{FQDN: "fepool1.contoso.com", Site: "Site1", Role: lynctest.FrontEnd, Servers: []lynctest.Server{{FQDN: "fe01.contoso.com"}}},
			{FQDN: "edgepool1.contoso.com", Site: "Site1", Role: lynctest.Edge, Servers: ss},
		},
		ManagementHost: "admin.contoso.com",
		Latency:        lynctest.Latency{ServiceStop: time.Second, GracefulStop: 2 * time.Second, ServiceStart: time.Second, Scale: 0.01},
	})
	if err != nil {
		log.Fatal(err)
	}
	return d
}

// exampleDial returns a client of host over the deployment's dialer, as a
// default Windows host takes it: HTTP on 5985 with NTLM, every message
// encrypted.
func exampleDial(ctx context.Context, d *lynctest.Deployment, host string) (*lync.Client, error) {
	user, pass := d.Credentials()
	return lync.Dial(lync.Endpoint{
		Host:        host,
		PlainHTTP:   true,
		Auth:        lync.AuthNTLM,
		Credentials: lync.Credentials{Username: user, Password: lync.Password(pass)},
		Dial:        d.DialContext,
	}, nil)
}

func ExampleServer_StopServices() {
	d := exampleDeployment("edge01.contoso.com")
	defer d.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	c, err := exampleDial(ctx, d, "edge01.contoso.com")
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	s, err := edge.NewServer("edge01.contoso.com", c)
	if err != nil {
		log.Fatal(err)
	}
	// Drain the server: refuse new sessions, stop when the current ones end.
	st, err := s.StopServices(ctx, &edge.StopOptions{Graceful: true, PollInterval: 10 * time.Millisecond, Timeout: 30 * time.Second})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(st.FQDN, "stopped:", st.Reached)
	for _, svc := range st.Services {
		fmt.Println(" ", svc.Name, svc.Status)
	}
	// Output:
	// edge01.contoso.com stopped: true
	//   REPLICA Stopped
	//   RTCSRV Stopped
	//   RTCDATAPROXY Stopped
	//   RTCMRAUTH Stopped
	//   RTCMEDIARELAY Stopped
	//   RTCCLSAGT Stopped
	//   RTCXMPPTGWPX Stopped
}

func ExampleDiscoverPool() {
	d := exampleDeployment("edge01.contoso.com", "edge02.contoso.com")
	defer d.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	mgmt, err := exampleDial(ctx, d, "admin.contoso.com")
	if err != nil {
		log.Fatal(err)
	}
	defer mgmt.Close()
	open := func(ctx context.Context, server string) (*lync.Client, error) { return exampleDial(ctx, d, server) }
	pool, err := edge.DiscoverPool(ctx, mgmt, "edgepool1.contoso.com", open, edge.DiscoverOptions{})
	if err != nil {
		log.Fatal(err)
	}
	defer pool.Close()
	fmt.Println(pool.FQDN(), "XMPP port", pool.EdgeService().XmppListeningPort)

	// Open every session and import the module before the first change.
	if _, err := pool.Prepare(ctx); err != nil {
		log.Fatal(err)
	}
	res, err := pool.StopServices(ctx, &edge.StopOptions{PollInterval: 10 * time.Millisecond})
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range res.Servers {
		fmt.Println(" ", r.FQDN, "stopped:", r.State.Reached)
	}
	// Output:
	// edgepool1.contoso.com XMPP port 5269
	//   edge01.contoso.com stopped: true
	//   edge02.contoso.com stopped: true
}

func ExamplePoolError() {
	d := exampleDeployment("edge01.contoso.com", "edge02.contoso.com", "edge03.contoso.com")
	defer d.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	var servers []*edge.Server
	for _, fqdn := range []string{"edge01.contoso.com", "edge02.contoso.com", "edge03.contoso.com"} {
		c, err := exampleDial(ctx, d, fqdn)
		if err != nil {
			log.Fatal(err)
		}
		defer c.Close()
		s, err := edge.NewServer(fqdn, c)
		if err != nil {
			log.Fatal(err)
		}
		servers = append(servers, s)
	}
	pool, err := edge.NewPool("edgepool1.contoso.com", servers...)
	if err != nil {
		log.Fatal(err)
	}
	// The XMPP proxy of edge02 will not stop.
	if _, err := d.Inject(lynctest.Fault{Kind: lynctest.FaultServiceWontStop, Host: "edge02.contoso.com", Service: "RTCXMPPTGWPX"}); err != nil {
		log.Fatal(err)
	}

	res, err := pool.StopServices(ctx, &edge.StopOptions{PollInterval: 10 * time.Millisecond, Timeout: time.Second})
	fmt.Println("stopped:", res.Succeeded())
	var pe *edge.PoolError
	if errors.As(err, &pe) {
		for _, f := range pe.Failed {
			fmt.Println("failed:", f.FQDN, "not stopped:", f.State.Pending(),
				"timed out:", errors.Is(f, context.DeadlineExceeded))
		}
	}
	// Output:
	// stopped: [edge01.contoso.com edge03.contoso.com]
	// failed: edge02.contoso.com not stopped: [RTCXMPPTGWPX] timed out: true
}
