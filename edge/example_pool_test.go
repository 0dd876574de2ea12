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
	"github.com/xmppfed/edgefailover/lync/winrm"
)

func ExampleServer_StopServices() {
	// The runbook's two sites; edgepool1 has the server below. A graceful stop
	// takes 2s of lab time and a start 1s, run 100 times faster.
	cfg := lynctest.TwoSites(lynctest.TwoSitesOptions{Pool1Servers: []string{"edge01.contoso.com"}, Pool2Servers: []string{"edge11.contoso.com"}})
	cfg.Latency = lynctest.Latency{ServiceStop: time.Second, GracefulStop: 2 * time.Second, ServiceStart: time.Second, Scale: 0.01}
	d, err := lynctest.New(cfg)
	if err != nil {
		log.Fatal(err)
	}
	defer d.Close()
	// A client of a host as a default Windows host takes it: HTTP on 5985
	// with NTLM, every message encrypted; d dials the lab's loopback ports.
	user, pass := d.Credentials()
	dial := func(ctx context.Context, host string) (*lync.Client, error) {
		return winrm.Dial(winrm.Endpoint{Host: host, PlainHTTP: true, Auth: winrm.AuthNTLM,
			Credentials: winrm.Credentials{Username: user, Password: winrm.Password(pass)}, Dial: d.DialContext}, winrm.Options{})
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	c, err := dial(ctx, "edge01.contoso.com")
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	s, err := edge.NewServer("edge01.contoso.com", c)
	if err != nil {
		log.Fatal(err)
	}
	// Drain the server: refuse new sessions, stop when the current ones end.
	st, err := s.StopServices(ctx, edge.StopOptions{Graceful: true, PollInterval: 10 * time.Millisecond, Timeout: 30 * time.Second})
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
	// The runbook's two sites; edgepool1 has the servers below. A graceful stop
	// takes 2s of lab time and a start 1s, run 100 times faster.
	cfg := lynctest.TwoSites(lynctest.TwoSitesOptions{Pool1Servers: []string{"edge01.contoso.com", "edge02.contoso.com"}, Pool2Servers: []string{"edge11.contoso.com"}})
	cfg.ManagementHost = "admin.contoso.com"
	cfg.Latency = lynctest.Latency{ServiceStop: time.Second, GracefulStop: 2 * time.Second, ServiceStart: time.Second, Scale: 0.01}
	d, err := lynctest.New(cfg)
	if err != nil {
		log.Fatal(err)
	}
	defer d.Close()
	// A client of a host as a default Windows host takes it: HTTP on 5985
	// with NTLM, every message encrypted; d dials the lab's loopback ports.
	user, pass := d.Credentials()
	dial := func(ctx context.Context, host string) (*lync.Client, error) {
		return winrm.Dial(winrm.Endpoint{Host: host, PlainHTTP: true, Auth: winrm.AuthNTLM,
			Credentials: winrm.Credentials{Username: user, Password: winrm.Password(pass)}, Dial: d.DialContext}, winrm.Options{})
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	mgmt, err := dial(ctx, "admin.contoso.com")
	if err != nil {
		log.Fatal(err)
	}
	defer mgmt.Close()
	pool, err := edge.DiscoverPool(ctx, mgmt, "edgepool1.contoso.com", dial, edge.DiscoverOptions{})
	if err != nil {
		log.Fatal(err)
	}
	defer pool.Close()
	fmt.Println(pool.FQDN(), "XMPP port", pool.EdgeService().XmppListeningPort)

	// Open every session and import the module before the first change.
	if _, err := pool.Prepare(ctx); err != nil {
		log.Fatal(err)
	}
	res, err := pool.StopServices(ctx, edge.StopOptions{PollInterval: 10 * time.Millisecond})
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
	// The runbook's two sites; edgepool1 has the servers below. A graceful stop
	// takes 2s of lab time and a start 1s, run 100 times faster.
	cfg := lynctest.TwoSites(lynctest.TwoSitesOptions{Pool1Servers: []string{"edge01.contoso.com", "edge02.contoso.com", "edge03.contoso.com"}, Pool2Servers: []string{"edge11.contoso.com"}})
	cfg.Latency = lynctest.Latency{ServiceStop: time.Second, GracefulStop: 2 * time.Second, ServiceStart: time.Second, Scale: 0.01}
	d, err := lynctest.New(cfg)
	if err != nil {
		log.Fatal(err)
	}
	defer d.Close()
	// A client of a host as a default Windows host takes it: HTTP on 5985
	// with NTLM, every message encrypted; d dials the lab's loopback ports.
	user, pass := d.Credentials()
	dial := func(ctx context.Context, host string) (*lync.Client, error) {
		return winrm.Dial(winrm.Endpoint{Host: host, PlainHTTP: true, Auth: winrm.AuthNTLM,
			Credentials: winrm.Credentials{Username: user, Password: winrm.Password(pass)}, Dial: d.DialContext}, winrm.Options{})
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	var servers []*edge.Server
	for _, fqdn := range []string{"edge01.contoso.com", "edge02.contoso.com", "edge03.contoso.com"} {
		c, err := dial(ctx, fqdn)
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

	res, err := pool.StopServices(ctx, edge.StopOptions{PollInterval: 10 * time.Millisecond, Timeout: time.Second})
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
