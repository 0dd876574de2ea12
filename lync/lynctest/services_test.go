package lynctest

import (
	"sync"
	"testing"
	"time"
)

// eventually polls cond until it holds (the test's own deadline bounds it).
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("never: %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func allStatus(s Snapshot, host string, want ServiceStatus) bool {
	for _, st := range s.Services[host] {
		if st != want {
			return false
		}
	}
	return len(s.Services[host]) > 0
}

// stopLatency is long enough that Stop -NoWait returns, on a loaded CI
// machine, well before the stop settles.
const stopLatency = time.Second

func TestStopStartAndReplication(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var events []ServiceEvent
	d := readerDeployment(t, func(c *Config) {
		c.Latency = Latency{ServiceStop: stopLatency, GracefulStop: time.Hour}
		c.OnServiceChange = func(e ServiceEvent) {
			mu.Lock()
			defer mu.Unlock()
			events = append(events, e)
		}
	})
	const edge = "edge03.contoso.com"
	start := time.Now()
	if _, er := run(t, d, imp, "Stop-CsWindowsService -ComputerName 'edge03.contoso.com' -NoWait"); er != nil {
		t.Fatal(er)
	}
	// The stop's timer starts after start, so a snapshot taken less than
	// stopLatency after start must show StopPending. Past that the snapshot
	// proves nothing: either -NoWait waited or the machine stalled that long
	// (the old 20 ms stop flaked under -race on two loaded cores).
	s := d.Snapshot()
	if took := time.Since(start); took >= stopLatency {
		t.Fatalf("Stop -NoWait returned after %v, not before the %v stop settled", took, stopLatency)
	}
	if !allStatus(s, edge, StopPending) {
		t.Fatalf("right after -NoWait: %v", s.Services[edge])
	}
	eventually(t, "edge03 stopped", func() bool { return allStatus(d.Snapshot(), edge, Stopped) })
	eventually(t, "14 service events (7 services, 2 steps each)", func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(events) == 14
	})
	mu.Lock()
	for i, e := range events {
		want := ServiceEvent{Host: edge, Service: e.Service, From: Running, To: StopPending}
		if i >= 7 {
			want.From, want.To = StopPending, Stopped
		}
		if e != want {
			t.Errorf("event %d = %+v, want %+v", i, e, want)
		}
	}
	mu.Unlock()

	// A route change reaches only replicas whose REPLICA service runs.
	if _, er := run(t, d, imp, "Set-CsSite -Identity 'Site2' -XmppFederationRoute 'EdgeServer:EDGEPOOL2.contoso.com'"); er != nil {
		t.Fatal(er)
	}
	s = d.Snapshot()
	if s.Sites["Site2"].XmppRoute != "EdgeServer:edgepool2.contoso.com" || s.Replicas[edge] || !s.Replicas["edge01.contoso.com"] {
		t.Fatalf("after Set-CsSite: %+v", s)
	}
	if _, er := run(t, d, imp, "Start-CsWindowsService -ComputerName 'edge03.contoso.com'"); er != nil {
		t.Fatal(er)
	}
	if s := d.Snapshot(); !allStatus(s, edge, Running) || !s.Replicas[edge] {
		t.Fatalf("after start: %+v", s)
	}

	// -Graceful takes GracefulStop (an hour here); a plain stop does not.
	if _, er := run(t, d, imp, "Stop-CsWindowsService -ComputerName 'edge03.contoso.com' -Graceful -NoWait",
		"Stop-CsWindowsService -ComputerName 'edge01.contoso.com'"); er != nil {
		t.Fatal(er)
	}
	s = d.Snapshot()
	if !allStatus(s, "edge01.contoso.com", Stopped) || !allStatus(s, edge, StopPending) {
		t.Fatalf("graceful vs plain: %v", s.Services)
	}
}

