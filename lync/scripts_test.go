package lync_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/xmppfed/edgefailover/lync"
)

// recorder is a Runner that records scripts and answers the reads a change
// makes (route parameter, site read-back).
type recorder struct {
	mu      sync.Mutex
	scripts []string
	route   string
}

func (r *recorder) Run(ctx context.Context, script string) (json.RawMessage, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.scripts = append(r.scripts, script)
	switch {
	case strings.HasPrefix(script, "(Get-Command"):
		return json.RawMessage(`["Identity","XmppFederationRoute","Confirm"]`), nil
	case strings.HasPrefix(script, "Get-CsSite"):
		return json.Marshal([]map[string]any{{"Identity": "Site:Site2", "Route": r.route}})
	case strings.HasPrefix(script, "Set-CsSite"):
		// Set-CsSite ...; Get-CsSite ...: the change and its read-back.
		set, _, _ := strings.Cut(script, "; ")
		if i := strings.Index(set, "'EdgeServer:"); i >= 0 {
			r.route = strings.Trim(set[i:], "'")
		} else {
			r.route = ""
		}
		return json.Marshal([]map[string]any{{"Identity": "Site:Site2", "Route": r.route}})
	}
	return json.RawMessage(`[]`), nil
}

func (r *recorder) sent(prefix string) []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, s := range r.scripts {
		if strings.HasPrefix(s, prefix) {
			out = append(out, s)
		}
	}
	return out
}

// The rendered scripts are exactly what the methods send: a dry run built
// from them cannot drift from what runs.
func TestScriptsAreWhatMethodsSend(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	r := &recorder{}
	c := lync.NewClient(r, lync.ClientOptions{})

	opts := lync.StopOptions{Names: []string{"RTCSRV", "REPLICA"}, Graceful: true, NoWait: true}
	if err := c.Services.Stop(ctx, "edge2a.contoso.com", opts); err != nil {
		t.Fatal(err)
	}
	if err := c.Services.Start(ctx, "edge2a.contoso.com"); err != nil {
		t.Fatal(err)
	}
	if err := c.Site("Site2").SetXmppRoute(ctx, "EdgePool2.contoso.com"); err != nil {
		t.Fatal(err)
	}
	if err := c.Site("Site2").ClearXmppRoute(ctx); err != nil {
		t.Fatal(err)
	}
	var sc lync.Scripts
	stop, _ := sc.Stop("edge2a.contoso.com", opts)
	start, _ := sc.Start("edge2a.contoso.com")
	set, _ := sc.SetXmppRoute("Site2", "EdgePool2.contoso.com")
	clear, _ := sc.ClearXmppRoute("Site2")
	for _, tt := range []struct {
		prefix string
		want   []string
	}{
		{"Stop-", []string{stop}},
		{"Start-", []string{start}},
		{"Set-CsSite", []string{set, clear}},
	} {
		got := r.sent(tt.prefix)
		if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
			t.Errorf("sent %q, rendered %q", got, tt.want)
		}
	}
	if want := "Set-CsSite -Identity 'Site2' -XmppFederationRoute 'EdgeServer:edgepool2.contoso.com'; Get-CsSite -Identity 'Site2' | Select-Object"; !strings.HasPrefix(set, want) {
		t.Errorf("Scripts.SetXmppRoute = %q, want prefix %q", set, want)
	}
}

func TestScriptsRefuseBadInput(t *testing.T) {
	t.Parallel()
	for name, err := range map[string]error{
		"computer": func() error { _, err := lync.Scripts{}.Stop("edge2a'; Stop-Computer", lync.StopOptions{}); return err }(),
		"service":  func() error { _, err := lync.Scripts{}.Start("edge2a.contoso.com", "RTC$(x)"); return err }(),
		"site":     func() error { _, err := lync.Scripts{}.ClearXmppRoute("Site2'"); return err }(),
		"pool":     func() error { _, err := lync.Scripts{}.SetXmppRoute("Site2", "pool"); return err }(),
	} {
		var ie *lync.InputError
		if !errors.As(err, &ie) {
			t.Errorf("%s: err = %v, want an *InputError", name, err)
		}
	}
	if _, err := (lync.Scripts{Parameter: "Route'"}).SetXmppRoute("Site2", "edgepool2.contoso.com"); err == nil {
		t.Error("an unknown route parameter was accepted")
	}
}
