package lync_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/xmppfed/edgefailover/lync"
	"github.com/xmppfed/edgefailover/lync/lynctest"
	"github.com/xmppfed/edgefailover/lync/winrm"
)

func TestPools(t *testing.T) {
	t.Parallel()
	for _, p := range []lynctest.Product{lynctest.Lync2013, lynctest.SfB2015} {
		t.Run(p.String(), func(t *testing.T) {
			t.Parallel()
			d := newDeployment(t, topology(p, ""))
			c := newClient(t, d, true, winrm.Options{})
			ctx := t.Context()

			pool, err := c.Pools.Get(ctx, edgeP1)
			if err != nil {
				t.Fatal(err)
			}
			siteName, _ := lync.ParseSiteName(pool.Site)
			if pool.FQDN != edgeP1 || siteName != site1 || !slices.Equal(pool.Computers, []string{edge01, edge02}) {
				t.Errorf("pool = %+v", pool)
			}
			if _, err := c.Pools.Get(ctx, noSuchX); !errors.Is(err, lync.ErrNotFound) {
				t.Errorf("Get(nosuch) err = %v", err)
			}
			all, err := c.Pools.List(ctx)
			if err != nil || len(all) != 3 {
				t.Errorf("List = %+v, %v", all, err)
			}
			edges, err := c.Pools.EdgeServices(ctx, "")
			if err != nil || len(edges) != 2 {
				t.Fatalf("EdgeServices = %+v, %v", edges, err)
			}
			in2, err := c.Pools.EdgePools(ctx, site2)
			if err != nil || len(in2) != 1 {
				t.Fatalf("EdgePools(Site2) = %+v, %v", in2, err)
			}
			e := in2[0]
			if e.Identity != "EdgeServer:"+edgeP2 || e.PoolFQDN != edgeP2 || e.XmppInternalPort != 23456 || e.XmppListeningPort == 0 || e.AccessEdgeExternalFQDN == "" {
				t.Errorf("edge service = %+v", e)
			}
			one, err := c.Pools.EdgeServices(ctx, edgeP1)
			if err != nil || len(one) != 1 || one[0].PoolFQDN != edgeP1 {
				t.Errorf("EdgeServices(edgepool1) = %+v, %v", one, err)
			}
		})
	}
}