func TestServiceAndReplicationFaults(t *testing.T) {
	t.Parallel()
	d := readerDeployment(t, nil)
	if _, err := d.Inject(Fault{Kind: FaultServiceWontStop, Host: "edge01.contoso.com", Service: "RTCSRV"}); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Inject(Fault{Kind: FaultServiceWontStart, Host: "edge03.contoso.com", Service: "REPLICA"}); err != nil {
		t.Fatal(err)
	}
	_, er := run(t, d, imp, "Stop-CsWindowsService -ComputerName 'edge01.contoso.com' -LeaveClsAgentRunning")
	if er == nil || er.FullyQualifiedErrorId != "ServiceOperationFailed,"+stopServiceDef.class || er.Category != "OperationStopped" {
		t.Fatalf("stop: %+v", er)
	}
	s := d.Snapshot().Services["edge01.contoso.com"]
	if s["RTCSRV"] != StopPending || s["REPLICA"] != Stopped || s["RTCCLSAGT"] != Running {
		t.Fatalf("after failed stop: %v", s)
	}
	if err := d.SetServiceStatus("edge03.contoso.com", "REPLICA", Stopped); err != nil {
		t.Fatal(err)
	}
	_, er = run(t, d, imp, "Start-CsWindowsService -ComputerName 'edge03.contoso.com' -Name 'REPLICA'")
	if er == nil || er.Category != "InvalidOperation" {
		t.Fatalf("start: %+v", er)
	}
	if _, err := d.Inject(Fault{Kind: FaultReplicationStuck, Host: "fe01.contoso.com"}); err != nil {
		t.Fatal(err)
	}
	if _, er := run(t, d, imp, "Set-CsSite -Identity 'Site2' -XmppFederationRoute 'EdgeServer:edgepool2.contoso.com'"); er != nil {
		t.Fatal(er)
	}
	got, _ := run(t, d, imp, "Get-CsManagementStoreReplicationStatus | Select-Object -Property ReplicaFqdn, UpToDate")
	want := `[{"ReplicaFqdn":"fe01.contoso.com","UpToDate":false},{"ReplicaFqdn":"edge01.contoso.com","UpToDate":false},{"ReplicaFqdn":"edge03.contoso.com","UpToDate":false}]`
	if got != want {
		t.Fatalf("replication:\n got %s\nwant %s", got, want)
	}
}

func TestInjectValidates(t *testing.T) {
	t.Parallel()
	d := readerDeployment(t, nil)
	for _, f := range []Fault{{}, {Kind: FaultCmdletError}, {Kind: FaultSOAP, Cmdlet: "Get-CsSite"},
		{Kind: FaultTimedOut, Action: ActionSend}, {Kind: FaultSOAP, Nth: -1}} {
		if _, err := d.Inject(f); err == nil {
			t.Errorf("Inject(%+v) accepted", f)
		}
	}
}

func TestRouteAndReplicationCallbacks(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var log []string
	add := func(s string) {
		mu.Lock()
		defer mu.Unlock()
		log = append(log, s)
	}
	var d *Deployment
	d = readerDeployment(t, func(c *Config) {
		c.Latency = Latency{Replication: time.Hour, Scale: 1e-6} // 3.6ms
		c.OnRouteChange = func(e RouteEvent) {
			add("route " + e.Site + " " + e.From + " -> " + e.To + " snapshot " + d.Snapshot().Sites[e.Site].XmppRoute)
		}
		c.OnReplication = func(e ReplicaEvent) {
			if e.Host == "edge03.contoso.com" {
				add(e.Host + " " + toString(e.UpToDate))
			}
		}
	})
	if _, er := run(t, d, imp, "Set-CsSite -Identity 'Site2' -XmppFederationRoute 'EdgeServer:edgepool2.contoso.com'"); er != nil {
		t.Fatal(er)
	}
	mu.Lock()
	if len(log) < 1 || log[0] != "route Site2  -> EdgeServer:edgepool2.contoso.com snapshot EdgeServer:edgepool2.contoso.com" {
		t.Errorf("route event not delivered before Set-CsSite returned: %q", log)
	}
	mu.Unlock()
	eventually(t, "edge03 replica events false then true", func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(log) == 3 && log[1] == "edge03.contoso.com False" && log[2] == "edge03.contoso.com True"
	})
}

func TestSetXmppRoute(t *testing.T) {
	t.Parallel()
	d := readerDeployment(t, nil)
	if err := d.SetXmppRoute("Site2", "edgepool2.contoso.com"); err == nil {
		t.Fatal("bare FQDN accepted without AcceptBareRoute")
	}
	if err := d.SetXmppRoute("Nope", ""); err == nil {
		t.Fatal("unknown site accepted")
	}
	if err := d.SetXmppRoute("site2", "edgeserver:EDGEPOOL2.contoso.com"); err != nil {
		t.Fatal(err)
	}
	got, er := run(t, d, imp, "Get-CsSite -Identity 'Site2' | Select-Object -Property @{ Name = 'R'; Expression = { [string]$_.XmppFederationRoute } }")
	if er != nil || got != `[{"R":"EdgeServer:edgepool2.contoso.com"}]` {
		t.Fatalf("%s %+v", got, er)
	}
}
