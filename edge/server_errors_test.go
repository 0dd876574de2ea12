package edge_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xmppfed/edgefailover/edge"
	"github.com/xmppfed/edgefailover/lync"
	"github.com/xmppfed/edgefailover/lync/lynctest"
	"github.com/xmppfed/edgefailover/lync/winrm"
)

func TestNewServerInput(t *testing.T) {
	t.Parallel()
	c := lync.NewClient(nil, lync.ClientOptions{}) // never used: every case is refused first
	for _, tc := range []struct {
		fqdn   string
		client *lync.Client
	}{
		{"edge01", c},
		{"", c},
		{"edge01.contoso.com'; Stop-Computer", c},
		{"192.0.2.1", c},
		{"edge01.contoso.com", nil},
	} {
		if s, err := edge.NewServer(tc.fqdn, tc.client); !errors.Is(err, edge.ErrInvalidInput) || s != nil {
			t.Errorf("NewServer(%q, %v) = %v, %v; want ErrInvalidInput", tc.fqdn, tc.client != nil, s, err)
		}
	}
}

// TestServerOptionsRefused: bad options are refused before anything is sent,
// with the state still returned.
func TestServerOptionsRefused(t *testing.T) {
	t.Parallel()
	d := newLab(t, 1)
	host := labServer(1)
	s, err := edge.NewServer(host, labClient(t, d, host, false))
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	for name, call := range map[string]func() (*edge.ServerState, error){
		"stop name": func() (*edge.ServerState, error) {
			return s.StopServices(ctx, edge.StopOptions{Names: []string{"RTC SRV"}})
		},
		"stop quote": func() (*edge.ServerState, error) {
			return s.StopServices(ctx, edge.StopOptions{Names: []string{"RTCSRV'"}})
		},
		"stop poll": func() (*edge.ServerState, error) { return s.StopServices(ctx, edge.StopOptions{PollInterval: -1}) },
		"stop timeout": func() (*edge.ServerState, error) {
			return s.StopServices(ctx, edge.StopOptions{Timeout: -time.Second})
		},
		"start name": func() (*edge.ServerState, error) {
			return s.StartServices(ctx, edge.StartOptions{Names: []string{""}})
		},
		"start timeout": func() (*edge.ServerState, error) { return s.StartServices(ctx, edge.StartOptions{Timeout: -1}) },
	} {
		st, err := call()
		var se *edge.ServerError
		if !errors.Is(err, edge.ErrInvalidInput) || !errors.As(err, &se) || se.FQDN != host {
			t.Errorf("%s: err = %v, want a *ServerError matching ErrInvalidInput", name, err)
		}
		if st == nil || st.Reached || st.Services != nil {
			t.Errorf("%s: state = %+v", name, st)
		}
	}
	if n := d.Counters().Total(); n != 0 {
		t.Errorf("refused options sent %d requests", n)
	}
}

