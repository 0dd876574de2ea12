package edge_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xmppfed/edgefailover/edge"
	"github.com/xmppfed/edgefailover/lync"
)

// DiscoverOptions.Servers opens only the chosen servers, in the given
// order, spelled as the topology lists them.
func TestDiscoverPoolServers(t *testing.T) {
	t.Parallel()
	d := newLab(t, 4)
	mgmt := labClient(t, d, labMgmt, false)
	o := &labOpener{d: d}
	p, err := edge.DiscoverPool(t.Context(), mgmt, labPool1, o.open,
		edge.DiscoverOptions{Servers: []string{"EDGE03.contoso.com.", labServer(1)}})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	var got []string
	for _, s := range p.Servers() {
		got = append(got, s.FQDN())
	}
	if want := []string{labServer(3), labServer(1)}; !slices.Equal(got, want) {
		t.Errorf("servers = %v, want %v", got, want)
	}
	slices.Sort(o.opened)
	if want := []string{labServer(1), labServer(3)}; !slices.Equal(o.opened, want) {
		t.Errorf("opened %v, want %v", o.opened, want)
	}
	if es := p.EdgeService(); es == nil || es.PoolFQDN != labPool1 {
		t.Errorf("EdgeService = %+v", es)
	}
	if n := d.Host(labMgmt).Counters().Cmdlets["Get-CsPool"]; n != 1 {
		t.Errorf("management host ran Get-CsPool %d times", n)
	}
}

// A chosen server that is not a computer of the pool is a *NotMemberError
// naming the server and the pool, and no client is opened.
func TestDiscoverPoolNotMember(t *testing.T) {
	t.Parallel()
	d := newLab(t, 2)
	mgmt := labClient(t, d, labMgmt, false)
	o := &labOpener{d: d}
	p, err := edge.DiscoverPool(t.Context(), mgmt, labPool1, o.open,
		edge.DiscoverOptions{Servers: []string{labServer(1), labEdge2}})
	var ne *edge.NotMemberError
	if p != nil || !errors.As(err, &ne) {
		t.Fatalf("DiscoverPool = %v, %v; want a *NotMemberError", p, err)
	}
	if ne.Server != labEdge2 || ne.Pool != labPool1 || !slices.Equal(ne.Computers, labServers(2)) {
		t.Errorf("NotMemberError = %+v", ne)
	}
	if msg := err.Error(); !strings.Contains(msg, labEdge2) || !strings.Contains(msg, "not a server of pool "+labPool1) {
		t.Errorf("message %q names neither the server nor the pool", msg)
	}
	if len(o.opened) != 0 {
		t.Errorf("opened %v before refusing", o.opened)
	}
}

func TestDiscoverPoolServersInput(t *testing.T) {
	t.Parallel()
	d := newLab(t, 2)
	mgmt := labClient(t, d, labMgmt, false)
	open := (&labOpener{d: d}).open
	for name, servers := range map[string][]string{
		"bad fqdn":    {"edge01"},
		"quote":       {"edge'01.contoso.com"},
		"named twice": {labServer(1), "EDGE01.contoso.com."},
	} {
		p, err := edge.DiscoverPool(t.Context(), mgmt, labPool1, open, edge.DiscoverOptions{Servers: servers})
		var ie *edge.InputError
		if p != nil || !errors.Is(err, edge.ErrInvalidInput) || !errors.As(err, &ie) || !strings.HasPrefix(ie.Field, "DiscoverOptions.Servers[") {
			t.Errorf("%s: DiscoverPool = %v, %v; want ErrInvalidInput on DiscoverOptions.Servers", name, p, err)
		}
	}
	if n := d.Counters().Total(); n != 0 {
		t.Errorf("refused input sent %d requests", n)
	}
}

// gatedOpener holds every open until want of them are in flight, and
// records the most in flight at once: discovery that opened one server
// after another would never reach want (the test's context ends it), and
// discovery without a bound would pass it.
type gatedOpener struct {
	labOpener
	want     int
	mu       sync.Mutex
	inflight int
	max      int
	opened   bool // all is closed
	all      chan struct{}
}

func (g *gatedOpener) open(ctx context.Context, fqdn string) (*lync.Client, error) {
	g.mu.Lock()
	g.inflight++
	g.max = max(g.max, g.inflight)
	if g.inflight == g.want && !g.opened {
		g.opened = true
		close(g.all)
	}
	g.mu.Unlock()
	defer func() {
		g.mu.Lock()
		g.inflight--
		g.mu.Unlock()
	}()
	select {
	case <-g.all:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	return g.labOpener.open(ctx, fqdn)
}

// The chosen servers are opened concurrently, at most DefaultConcurrency
// at once.
func TestDiscoverPoolServersConcurrent(t *testing.T) {
	t.Parallel()
	n := edge.DefaultConcurrency + 3
	d := newLab(t, n)
	mgmt := labClient(t, d, labMgmt, false)
	for _, chosen := range [][]string{labServers(n)[1:4], labServers(n)[1:]} {
		want := min(len(chosen), edge.DefaultConcurrency)
		g := &gatedOpener{labOpener: labOpener{d: d}, want: want, all: make(chan struct{})}
		// The deadline only ends a discovery that never overlaps its opens;
		// nothing is timed.
		ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
		p, err := edge.DiscoverPool(ctx, mgmt, labPool1, g.open, edge.DiscoverOptions{Servers: chosen})
		cancel()
		if err != nil {
			t.Fatalf("%d servers: %v (opens never reached %d in flight)", len(chosen), err, want)
		}
		if len(p.Servers()) != len(chosen) || g.max != want {
			t.Errorf("%d servers: pool of %d, at most %d opens in flight, want %d", len(chosen), len(p.Servers()), g.max, want)
		}
		p.Close()
	}
}
