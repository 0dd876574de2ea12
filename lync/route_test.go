package lync_test

import (
	"context"
	"encoding/json"
	"errors"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/xmppfed/edgefailover/lync"
	"github.com/xmppfed/edgefailover/lync/lynctest"
	"github.com/xmppfed/edgefailover/lync/winrm"
)

func TestParseRoute(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]struct{ id, pool string }{
		"":                                  {"", ""},
		"EdgeServer:edgepool2.contoso.com":  {"EdgeServer:edgepool2.contoso.com", "edgepool2.contoso.com"},
		"edgeserver:EdgePool2.Contoso.com.": {"EdgeServer:edgepool2.contoso.com", "edgepool2.contoso.com"},
	} {
		r, err := lync.ParseRoute(in)
		if err != nil || r.String() != want.id || r.Pool() != want.pool || r.IsZero() != (in == "") {
			t.Errorf("ParseRoute(%q) = %q (pool %q), %v; want %q (pool %q)", in, r, r.Pool(), err, want.id, want.pool)
		}
	}
	for _, in := range []string{"edgepool2.contoso.com", "EdgeServer:", "EdgeServer:pool", "Registrar:fepool1.contoso.com", "EdgeServer:a'b.contoso.com"} {
		var ie *lync.InputError
		if _, err := lync.ParseRoute(in); !errors.As(err, &ie) || !errors.Is(err, lync.ErrInvalidInput) || ie.Field != "route" {
			t.Errorf("ParseRoute(%q) err = %v, want a route *InputError", in, err)
		}
	}
}

func TestRouteEqualAndText(t *testing.T) {
	t.Parallel()
	a, _ := lync.ParseRoute("EdgeServer:edgepool2.contoso.com")
	var b lync.Route
	if err := json.Unmarshal([]byte(`"EDGESERVER:EdgePool2.contoso.com"`), &b); err != nil {
		t.Fatal(err)
	}
	if !a.Equal(b) || !b.Equal(a) || b.String() != "EDGESERVER:EdgePool2.contoso.com" || b.Pool() != "edgepool2.contoso.com" {
		t.Errorf("a = %q, b = %q (pool %q): not equal as Lync compares", a, b, b.Pool())
	}
	var none lync.Route
	if !none.Equal(lync.Route{}) || none.Equal(a) || a.Equal(none) {
		t.Error("the zero Route equals only itself")
	}
	// A value a host wrote that is not an EdgeServer identity still compares.
	var odd, odd2 lync.Route
	_ = odd.UnmarshalText([]byte("Something:Else"))
	_ = odd2.UnmarshalText([]byte("something:else"))
	if !odd.Equal(odd2) || odd.Equal(a) || odd.Pool() != "" || odd.String() != "Something:Else" {
		t.Errorf("odd = %q: compares wrong", odd)
	}
	out, err := json.Marshal(struct{ R, N lync.Route }{R: a})
	if err != nil || string(out) != `{"R":"EdgeServer:edgepool2.contoso.com","N":""}` {
		t.Errorf("json = %s, %v", out, err)
	}
}

// counting is a Runner that counts the scripts it runs.
type counting struct {
	lync.Runner
	n atomic.Int32
}

func (r *counting) Run(ctx context.Context, script string) (json.RawMessage, error) {
	r.n.Add(1)
	return r.Runner.Run(ctx, script)
}

func TestReplaceXmppRoute(t *testing.T) {
	t.Parallel()
	for _, param := range []string{lynctest.XmppFederationRoute, lynctest.XmppExternalFederationRoute} {
		t.Run(param, func(t *testing.T) {
			t.Parallel()
			ctx := t.Context()
			d := newDeployment(t, topology(lynctest.SfB2015, param))
			r := &counting{Runner: newRunner(t, endpoint(d, feHost, false), winrm.Options{})}
			c := lync.NewClient(r, lync.ClientOptions{})
			if err := c.Prepare(ctx); err != nil {
				t.Fatal(err)
			}
			p1, _ := lync.ParseRoute("EdgeServer:" + edgeP1)
			p2, _ := lync.ParseRoute("EdgeServer:EdgePool2.contoso.com.")
			site := c.Site(site2)
			route := func() lync.Route {
				t.Helper()
				s, err := site.Get(ctx)
				if err != nil {
					t.Fatal(err)
				}
				return s.XmppRoute
			}

			r.n.Store(0)
			if err := site.ReplaceXmppRoute(ctx, p1, p2); err != nil {
				t.Fatal(err)
			}
			if n := r.n.Load(); n != 1 {
				t.Errorf("ReplaceXmppRoute ran %d scripts, want 1 (check, set and read-back in one)", n)
			}
			if got := route(); !got.Equal(p2) {
				t.Errorf("route = %q, want %q", got, p2)
			}
			// Already there: a repeated or resumed change is no error.
			if err := site.ReplaceXmppRoute(ctx, p1, p2); err != nil {
				t.Errorf("repeated ReplaceXmppRoute: %v", err)
			}

			// Another administrator clears the route meanwhile: the undo
			// (set back only if still ours) changes nothing.
			if err := d.SetXmppRoute(site2, ""); err != nil {
				t.Fatal(err)
			}
			err := site.ReplaceXmppRoute(ctx, p2, p1)
			var se *lync.StaleRouteError
			if !errors.As(err, &se) || !errors.Is(err, lync.ErrStaleRoute) || se.Site != site2 || !se.Found.IsZero() || !se.Want.Equal(p2) {
				t.Fatalf("err = %v (%+v), want a *StaleRouteError finding no route", err, se)
			}
			if got := route(); !got.IsZero() {
				t.Errorf("a stale ReplaceXmppRoute changed the route to %q", got)
			}
			// From no route, and back to none.
			if err := site.ReplaceXmppRoute(ctx, lync.Route{}, p1); err != nil {
				t.Fatal(err)
			}
			if err := site.ReplaceXmppRoute(ctx, p1, lync.Route{}); err != nil {
				t.Fatal(err)
			}
			if got := route(); !got.IsZero() {
				t.Errorf("route = %q, want none", got)
			}
			var odd lync.Route
			_ = odd.UnmarshalText([]byte("Something:Else"))
			if err := site.ReplaceXmppRoute(ctx, lync.Route{}, odd); !errors.Is(err, lync.ErrInvalidInput) {
				t.Errorf("setting a non-EdgeServer route: err = %v, want ErrInvalidInput", err)
			}
			if err := c.Site("NoSuchSite").ReplaceXmppRoute(ctx, p1, p2); !errors.Is(err, lync.ErrNotFound) {
				t.Errorf("unknown site: err = %v, want ErrNotFound", err)
			}
		})
	}
}

