package main

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/xmppfed/edgefailover/examples/internal/setup"
	"github.com/xmppfed/edgefailover/failover"
	"github.com/xmppfed/edgefailover/failover/failovertest"
)

// The sample config in this folder loads and passes every check that needs
// no network, so what admins copy stays valid.
func TestSampleConfig(t *testing.T) {
	t.Parallel()
	var fc fileConfig
	if err := setup.LoadJSON("config.sample.json", &fc); err != nil {
		t.Fatal(err)
	}
	if err := fc.check(providers()); err != nil {
		t.Fatal(err)
	}
	back, err := fc.plain(true)
	if err != nil {
		t.Fatal(err)
	}
	if back.TargetPool != fc.ReplacedPool || back.Site != fc.ReplacedSite || fmt.Sprint(back.Addresses) != "[192.0.2.10]" {
		t.Errorf("failback config: pool %s, site %s, addresses %v", back.TargetPool, back.Site, back.Addresses)
	}
}

// Resuming an apply that ended is refused with a clear error, exit 1.
func TestResumeEndedApply(t *testing.T) {
	t.Parallel()
	lab := failovertest.Start(t, failovertest.Options{ServersPerPool: 1, Domains: []string{"contoso.com"}})
	cfg, env := labConfig(t, lab)
	path := writeConfig(t, cfg)
	if code, out, errs := runApp(t, env, "", "-config", path, "-apply", "-yes"); code != exitOK {
		t.Fatalf("apply: exit %d\n%s\n%s", code, out, errs)
	}
	code, out, errs := runApp(t, env, "", "resume", "-config", path, "-yes")
	if code != exitFailed || !strings.Contains(errs, "has ended") {
		t.Errorf("resume: exit %d\n%s\n%s", code, out, errs)
	}
	if code, _, errs := runApp(t, env, "", "resume", "-config", path, "-apply"); code != exitBadInput || !strings.Contains(errs, "drop -apply") {
		t.Errorf("resume -apply: exit %d\n%s", code, errs)
	}
}

// -failback without replaced_pool is bad input (exit 2) before any prompt:
// failover.Config.Failback refuses it with a *failover.ConfigError.
func TestFailbackNeedsReplacedPool(t *testing.T) {
	t.Parallel()
	var fc fileConfig
	if err := setup.LoadJSON("config.sample.json", &fc); err != nil {
		t.Fatal(err)
	}
	fc.ReplacedPool = ""
	_, err := fc.plain(true)
	var ie *inputError
	var ce *failover.ConfigError
	if !errors.As(err, &ie) || !errors.As(err, &ce) || ce.Field != "ReplacedPool" {
		t.Errorf("failback without replaced_pool: %v", err)
	}
}

// A zone is accepted with or without the trailing dot (and in any case) and
// held in xmppdns's form; a zone that is not a name is refused.
func TestZoneWithOrWithoutTheTrailingDot(t *testing.T) {
	t.Parallel()
	load := func() fileConfig {
		var fc fileConfig
		if err := setup.LoadJSON("config.sample.json", &fc); err != nil {
			t.Fatal(err)
		}
		return fc
	}
	fc := load()
	want := fc.Domains[0].Zone
	fc.Domains[0].Zone = strings.ToUpper(strings.TrimSuffix(want, "."))
	if err := fc.check(providers()); err != nil {
		t.Fatal(err)
	}
	if got := fc.Domains[0].Zone; got != strings.ToLower(strings.TrimSuffix(want, "."))+"." {
		t.Errorf("zone %q held as %q", want, got)
	}
	fc = load()
	fc.Domains[0].Zone = "com"
	if err := fc.check(providers()); err == nil || !strings.Contains(err.Error(), "two labels") {
		t.Errorf("single-label zone: %v", err)
	}
}
