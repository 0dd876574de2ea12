package edge_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/xmppfed/edgefailover/edge"
	"github.com/xmppfed/edgefailover/lync"
)

func TestDiscoverPool(t *testing.T) {
	t.Parallel()
	d := newLab(t, 4)
	mgmt := labClient(t, d, labMgmt, false)
	o := &labOpener{d: d}
	p, err := edge.DiscoverPool(t.Context(), mgmt, "EdgePool1.contoso.com", o.open, edge.DiscoverOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := p.Close(); err != nil {
			t.Error(err)
		}
	})
	if p.FQDN() != labPool1 {
		t.Errorf("FQDN = %q", p.FQDN())
	}
	var got []string
	for _, s := range p.Servers() {
		got = append(got, s.FQDN())
	}
	if !slices.Equal(got, labServers(4)) {
		t.Errorf("servers = %v", got)
	}
	slices.Sort(o.opened)
	if !slices.Equal(o.opened, labServers(4)) {
		t.Errorf("opened %v", o.opened)
	}
	es := p.EdgeService()
	if es == nil || es.PoolFQDN != labPool1 || es.Identity != "EdgeServer:"+labPool1 ||
		es.AccessEdgeExternalFQDN != "sip.contoso.com" || es.XmppListeningPort != 5269 {
		t.Errorf("EdgeService = %+v", es)
	}
	// The discovered pool works.
	res, err := p.Status(t.Context())
	if err != nil || len(res.Succeeded()) != 4 {
		t.Errorf("Status = %+v, %v", res, err)
	}
	for _, cmdlet := range []string{"Get-CsPool", "Get-CsService"} {
		if n := d.Host(labMgmt).Counters().Cmdlets[cmdlet]; n != 1 {
			t.Errorf("management host ran %s %d times", cmdlet, n)
		}
	}
}

func TestDiscoverPoolRefused(t *testing.T) {
	t.Parallel()
	d := newLab(t, 2)
	mgmt := labClient(t, d, labMgmt, false)
	ctx := t.Context()
	for _, tc := range []struct {
		name  string
		pool  string
		fail  string
		check func(error) bool
	}{
		{"front end pool", labFEPool, "", func(err error) bool {
			var ne *edge.NotEdgePoolError
			return errors.Is(err, edge.ErrNotEdgePool) && errors.As(err, &ne) && ne.Pool == labFEPool &&
				strings.Contains(err.Error(), labFEPool) &&
				slices.Contains(ne.Services, "Registrar:"+labFEPool)
		}},
		{"unknown pool", "nosuch.contoso.com", "", func(err error) bool { return errors.Is(err, lync.ErrNotFound) }},
		{"open fails", labPool1, labServer(2), func(err error) bool {
			var se *edge.ServerError
			return errors.Is(err, errOpenRefused) && errors.As(err, &se) && se.Op == edge.OpOpen && se.FQDN == labServer(2)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := &labOpener{d: d, fail: tc.fail}
			p, err := edge.DiscoverPool(ctx, mgmt, tc.pool, o.open, edge.DiscoverOptions{})
			if p != nil || !tc.check(err) {
				t.Fatalf("DiscoverPool = %v, %v", p, err)
			}
			for _, c := range o.clients { // every client opened was closed
				if _, err := c.Services.List(ctx, labServer(1)); !errors.Is(err, lync.ErrClosed) {
					t.Errorf("a client opened by a failed discovery still works: %v", err)
				}
			}
			if tc.fail != "" && len(o.clients) != 1 {
				t.Errorf("opened %v, want the other server", o.opened)
			}
		})
	}
}

func TestDiscoverPoolInput(t *testing.T) {
	t.Parallel()
	d := newLab(t, 1)
	mgmt := labClient(t, d, labMgmt, false)
	open := (&labOpener{d: d}).open
	ctx := t.Context()
	for name, call := range map[string]func() (*edge.Pool, error){
		"bad fqdn": func() (*edge.Pool, error) {
			return edge.DiscoverPool(ctx, mgmt, "edgepool1", open, edge.DiscoverOptions{})
		},
		"quote": func() (*edge.Pool, error) {
			return edge.DiscoverPool(ctx, mgmt, "edge'pool1.contoso.com", open, edge.DiscoverOptions{})
		},
		"nil client": func() (*edge.Pool, error) { return edge.DiscoverPool(ctx, nil, labPool1, open, edge.DiscoverOptions{}) },
		"nil open":   func() (*edge.Pool, error) { return edge.DiscoverPool(ctx, mgmt, labPool1, nil, edge.DiscoverOptions{}) },
	} {
		if p, err := call(); p != nil || !errors.Is(err, edge.ErrInvalidInput) {
			t.Errorf("%s: DiscoverPool = %v, %v; want ErrInvalidInput", name, p, err)
		}
	}
	if n := d.Counters().Total(); n != 0 {
		t.Errorf("refused input sent %d requests", n)
	}
	// A context that ends during discovery stops it.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := edge.DiscoverPool(cctx, mgmt, labPool1, open, edge.DiscoverOptions{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled DiscoverPool err = %v", err)
	}
}
