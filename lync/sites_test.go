package lync_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/xmppfed/edgefailover/lync"
	"github.com/xmppfed/edgefailover/lync/winrm"
)

// TestSites runs the site calls for both products, both route parameter
// names, over HTTP and HTTPS, with the real masterzen/winrm client.
func TestSites(t *testing.T) {
	t.Parallel()
	for _, v := range allVariants() {
		t.Run(v.String(), func(t *testing.T) {
			t.Parallel()
			d := newDeployment(t, topology(v.product, v.param))
			c := newClient(t, d, v.https, winrm.Options{})
			ctx := t.Context()

			param, err := c.Sites.RouteParameter(ctx)
			if err != nil || param != v.param {
				t.Fatalf("RouteParameter = %q, %v; want %q", param, err, v.param)
			}
			sites, err := c.Sites.List(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, s := range sites {
				names = append(names, s.Name)
			}
			if !slices.Equal(names, []string{site1, site2}) {
				t.Errorf("sites = %v", names)
			}
			s2, err := c.Sites.Get(ctx, "site:"+site2)
			if err != nil {
				t.Fatal(err)
			}
			if s2.Identity != "Site:"+site2 || s2.Name != site2 || s2.SiteID != 2 || s2.Kind != "CentralSite" ||
				s2.XmppRoute.Pool() != edgeP1 || !slices.Contains(s2.Pools, edgeP2) {
				t.Errorf("Site2 = %+v", s2)
			}

			site := c.Site(site2)
			if err := site.SetXmppRoute(ctx, "EdgePool2.Contoso.com."); err != nil {
				t.Fatal(err)
			}
			got, err := site.Get(ctx)
			if err != nil || got.XmppRoute.String() != "EdgeServer:"+edgeP2 {
				t.Fatalf("after set: %+v, %v", got, err)
			}
			if err := site.ClearXmppRoute(ctx); err != nil {
				t.Fatal(err)
			}
			if got, err := site.Get(ctx); err != nil || !got.XmppRoute.IsZero() {
				t.Fatalf("after clear: %+v, %v", got, err)
			}

			if _, err := c.Sites.Get(ctx, "NoSuchSite"); !errors.Is(err, lync.ErrNotFound) {
				t.Errorf("Get(NoSuchSite) err = %v, want ErrNotFound", err)
			}
			var ce *lync.CmdletError
			if err := c.Site("NoSuchSite").SetXmppRoute(ctx, edgeP2); !errors.As(err, &ce) || !errors.Is(err, lync.ErrNotFound) {
				t.Errorf("SetXmppRoute(NoSuchSite) err = %v, want *CmdletError ErrNotFound", err)
			}
			// A route to a pool that is not an Edge pool: the host refuses it.
			if err := site.SetXmppRoute(ctx, fePool); err == nil {
				t.Errorf("SetXmppRoute(front end pool) succeeded")
			}

			cnt := d.Host(feHost).Counters()
			if cnt.Processes != 1 || cnt.ModuleImports != 1 || cnt.Shells != 1 {
				t.Errorf("processes=%d imports=%d shells=%d, want 1 each", cnt.Processes, cnt.ModuleImports, cnt.Shells)
			}
		})
	}
}
