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

func TestPoolStopStart(t *testing.T) {
	t.Parallel()
	for _, n := range []int{1, 4} {
		t.Run(labServers(n)[n-1], func(t *testing.T) {
			t.Parallel()
			d := newLab(t, n)
			p := labPool(t, d, n)
			var mu sync.Mutex
			var seen []string
			p.OnServer = func(r edge.ServerResult) {
				mu.Lock()
				defer mu.Unlock()
				seen = append(seen, r.FQDN)
			}
			ctx := t.Context()
			res, err := p.StopServices(ctx, edge.StopOptions{Graceful: true, PollInterval: 5 * time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			checkAll(t, res, edge.OpStop, n, lync.ServiceStopped)
			for _, host := range labServers(n) {
				if !servicesIn(d, host, lynctest.Stopped) {
					t.Errorf("%s after stop: %v", host, d.Snapshot().Services[host])
				}
				if p := lastInvocation(t, d, host, "Stop-CsWindowsService").Params; p["Graceful"] != true || p["ComputerName"] != host {
					t.Errorf("%s: Stop params %v", host, p)
				}
			}
			if !servicesIn(d, labEdge2, lynctest.Running) {
				t.Errorf("the other pool was touched: %v", d.Snapshot().Services[labEdge2])
			}
			mu.Lock()
			slices.Sort(seen)
			if !slices.Equal(seen, labServers(n)) {
				t.Errorf("OnServer saw %v", seen)
			}
			mu.Unlock()

			res, err = p.StartServices(ctx, edge.StartOptions{PollInterval: 5 * time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			checkAll(t, res, edge.OpStart, n, lync.ServiceRunning)
			res, err = p.Status(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if res.Op != edge.OpStatus || !res.OK() {
				t.Errorf("status result %+v", res)
			}
			for _, r := range res.Servers {
				if r.State == nil || !r.State.All(lync.ServiceRunning) {
					t.Errorf("status of %s: %+v", r.FQDN, r.State)
				}
			}
		})
	}
}

// checkAll checks a result where every server of edgepool1 reached want.
func checkAll(t *testing.T, res *edge.PoolResult, op string, n int, want lync.ServiceStatus) {
	t.Helper()
	if res.Pool != labPool1 || res.Op != op || !res.OK() || res.Err() != nil || len(res.Failed()) != 0 {
		t.Errorf("result %+v", res)
	}
	if got := res.Succeeded(); !slices.Equal(got, labServers(n)) {
		t.Errorf("Succeeded = %v", got)
	}
	for _, r := range res.Servers {
		if r.Err != nil || r.State == nil || !r.State.Reached || r.State.Want != want || !r.State.All(want) {
			t.Errorf("server %s: %+v, %v", r.FQDN, r.State, r.Err)
		}
	}
}

// TestPoolPrepare: Prepare imports the module once per server, and the stop
// that follows imports nothing more.
func TestPoolPrepare(t *testing.T) {
	t.Parallel()
	d := newLab(t, 4)
	p := labPool(t, d, 4)
	ctx := t.Context()
	res, err := p.Prepare(ctx)
	if err != nil || !res.OK() || res.Op != edge.OpPrepare {
		t.Fatalf("Prepare = %+v, %v", res, err)
	}
	for _, host := range labServers(4) {
		if c := d.Host(host).Counters(); c.ModuleImports != 1 || c.Cmdlets["Stop-CsWindowsService"] != 0 {
			t.Errorf("%s after Prepare: imports %d, cmdlets %v", host, c.ModuleImports, c.Cmdlets)
		}
	}
	if _, err := p.StopServices(ctx, edge.StopOptions{PollInterval: 5 * time.Millisecond}); err != nil {
		t.Fatal(err)
	}
	for _, host := range labServers(4) {
		if c := d.Host(host).Counters(); c.ModuleImports != 1 || c.Processes != 1 {
			t.Errorf("%s after stop: imports %d, processes %d; want 1, 1", host, c.ModuleImports, c.Processes)
		}
	}
}

// TestPoolConcurrencyBound counts the scripts in flight across the pool:
// never more than Concurrency, since each server runs one at a time.
func TestPoolConcurrencyBound(t *testing.T) {
	t.Parallel()
	d := newLab(t, 4)
	var g gauge
	var servers []*edge.Server
	for _, host := range labServers(4) {
		w, err := winrm.NewWinRM(labEndpoint(d, host, false), winrm.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = w.Close() })
		s, err := edge.NewServer(host, lync.NewClient(gaugedRunner{w, &g}, lync.ClientOptions{}))
		if err != nil {
			t.Fatal(err)
		}
		servers = append(servers, s)
	}
	p, err := edge.NewPool(labPool1, servers...)
	if err != nil {
		t.Fatal(err)
	}
	p.Concurrency = 2
	if _, err := p.StopServices(t.Context(), edge.StopOptions{PollInterval: 5 * time.Millisecond}); err != nil {
		t.Fatal(err)
	}
	if g.max < 1 || g.max > 2 {
		t.Errorf("max scripts in flight = %d, want 1..2", g.max)
	}
}

// TestPoolRunsServersAtOnce: every server's Stop-CsWindowsService is held
// until all four are in flight, which only a pool acting on the four at once
// achieves. With a bound of 3 the barrier never opens: the stop must still
// return at the deadline, every server failed, none left waiting (this once
// deadlocked when a server not started gave back a slot it had not taken).
func TestPoolRunsServersAtOnce(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		concurrency int
		wait        time.Duration
		ok          bool
	}{
		{0, 10 * time.Second, true},
		{3, 300 * time.Millisecond, false},
	} {
		t.Run(fmt.Sprint("concurrency=", tc.concurrency), func(t *testing.T) {
			t.Parallel()
			d := newLab(t, 4)
			b := &barrier{n: 4, open: make(chan struct{})}
			var servers []*edge.Server
			for _, host := range labServers(4) {
				w, err := winrm.NewWinRM(labEndpoint(d, host, false), winrm.Options{})
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { _ = w.Close() })
				s, err := edge.NewServer(host, lync.NewClient(barrierRunner{w, b}, lync.ClientOptions{}))
				if err != nil {
					t.Fatal(err)
				}
				servers = append(servers, s)
			}
			p, err := edge.NewPool(labPool1, servers...)
			if err != nil {
				t.Fatal(err)
			}
			p.Concurrency = tc.concurrency
			ctx, cancel := context.WithTimeout(t.Context(), tc.wait)
			defer cancel()
			res, err := p.StopServices(ctx, edge.StopOptions{PollInterval: 5 * time.Millisecond})
			if tc.ok {
				if err != nil {
					t.Fatalf("stop with all four held together: %v", err)
				}
				return
			}
			if !errors.Is(err, context.DeadlineExceeded) || !slices.Equal(res.Failed(), labServers(4)) {
				t.Fatalf("bounded stop: failed %v, err %v; want all four failed at the deadline", res.Failed(), err)
			}
		})
	}
}

// barrier opens when n callers have arrived.
type barrier struct {
	mu   sync.Mutex
	n    int
	open chan struct{}
}

type barrierRunner struct {
	r lync.Runner
	b *barrier
}

func (r barrierRunner) Run(ctx context.Context, script string) (json.RawMessage, error) {
	if strings.Contains(script, "Stop-CsWindowsService") {
		r.b.mu.Lock()
		if r.b.n--; r.b.n == 0 {
			close(r.b.open)
		}
		r.b.mu.Unlock()
		select {
		case <-r.b.open:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return r.r.Run(ctx, script)
}

type gauge struct {
	mu       sync.Mutex
	cur, max int
}

var _ lync.Runner = gaugedRunner{}

type gaugedRunner struct {
	r lync.Runner
	g *gauge
}

func (r gaugedRunner) Run(ctx context.Context, script string) (json.RawMessage, error) {
	r.g.mu.Lock()
	r.g.cur++
	r.g.max = max(r.g.max, r.g.cur)
	r.g.mu.Unlock()
	defer func() { r.g.mu.Lock(); r.g.cur--; r.g.mu.Unlock() }()
	return r.r.Run(ctx, script)
}

// TestPoolCancelled: with a context already ended nothing is sent and every
// server reports the context's error.
func TestPoolCancelled(t *testing.T) {
	t.Parallel()
	d := newLab(t, 4)
	p := labPool(t, d, 4)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	res, err := p.StopServices(ctx, edge.StopOptions{})
	var pe *edge.PoolError
	if !errors.As(err, &pe) || !errors.Is(err, context.Canceled) || len(pe.Succeeded) != 0 {
		t.Fatalf("err = %v", err)
	}
	if got := res.Failed(); !slices.Equal(got, labServers(4)) {
		t.Errorf("Failed = %v", got)
	}
	for _, r := range res.Servers {
		if r.State == nil || r.State.FQDN != r.FQDN {
			t.Errorf("%s: state %+v", r.FQDN, r.State)
		}
	}
	if n := d.Counters().Total(); n != 0 {
		t.Errorf("a cancelled stop sent %d requests", n)
	}
}

func TestNewPoolInput(t *testing.T) {
	t.Parallel()
	c := lync.NewClient(nil, lync.ClientOptions{})
	a, _ := edge.NewServer("edge01.contoso.com", c)
	b, _ := edge.NewServer("edge02.contoso.com", c)
	a2, _ := edge.NewServer("EDGE01.contoso.com", c)
	for name, tc := range map[string]struct {
		fqdn    string
		servers []*edge.Server
		is      error
	}{
		"no servers":   {labPool1, nil, edge.ErrNoServers},
		"bad fqdn":     {"edgepool1", []*edge.Server{a}, edge.ErrInvalidInput},
		"nil server":   {labPool1, []*edge.Server{a, nil}, edge.ErrInvalidInput},
		"listed twice": {labPool1, []*edge.Server{a, b, a2}, edge.ErrInvalidInput},
	} {
		if p, err := edge.NewPool(tc.fqdn, tc.servers...); !errors.Is(err, tc.is) || !errors.Is(err, edge.ErrInvalidInput) || p != nil {
			t.Errorf("%s: NewPool = %v, %v", name, p, err)
		}
	}
	p, err := edge.NewPool("EdgePool1.Contoso.com.", a, b)
	if err != nil || p.FQDN() != labPool1 || len(p.Servers()) != 2 || p.EdgeService() != nil {
		t.Errorf("NewPool = %+v, %v", p, err)
	}
}
