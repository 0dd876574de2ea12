package edge_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/xmppfed/edgefailover/edge"
	"github.com/xmppfed/edgefailover/lync"
	"github.com/xmppfed/edgefailover/lync/lynctest"
)

func TestServerStopStart(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name            string
		product         lynctest.Product
		https, graceful bool
	}{
		{"http", lynctest.SfB2015, false, false},
		{"http/graceful", lynctest.SfB2015, false, true},
		{"https/graceful", lynctest.SfB2015, true, true},
		{"lync2013/https", lynctest.Lync2013, true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d := newLab(t, 1, func(c *lynctest.Config) { c.Product = tc.product })
			host := labServer(1)
			s, err := edge.NewServer("EDGE01.contoso.com.", labClient(t, d, host, tc.https))
			if err != nil {
				t.Fatal(err)
			}
			if s.FQDN() != host {
				t.Errorf("FQDN = %q, want %q", s.FQDN(), host)
			}
			ctx := t.Context()

			st, err := s.StopServices(ctx, edge.StopOptions{Graceful: tc.graceful, PollInterval: 5 * time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			if !st.Reached || st.Want != lync.ServiceStopped || st.FQDN != host || st.Time.IsZero() {
				t.Errorf("stop state = %+v", st)
			}
			if len(st.Services) != 7 || !st.All(lync.ServiceStopped) {
				t.Errorf("stop services = %+v", st.Services)
			}
			if !servicesIn(d, host, lynctest.Stopped) {
				t.Errorf("host services after stop: %v", d.Snapshot().Services[host])
			}
			stop := lastInvocation(t, d, host, "Stop-CsWindowsService")
			want := map[string]any{"ComputerName": host, "NoWait": true}
			if tc.graceful {
				want["Graceful"] = true
			}
			if !equalParams(stop.Params, want) {
				t.Errorf("Stop-CsWindowsService params = %v, want %v", stop.Params, want)
			}

			st, err = s.StartServices(ctx, edge.StartOptions{PollInterval: 5 * time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			if !st.Reached || st.Want != lync.ServiceRunning || !st.All(lync.ServiceRunning) {
				t.Errorf("start state = %+v", st)
			}
			if !servicesIn(d, host, lynctest.Running) {
				t.Errorf("host services after start: %v", d.Snapshot().Services[host])
			}
			start := lastInvocation(t, d, host, "Start-CsWindowsService")
			if !equalParams(start.Params, map[string]any{"ComputerName": host}) {
				t.Errorf("Start-CsWindowsService params = %v", start.Params)
			}
		})
	}
}

func TestServerNamedServices(t *testing.T) {
	t.Parallel()
	d := newLab(t, 1)
	host := labServer(1)
	s, err := edge.NewServer(host, labClient(t, d, host, false))
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	st, err := s.StopServices(ctx, edge.StopOptions{Names: []string{"rtcxmpptgwpx"}, PollInterval: 5 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if !st.Reached || st.All(lync.ServiceStopped) || st.Pending() != nil {
		t.Errorf("state = %+v: want the proxy stopped and the rest running", st)
	}
	if got := st.NotIn(lync.ServiceRunning); !slices.Equal(got, []string{"RTCXMPPTGWPX"}) {
		t.Errorf("NotIn(Running) = %v", got)
	}
	if got := d.Snapshot().Services[host]; got["RTCXMPPTGWPX"] != lynctest.Stopped || got["RTCSRV"] != lynctest.Running {
		t.Errorf("host services = %v", got)
	}
	if p := lastInvocation(t, d, host, "Stop-CsWindowsService").Params; p["Name"] != "RTCXMPPTGWPX" {
		t.Errorf("Stop params = %v", p)
	}
	if _, err := s.StartServices(ctx, edge.StartOptions{Names: []string{"RTCXMPPTGWPX"}, PollInterval: 5 * time.Millisecond}); err != nil {
		t.Fatal(err)
	}
	if !servicesIn(d, host, lynctest.Running) {
		t.Errorf("host services after start: %v", d.Snapshot().Services[host])
	}
}

func TestServerStatus(t *testing.T) {
	t.Parallel()
	d := newLab(t, 1)
	host := labServer(1)
	if err := d.SetServiceStatus(host, "RTCSRV", lynctest.Stopped); err != nil {
		t.Fatal(err)
	}
	s, err := edge.NewServer(host, labClient(t, d, host, false))
	if err != nil {
		t.Fatal(err)
	}
	st, err := s.Status(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if st.Want != "" || st.Reached || st.All(lync.ServiceRunning) || len(st.Services) != 7 || st.Pending() != nil {
		t.Errorf("state = %+v", st)
	}
	if got := st.NotIn(lync.ServiceRunning); !slices.Equal(got, []string{"RTCSRV"}) {
		t.Errorf("NotIn(Running) = %v", got)
	}

	// A client that reaches a host without Lync services (the management
	// host) is not an Edge server.
	m, err := edge.NewServer(labMgmt, labClient(t, d, labMgmt, false))
	if err != nil {
		t.Fatal(err)
	}
	st, err = m.Status(t.Context())
	var se *edge.ServerError
	if !errors.Is(err, edge.ErrNoServices) || !errors.As(err, &se) || se.Op != edge.OpStatus || se.FQDN != labMgmt {
		t.Errorf("Status(management host) err = %v, want a status *ServerError matching ErrNoServices", err)
	}
	if st == nil || st.FQDN != labMgmt || len(st.Services) != 0 || st.Reached {
		t.Errorf("Status(management host) state = %+v", st)
	}
}

// lastInvocation returns the host's last call of cmdlet.
func lastInvocation(t *testing.T, d *lynctest.Deployment, host, cmdlet string) lynctest.Invocation {
	t.Helper()
	inv := d.Host(host).Invocations()
	for i := len(inv) - 1; i >= 0; i-- {
		if inv[i].Cmdlet == cmdlet {
			return inv[i]
		}
	}
	t.Fatalf("%s never ran %s", host, cmdlet)
	return lynctest.Invocation{}
}

func equalParams(got, want map[string]any) bool {
	if len(got) != len(want) {
		return false
	}
	for k, v := range want {
		if got[k] != v {
			return false
		}
	}
	return true
}
