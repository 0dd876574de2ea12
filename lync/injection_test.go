package lync_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/xmppfed/edgefailover/internal/pwsh"

	"github.com/xmppfed/edgefailover/lync"
	"github.com/xmppfed/edgefailover/lync/lynctest"
	"github.com/xmppfed/edgefailover/lync/winrm"
)

// injection holds values that would break or extend a script if they
// reached it unquoted, or quoted by ASCII rules only.
var injection = []string{
	"Site2'; Stop-CsWindowsService; '",
	"Site2\u2018; Remove-Item C:\\ -Recurse; \u2018",
	"Site2\u2019", "Site2\u201a", "Site2\u201b", "Site2''",
	"$(Stop-Computer)", "Site`n2", "Site2; Get-Process", "Site2\nGet-Process",
	"Site2\r\n", "Site2\x00", "Site2\"", "Site2\u2013Force", "@(1)", "Site2|Out-Null",
	"edgepool2.contoso.com'; exit; '", "edgepool2.contoso.com\u2019",
	"edgepool2.contoso.com$(1)", "edgepool2.contoso.com`", "edgepool2.contoso.com\x00",
}

// TestInjectionRejected: every corpus value, as a site name or as a route,
// is refused before anything is sent.
func TestInjectionRejected(t *testing.T) {
	t.Parallel()
	d := newDeployment(t, topology(lynctest.SfB2015, ""))
	c := newClient(t, d, false, winrm.Options{})
	ctx := t.Context()
	for _, v := range injection {
		checks := map[string]error{
			"Sites.Get":              func() error { _, err := c.Sites.Get(ctx, v); return err }(),
			"Site.SetXmppRoute site": c.Site(v).SetXmppRoute(ctx, edgeP2),
			"Site.SetXmppRoute fqdn": c.Site(site2).SetXmppRoute(ctx, v),
			"ClearXmppRoute":         c.Site(v).ClearXmppRoute(ctx),
			"Pools.Get":              func() error { _, err := c.Pools.Get(ctx, v); return err }(),
			"EdgePools":              func() error { _, err := c.Pools.EdgePools(ctx, v); return err }(),
			"Services.Stop":          c.Services.Stop(ctx, v, lync.StopOptions{}),
			"Services.Start name":    c.Services.Start(ctx, edge01, v),
			"Replication.Status":     func() error { _, err := c.Replication.Status(ctx, v); return err }(),
		}
		for name, err := range checks {
			var ie *lync.InputError
			if !errors.As(err, &ie) || !errors.Is(err, lync.ErrInvalidInput) {
				t.Errorf("%s(%q): err = %v, want *InputError", name, v, err)
			}
		}
	}
	if n := d.Counters().Total(); n != 0 {
		t.Errorf("%d requests reached the host: %v", n, d.Counters().Requests)
	}
}

// TestInjectionLiteral: the corpus, quoted by the client's script builder
// and sent through the real WinRM runner (both session kinds), reaches the
// host's reader as exactly the literal sent: the host binds it as the
// -Identity value and answers "not found", never a parse error or another
// command.
func TestInjectionLiteral(t *testing.T) {
	t.Parallel()
	for _, mode := range []winrm.Mode{winrm.ModePersistent, winrm.ModePerScript} {
		t.Run(fmt.Sprint(mode), func(t *testing.T) {
			t.Parallel()
			d := newDeployment(t, topology(lynctest.SfB2015, ""))
			w := newRunner(t, endpoint(d, feHost, true), winrm.Options{Mode: mode})
			ctx := t.Context()
			for _, v := range append(injection, "Site2 -Force", "Site2\u2014Force") {
				script, err := pwsh.NewCommand("Get-CsSite").String("Identity", v).Script()
				if err != nil {
					t.Fatal(err)
				}
				_, err = w.Run(ctx, script)
				var ce *lync.CmdletError
				if !errors.As(err, &ce) || !errors.Is(err, lync.ErrNotFound) || ce.Cmdlet != "Get-CsSite" {
					t.Errorf("%q: err = %v, want Get-CsSite not found", v, err)
					continue
				}
				inv := d.Host(feHost).Invocations()
				last := inv[len(inv)-1]
				if last.Cmdlet != "Get-CsSite" || len(last.Params) != 1 || last.Params["Identity"] != v {
					t.Errorf("%q: host bound %+v", v, last)
				}
			}
			if n := d.Host(feHost).Counters().Cmdlets["Get-CsSite"]; n != len(injection)+2 {
				t.Errorf("Get-CsSite ran %d times, want %d", n, len(injection)+2)
			}
		})
	}
}