// TestServerStopFailures: a stop that fails still gives the states read,
// and a cause the caller can match.
func TestServerStopFailures(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		fault   lynctest.Fault
		names   []string // services to stop; none: all
		check   func(error) bool
		pending []string // services not Stopped in the state returned
	}{
		{
			name:  "service will not stop",
			fault: lynctest.Fault{Kind: lynctest.FaultServiceWontStop, Service: "RTCSRV"},
			check: func(err error) bool {
				var we *lync.WaitError
				return errors.As(err, &we) && errors.Is(err, context.DeadlineExceeded)
			},
			pending: []string{"RTCSRV"},
		},
		{
			name:    "named service will not stop",
			fault:   lynctest.Fault{Kind: lynctest.FaultServiceWontStop, Service: "RTCSRV"},
			names:   []string{"RTCSRV", "RTCXMPPTGWPX"},
			check:   func(err error) bool { return errors.Is(err, context.DeadlineExceeded) },
			pending: []string{"RTCSRV"}, // the others are Running but were not asked to stop
		},
		{
			name:  "cmdlet error",
			fault: lynctest.Fault{Kind: lynctest.FaultCmdletError, Cmdlet: "Stop-CsWindowsService"},
			check: func(err error) bool {
				var ce *lync.CmdletError
				return errors.As(err, &ce) && ce.Cmdlet == "Stop-CsWindowsService"
			},
			pending: []string{"REPLICA", "RTCSRV", "RTCDATAPROXY", "RTCMRAUTH", "RTCMEDIARELAY", "RTCCLSAGT", "RTCXMPPTGWPX"},
		},
		{
			name:  "unauthorized",
			fault: lynctest.Fault{Kind: lynctest.FaultUnauthorized},
			check: func(err error) bool { return errors.Is(err, lync.ErrUnauthorized) },
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d := newLab(t, 1)
			host := labServer(1)
			tc.fault.Host = host
			if _, err := d.Inject(tc.fault); err != nil {
				t.Fatal(err)
			}
			s, err := edge.NewServer(host, labClient(t, d, host, false))
			if err != nil {
				t.Fatal(err)
			}
			st, err := s.StopServices(t.Context(), edge.StopOptions{Names: tc.names, PollInterval: 5 * time.Millisecond, Timeout: time.Second})
			var se *edge.ServerError
			if !errors.As(err, &se) || se.Op != edge.OpStop || se.FQDN != host || se.State != st || !tc.check(err) {
				t.Fatalf("err = %#v (%v)", err, err)
			}
			if st == nil || st.Reached || st.Want != lync.ServiceStopped {
				t.Fatalf("state = %+v", st)
			}
			if got := st.Pending(); !slices.Equal(got, tc.pending) {
				t.Errorf("services not stopped = %v, want %v", got, tc.pending)
			}
		})
	}
}

// TestServerPollTransportErrors: a wait survives up to two failed reads in
// a row (a dropped connection); the third ends it with the cause.
func TestServerPollTransportErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		fail []int // 1-based Get-CsWindowsService calls that fail
		ok   bool
	}{
		{[]int{2, 3}, true},
		{[]int{2, 4, 6}, true}, // not in a row
		{[]int{2, 3, 4}, false},
	} {
		t.Run(fmt.Sprint(tc.fail), func(t *testing.T) {
			t.Parallel()
			d := newLab(t, 1)
			if err := d.SetLatency(lynctest.Latency{ServiceStop: 30 * time.Second, Scale: 0.01}); err != nil {
				t.Fatal(err)
			}
			host := labServer(1)
			w, err := winrm.NewWinRM(labEndpoint(d, host, false), winrm.Options{})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = w.Close() })
			fr := &flakyRunner{r: w, host: host, fail: tc.fail}
			s, err := edge.NewServer(host, lync.NewClient(fr, lync.ClientOptions{}))
			if err != nil {
				t.Fatal(err)
			}
			st, err := s.StopServices(t.Context(), edge.StopOptions{PollInterval: 5 * time.Millisecond, Timeout: 10 * time.Second})
			if tc.ok {
				if err != nil || !st.Reached {
					t.Fatalf("stop = %+v, %v", st, err)
				}
				return
			}
			var te *lync.TransportError
			if !errors.As(err, &te) || !errors.Is(err, lync.ErrSessionBroken) || st.Reached || len(st.Services) == 0 {
				t.Fatalf("stop = %+v, %v; want the transport error and the states of the first read", st, err)
			}
		})
	}
}

// flakyRunner fails chosen Get-CsWindowsService calls as a dropped session would.
type flakyRunner struct {
	r    lync.Runner
	host string
	fail []int
	mu   sync.Mutex
	n    int
}

func (f *flakyRunner) Run(ctx context.Context, script string) (json.RawMessage, error) {
	if strings.Contains(script, "Get-CsWindowsService") {
		f.mu.Lock()
		f.n++
		n := f.n
		f.mu.Unlock()
		if slices.Contains(f.fail, n) {
			return nil, &lync.TransportError{Host: f.host, Op: "Receive", Err: lync.ErrSessionBroken}
		}
	}
	return f.r.Run(ctx, script)
}
