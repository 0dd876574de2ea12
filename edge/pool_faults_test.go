package edge_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/xmppfed/edgefailover/edge"
	"github.com/xmppfed/edgefailover/lync"
	"github.com/xmppfed/edgefailover/lync/lynctest"
)

// faultWait bounds the cases whose faulty server never answers or never
// reaches the state: the healthy servers need a few tens of milliseconds,
// but a loaded machine under -race made them miss 2 s. noWait bounds the
// cases whose faulty server fails at once, so that only the healthy
// servers wait: generous, since it costs nothing when they are quick.
const (
	faultWait = 5 * time.Second
	noWait    = 30 * time.Second
)

// TestPoolOneServerFails injects a fault on one server of a 4-server pool:
// the result and the *PoolError must name exactly that server as failed,
// with a cause the caller can match, and the other three as done.
func TestPoolOneServerFails(t *testing.T) {
	t.Parallel()
	bad := labServer(3)
	good := []string{labServer(1), labServer(2), labServer(4)}
	stop := func(timeout time.Duration) func(context.Context, *edge.Pool) (*edge.PoolResult, error) {
		return func(ctx context.Context, p *edge.Pool) (*edge.PoolResult, error) {
			return p.StopServices(ctx, edge.StopOptions{PollInterval: 5 * time.Millisecond, Timeout: timeout})
		}
	}
	stopped := stop(noWait)
	for _, tc := range []struct {
		name  string
		fault lynctest.Fault
		op    string
		run   func(context.Context, *edge.Pool) (*edge.PoolResult, error)
		want  lynctest.ServiceStatus // state the good servers must reach (0: none checked)
		cause func(error) bool
	}{
		{
			name:  "service will not stop",
			fault: lynctest.Fault{Kind: lynctest.FaultServiceWontStop, Service: "RTCXMPPTGWPX"},
			op:    edge.OpStop, run: stop(faultWait), want: lynctest.Stopped,
			cause: func(err error) bool {
				var we *lync.WaitError
				return errors.As(err, &we) && errors.Is(err, context.DeadlineExceeded)
			},
		},
		{
			name: "cmdlet error",
			fault: lynctest.Fault{Kind: lynctest.FaultCmdletError, Cmdlet: "Stop-CsWindowsService", Record: lynctest.ErrorRecord{
				Type: "System.InvalidOperationException", Message: "Service RTCSRV failed to stop.",
				FullyQualifiedErrorId: "ServiceOperationFailed,Microsoft.Rtc.Management.Deployment.Core.StopCsWindowsServiceCmdlet",
				Category:              "OperationStopped"}},
			op: edge.OpStop, run: stopped, want: lynctest.Stopped,
			cause: func(err error) bool {
				var ce *lync.CmdletError
				return errors.As(err, &ce) && ce.Cmdlet == "Stop-CsWindowsService" && errors.Is(err, lync.ErrServiceOperation)
			},
		},
		{
			name:  "unauthorized",
			fault: lynctest.Fault{Kind: lynctest.FaultUnauthorized},
			op:    edge.OpStop, run: stopped, want: lynctest.Stopped,
			cause: func(err error) bool { return errors.Is(err, lync.ErrUnauthorized) },
		},
		{
			name:  "host hangs",
			fault: lynctest.Fault{Kind: lynctest.FaultHang},
			op:    edge.OpStop, want: lynctest.Stopped,
			run: func(ctx context.Context, p *edge.Pool) (*edge.PoolResult, error) {
				ctx, cancel := context.WithTimeout(ctx, faultWait)
				defer cancel()
				return p.StopServices(ctx, edge.StopOptions{PollInterval: 5 * time.Millisecond})
			},
			cause: func(err error) bool { return errors.Is(err, context.DeadlineExceeded) },
		},
		{
			name:  "service will not start",
			fault: lynctest.Fault{Kind: lynctest.FaultServiceWontStart, Service: "RTCSRV"},
			op:    edge.OpStart, want: lynctest.Running,
			run: func(ctx context.Context, p *edge.Pool) (*edge.PoolResult, error) {
				if res, err := stopped(ctx, p); err != nil {
					return res, err
				}
				return p.StartServices(ctx, edge.StartOptions{PollInterval: 5 * time.Millisecond, Timeout: faultWait})
			},
			cause: func(err error) bool { return errors.Is(err, lync.ErrServiceOperation) },
		},
		{
			name:  "prepare unauthorized",
			fault: lynctest.Fault{Kind: lynctest.FaultUnauthorized},
			op:    edge.OpPrepare,
			run:   func(ctx context.Context, p *edge.Pool) (*edge.PoolResult, error) { return p.Prepare(ctx) },
			cause: func(err error) bool { return errors.Is(err, lync.ErrUnauthorized) },
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d := newLab(t, 4)
			p := labPool(t, d, 4)
			tc.fault.Host = bad
			remove, err := d.Inject(tc.fault)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(remove) // before the clients close: a hanging host would slow Close

			res, err := tc.run(t.Context(), p)
			if res == nil || res.Op != tc.op || res.OK() {
				t.Fatalf("result = %+v", res)
			}
			if got := res.Failed(); !slices.Equal(got, []string{bad}) {
				t.Errorf("Failed = %v, want [%s]", got, bad)
			}
			if got := res.Succeeded(); !slices.Equal(got, good) {
				t.Errorf("Succeeded = %v, want %v", got, good)
			}
			var pe *edge.PoolError
			if !errors.As(err, &pe) {
				t.Fatalf("err = %T %v, want *edge.PoolError", err, err)
			}
			if pe.Pool != labPool1 || pe.Op != tc.op || !slices.Equal(pe.Succeeded, good) || !slices.Equal(pe.FailedServers(), []string{bad}) {
				t.Errorf("PoolError = %+v", pe)
			}
			if se := pe.Failed[0]; se.FQDN != bad || se.Op != tc.op || se.State == nil || se.State.Reached {
				t.Errorf("ServerError = %+v", se)
			}
			if !tc.cause(err) {
				t.Errorf("cause not reachable with errors.Is/As: %v", err)
			}
			if tc.want == 0 {
				return
			}
			for _, host := range good {
				if !servicesIn(d, host, tc.want) {
					t.Errorf("%s: %v, want all %v", host, d.Snapshot().Services[host], tc.want)
				}
			}
			if servicesIn(d, bad, tc.want) {
				t.Errorf("%s reached %v despite the fault", bad, tc.want)
			}
		})
	}
}
