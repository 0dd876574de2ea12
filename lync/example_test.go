package lync_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/xmppfed/edgefailover/lync"
	"github.com/xmppfed/edgefailover/lync/lynctest"
	"github.com/xmppfed/edgefailover/lync/winrm"
)

func ExampleSite_SetXmppRoute() {
	// The runbook's two sites (lynctest.TwoSites), Site2 routing XMPP
	// through edgepool1; edgepool2 (edge03) is the disaster-recovery pool.
	cfg := lynctest.TwoSites(lynctest.TwoSitesOptions{})
	cfg.Sites[1].XmppRoute = "EdgeServer:" + lynctest.EdgePool1
	cfg.Latency = lynctest.Latency{ServiceStop: time.Second, ServiceStart: time.Second, Replication: time.Second, Scale: 0.01}
	cfg.MaxOperationTimeout = 200 * time.Millisecond
	d, err := lynctest.New(cfg)
	if err != nil {
		log.Fatal(err)
	}
	defer d.Close()
	user, pass := d.Credentials()

	// What a default Windows host accepts: HTTP on 5985 with NTLM, every
	// message encrypted with the NTLM session key.
	client, err := winrm.Dial(winrm.Endpoint{
		Host:        "fe01.contoso.com",
		PlainHTTP:   true,
		Auth:        winrm.AuthNTLM,
		Credentials: winrm.Credentials{Username: user, Password: winrm.Password(pass)}, // CONTOSO\lyncadmin
		Dial:        d.DialContext,                                                     // FQDNs to loopback listeners
	}, winrm.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer client.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	site := client.Site("Site2")
	if err := site.SetXmppRoute(ctx, "edgepool2.contoso.com"); err != nil {
		log.Fatal(err)
	}
	info, err := site.Get(ctx)
	if err != nil {
		log.Fatal(err)
	}
	param, _ := client.Sites.RouteParameter(ctx)
	fmt.Println(info.Identity, param, info.XmppRoute)
	// Output: Site:Site2 XmppFederationRoute EdgeServer:edgepool2.contoso.com
}

func ExampleServicesService_Stop() {
	// The runbook's two sites (lynctest.TwoSites), Site2 routing XMPP
	// through edgepool1; edgepool2 (edge03) is the disaster-recovery pool.
	cfg := lynctest.TwoSites(lynctest.TwoSitesOptions{})
	cfg.Sites[1].XmppRoute = "EdgeServer:" + lynctest.EdgePool1
	cfg.Latency = lynctest.Latency{ServiceStop: time.Second, ServiceStart: time.Second, Replication: time.Second, Scale: 0.01}
	cfg.MaxOperationTimeout = 200 * time.Millisecond
	d, err := lynctest.New(cfg)
	if err != nil {
		log.Fatal(err)
	}
	defer d.Close()
	user, pass := d.Credentials()

	client, err := winrm.Dial(winrm.Endpoint{
		Host:        "fe01.contoso.com",
		Auth:        winrm.AuthNTLM, // HTTPS on 5986, verified
		Credentials: winrm.Credentials{Username: user, Password: winrm.Password(pass)},
		TLS:         winrm.TLSConfig{RootCAs: d.CertPool()},
		Dial:        d.DialContext,
	}, winrm.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer client.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	// Drain and stop every Lync service of edge03, then wait until stopped.
	if err := client.Services.Stop(ctx, "edge03.contoso.com", lync.StopOptions{Graceful: true, NoWait: true}); err != nil {
		log.Fatal(err)
	}
	stopped, err := client.Services.WaitState(ctx, "edge03.contoso.com", lync.ServiceStopped, 10*time.Millisecond)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("stopped:", len(stopped) > 0)

	if err := client.Services.Start(ctx, "edge03.contoso.com"); err != nil {
		log.Fatal(err)
	}
	running, err := client.Services.WaitState(ctx, "edge03.contoso.com", lync.ServiceRunning, 10*time.Millisecond)
	if err != nil {
		log.Fatal(err)
	}
	for _, s := range running {
		if s.Name == "REPLICA" {
			fmt.Println(s.Name, s.Status)
		}
	}
	// Output:
	// stopped: true
	// REPLICA Running
}