// A compare-and-set whose change does not take gives a *RouteError.
func TestReplaceXmppRouteNotApplied(t *testing.T) {
	t.Parallel()
	d := newDeployment(t, topology(lynctest.Lync2013, lynctest.XmppFederationRoute))
	c := lync.NewClient(dropGuardedSet{newRunner(t, endpoint(d, feHost, false), winrm.Options{})}, lync.ClientOptions{})
	p1, _ := lync.ParseRoute("EdgeServer:" + edgeP1)
	p2, _ := lync.ParseRoute("EdgeServer:" + edgeP2)
	err := c.Site(site2).ReplaceXmppRoute(t.Context(), p1, p2)
	var re *lync.RouteError
	if !errors.As(err, &re) || !re.Want.Equal(p2) || !re.Got.Equal(p1) {
		t.Fatalf("err = %v, want a *RouteError", err)
	}
}

// dropGuardedSet is a host where the guarded Set-CsSite does not take: the
// if statement's body sets the route it found.
type dropGuardedSet struct{ lync.Runner }

func (r dropGuardedSet) Run(ctx context.Context, script string) (json.RawMessage, error) {
	return r.Runner.Run(ctx, guardedSet.ReplaceAllString(script, "{ Set-CsSite -Identity 'Site2' -XmppFederationRoute 'EdgeServer:"+edgeP1+"' }"))
}

var guardedSet = regexp.MustCompile(`\{ Set-CsSite [^}]*\}`)

// TestReplaceXmppRouteComparesAsEqual: the host's check of a compare-and-set
// agrees with Route.Equal: an old route that differs from the host's only in
// case or a trailing dot on the pool (as a route read back from a journal
// may) is the host's route, and the change is made; a route Equal says is
// another one is stale. Before, the host compared the identity text with -eq
// (ignoring case only), found "EdgeServer:edgepool1.contoso.com." stale,
// changed nothing, and Go, finding the first read Equal to old, returned a
// *RouteError.
func TestReplaceXmppRouteComparesAsEqual(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	d := newDeployment(t, topology(lynctest.SfB2015, lynctest.XmppFederationRoute))
	c := newClient(t, d, false, winrm.Options{})
	p2, _ := lync.ParseRoute("EdgeServer:" + edgeP2)
	site := c.Site(site2)
	for _, tc := range []struct {
		old   string // as UnmarshalText reads it (a journal, a host)
		stale bool
	}{
		{"EdgeServer:edgepool1.contoso.com", false},
		{"EdgeServer:edgepool1.contoso.com.", false},
		{"EDGESERVER:EdgePool1.Contoso.COM", false},
		{"edgeserver:EDGEPOOL1.CONTOSO.COM.", false},
		{"EdgeServer:edgepool3.contoso.com.", true},
		{"EdgeServer:edgepool1.contoso.com..", true}, // not an FQDN: Equal compares the text
	} {
		if err := d.SetXmppRoute(site2, "EdgeServer:"+edgeP1); err != nil {
			t.Fatal(err)
		}
		var old lync.Route
		_ = old.UnmarshalText([]byte(tc.old))
		err := site.ReplaceXmppRoute(ctx, old, p2)
		s, gerr := site.Get(ctx)
		if gerr != nil {
			t.Fatal(gerr)
		}
		if tc.stale {
			if !errors.As(err, new(*lync.StaleRouteError)) || s.XmppRoute.Equal(p2) {
				t.Errorf("old %q: err = %v, route %q; want a *StaleRouteError and no change", tc.old, err, s.XmppRoute)
			}
			continue
		}
		if err != nil || !s.XmppRoute.Equal(p2) {
			t.Errorf("old %q: err = %v, route %q; want the route replaced", tc.old, err, s.XmppRoute)
		}
	}
	// A host holding the route with the dot (lynctest refuses to: it
	// resolves every route to its pool) is found by the second check.
	p1, _ := lync.ParseRoute("EdgeServer:" + edgeP1)
	script, err := lync.Scripts{}.ReplaceXmppRoute(site2, p1, p2)
	for _, v := range []string{"'EdgeServer:edgepool1.contoso.com')", "'EdgeServer:edgepool1.contoso.com.')"} {
		if err != nil || strings.Count(script, " -eq "+v+" { Set-CsSite") != 1 {
			t.Errorf("script %q (%v) does not check for %s once", script, err, v)
		}
	}
}
