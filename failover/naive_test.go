package failover_test

import (
	"context"
	"fmt"
	"net/netip"
	"testing"
	"time"

	"github.com/libdns/libdns"
	"github.com/miekg/dns"

	"github.com/xmppfed/edgefailover/edge"
	"github.com/xmppfed/edgefailover/failover/failovertest"
	"github.com/xmppfed/edgefailover/lync"
	"github.com/xmppfed/edgefailover/lync/lynctest"
	"github.com/xmppfed/edgefailover/lync/winrm"
	"github.com/xmppfed/edgefailover/xmppdns"
)

// naiveSleep is how long the naive script sleeps for a duration of the
// profile: scaled, plus a 20% margin, as an administrator's Start-Sleep is.
func naiveSleep(lat lynctest.Latency, d time.Duration) time.Duration {
	s := lat.Scale
	if s == 0 {
		s = 1
	}
	return time.Duration(float64(d)*s) * 6 / 5 // +20%
}

// benchNaive builds a fresh lab (not timed) and returns the wall time of the
// naive runbook from its first change to its last check.
func benchNaive(b *testing.B) time.Duration {
	b.Helper()
	lab, err := failovertest.New(failovertest.Options{ServersPerPool: benchServers, Latency: benchLatency})
	if err != nil {
		b.Fatal(err)
	}
	defer lab.Close()
	d, err := naiveRunbook(context.Background(), lab, benchLatency)
	if err != nil {
		b.Fatal("naive runbook: ", err)
	}
	if testing.Verbose() {
		c := lab.Deployment().Counters()
		b.Logf("naive: %v, %d processes, %d module imports, cmdlets %v, %d DNS updates",
			d, c.Processes, c.ModuleImports, c.Cmdlets, lab.DNS().Primary.Count(dns.OpcodeUpdate))
	}
	return d
}

// naiveRunbook is the baseline of issue 6's performance figure: the seed
// runbook as an administrator's script runs it. Every cmdlet is its own
// powershell.exe with the module imported (winrm.ModePerScript) on the
// management host, -ComputerName naming the Edge server; one server after
// another; fixed sleeps instead of polling; one DNS update per RRset; then the
// checks Apply makes, one after another. Start-CsWindowsService waits for
// Running by itself (the client has no -NoWait for it), which favours the
// script.
func naiveRunbook(ctx context.Context, lab *failovertest.Lab, lat lynctest.Latency) (time.Duration, error) {
	user, pass := lab.Deployment().Credentials()
	mgmt, err := winrm.Dial(winrm.Endpoint{
		Host: failovertest.ManagementHost, Port: lynctest.HTTPPort, PlainHTTP: true, Auth: winrm.AuthNTLM,
		Dial:        lab.Deployment().DialContext,
		Credentials: winrm.Credentials{Username: user, Password: winrm.Password(pass)},
	}, winrm.Options{Mode: winrm.ModePerScript})
	if err != nil {
		return 0, err
	}
	defer mgmt.Close()
	pool, _ := lab.Pool(failovertest.TargetPool)
	addr := pool.ExternalIP

	start := time.Now()
	for _, srv := range pool.Servers { // runbook step 2
		if err := mgmt.Services.Stop(ctx, srv, lync.StopOptions{NoWait: true}); err != nil {
			return 0, err
		}
		time.Sleep(naiveSleep(lat, lat.ServiceStop))
	}
	if err := mgmt.Site(failovertest.TargetSite).SetXmppRoute(ctx, failovertest.TargetPool); err != nil { // step 3
		return 0, err
	}
	want, err := naiveDNS(ctx, lab, addr) // steps 4 and 5
	if err != nil {
		return 0, err
	}
	for _, srv := range pool.Servers { // step 7
		if err := mgmt.Services.Start(ctx, srv); err != nil {
			return 0, err
		}
	}
	time.Sleep(naiveSleep(lat, lat.Replication)) // CMS replication
	if err := naiveChecks(ctx, lab, mgmt, pool, want); err != nil {
		return 0, err
	}
	return time.Since(start), nil
}

// naiveDNS writes the A record and each domain's SRV set, one update each,
// and returns the RRsets the checks expect.
func naiveDNS(ctx context.Context, lab *failovertest.Lab, addr netip.Addr) ([]xmppdns.RRset, error) {
	const ttl = 300 * time.Second
	prov := lab.Provider()
	host := failovertest.FederationHost + "."
	zone := failovertest.FederationZone
	a := libdns.RR{Name: libdns.RelativeName(host, zone), Type: "A", TTL: ttl, Data: addr.String()}
	if _, err := prov.SetRecords(ctx, zone, []libdns.Record{a}); err != nil {
		return nil, err
	}
	want := []xmppdns.RRset{{Name: host, Type: "A", TTL: ttl, Data: []string{addr.String()}}}
	for _, d := range lab.Domains() {
		z := lab.ZoneOf(d).Name()
		owner := xmppdns.SRVName(d)
		data := "10 0 5269 " + host
		srv := libdns.RR{Name: libdns.RelativeName(owner, z), Type: "SRV", TTL: ttl, Data: data}
		if _, err := prov.SetRecords(ctx, z, []libdns.Record{srv}); err != nil {
			return nil, err
		}
		want = append(want, xmppdns.RRset{Name: owner, Type: "SRV", TTL: ttl, Data: []string{data}})
	}
	return want, nil
}

// naiveChecks makes Apply's verifications one after another: route, services
// and replica of every server, DNS on every authoritative server, port 5269
// and the remote view of every domain.
func naiveChecks(ctx context.Context, lab *failovertest.Lab, mgmt *lync.Client, pool failovertest.Pool, want []xmppdns.RRset) error {
	site, err := mgmt.Sites.Get(ctx, failovertest.TargetSite)
	if err != nil {
		return err
	}
	if site.XmppRoute.Pool() != failovertest.TargetPool {
		return fmt.Errorf("route is %q", site.XmppRoute)
	}
	for _, srv := range pool.Servers {
		svcs, err := mgmt.Services.List(ctx, srv)
		if err != nil {
			return err
		}
		for _, s := range svcs {
			if s.Status != lync.ServiceRunning {
				return fmt.Errorf("%s: %s is %s", srv, s.Name, s.Status)
			}
		}
		st, err := mgmt.Replication.Status(ctx, srv)
		if err != nil {
			return err
		}
		if !st.UpToDate {
			return fmt.Errorf("%s: replica not up to date after the fixed sleep", srv)
		}
	}
	for _, rr := range want {
		rep, err := lab.Authoritative().Check(ctx, rr)
		if err != nil {
			return err
		}
		if !rep.Converged {
			return fmt.Errorf("DNS not converged: %s", rep)
		}
	}
	for _, d := range lab.Domains() {
		cfg := edge.ProbeConfig{To: d, From: "edgefailover.invalid", StartTLS: true, TLSConfig: lab.TLSConfig(), Dial: lab.Dial, Timeout: 5 * time.Second}
		r, err := edge.Probe(ctx, pool.ExternalIP.String()+":5269", cfg)
		if err != nil || !r.OK() {
			return fmt.Errorf("probe %s: %v %+v", d, err, r)
		}
		res, err := edge.ProbeDomain(ctx, lab.Resolver(), d, cfg)
		if err != nil || res.Answer() == nil || !res.Answer().Result.OK() {
			return fmt.Errorf("remote view of %s: %v", d, err)
		}
	}
	return nil
}
