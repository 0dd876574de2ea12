package edge_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/xmppfed/edgefailover/edge"
	"github.com/xmppfed/edgefailover/lync"
)

func TestPoolResultHelpers(t *testing.T) {
	t.Parallel()
	cause := &lync.CmdletError{Cmdlet: "Stop-CsWindowsService", FullyQualifiedErrorId: "ServiceOperationFailed,X", Category: "OperationStopped"}
	plain := errors.New("not a *ServerError")
	for _, tc := range []struct {
		name      string
		servers   []edge.ServerResult
		ok        bool
		succeeded []string
		failed    []string
	}{
		{"all ok", []edge.ServerResult{{FQDN: "a.example"}, {FQDN: "b.example"}}, true, []string{"a.example", "b.example"}, nil},
		{"one typed failure", []edge.ServerResult{
			{FQDN: "a.example"},
			{FQDN: "b.example", Err: &edge.ServerError{FQDN: "b.example", Op: edge.OpStop, Err: cause}},
		}, false, []string{"a.example"}, []string{"b.example"}},
		{"plain failure is wrapped", []edge.ServerResult{{FQDN: "a.example", Err: plain}, {FQDN: "b.example", Err: plain}},
			false, nil, []string{"a.example", "b.example"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := &edge.PoolResult{Pool: "pool.example", Op: edge.OpStop, Servers: tc.servers}
			if r.OK() != tc.ok || !slices.Equal(r.Succeeded(), tc.succeeded) || !slices.Equal(r.Failed(), tc.failed) {
				t.Errorf("OK %v Succeeded %v Failed %v", r.OK(), r.Succeeded(), r.Failed())
			}
			err := r.Err()
			if tc.ok {
				if err != nil {
					t.Errorf("Err = %v, want nil", err)
				}
				return
			}
			var pe *edge.PoolError
			if !errors.As(err, &pe) || pe.Pool != "pool.example" || pe.Op != edge.OpStop ||
				!slices.Equal(pe.Succeeded, tc.succeeded) || !slices.Equal(pe.FailedServers(), tc.failed) {
				t.Fatalf("Err = %#v", err)
			}
			for _, name := range append([]string{"pool.example"}, tc.failed...) {
				if !strings.Contains(err.Error(), name) { // for people reading logs
					t.Errorf("message %q does not name %s", err.Error(), name)
				}
			}
			if len(pe.Unwrap()) != len(tc.failed) {
				t.Errorf("Unwrap gives %d errors", len(pe.Unwrap()))
			}
			for _, f := range pe.Failed {
				if f.Op != edge.OpStop || f.FQDN == "" {
					t.Errorf("failure %+v", f)
				}
			}
			var ce *lync.CmdletError
			if errors.As(err, &ce) != (tc.name == "one typed failure") || errors.Is(err, plain) != (tc.name == "plain failure is wrapped") {
				t.Errorf("causes not reachable: %v", err)
			}
		})
	}
}

func TestServerStateHelpers(t *testing.T) {
	t.Parallel()
	st := &edge.ServerState{Services: []lync.Service{
		{Name: "REPLICA", Status: lync.ServiceStopped},
		{Name: "RTCSRV", Status: lync.ServiceStopPending},
		{Name: "RTCXMPPTGWPX", Status: lync.ServiceStopped},
	}}
	for _, tc := range []struct {
		status lync.ServiceStatus
		names  []string
		want   []string
	}{
		{lync.ServiceStopped, nil, []string{"RTCSRV"}},
		{lync.ServiceRunning, nil, []string{"REPLICA", "RTCSRV", "RTCXMPPTGWPX"}},
		{lync.ServiceStopped, []string{"rtcxmpptgwpx"}, nil},
		{lync.ServiceStopped, []string{"RTCSRV", "RTCMISSING"}, []string{"RTCSRV", "RTCMISSING"}},
	} {
		if got := st.NotIn(tc.status, tc.names...); !slices.Equal(got, tc.want) {
			t.Errorf("NotIn(%s, %v) = %v, want %v", tc.status, tc.names, got, tc.want)
		}
	}
	if st.All(lync.ServiceStopped) || (&edge.ServerState{}).All(lync.ServiceStopped) {
		t.Error("All is true with a pending service or with no service")
	}
	st.Services[1].Status = lync.ServiceStopped
	if !st.All(lync.ServiceStopped) {
		t.Error("All(Stopped) = false with every service stopped")
	}
}
