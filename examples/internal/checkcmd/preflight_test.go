package checkcmd

import (
	"strings"
	"testing"

	"github.com/xmppfed/edgefailover/failover/failovertest"
)

// TestPreflightFindings: check reports failover's preflight findings of the
// expected pool: an error fails the check, a warning passes with its text.
func TestPreflightFindings(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		fault failovertest.PreflightFault
		code  int
		want  string
	}{
		{failovertest.FaultFederationOff, ExitUnhealthy, "FAIL     preflight/access-edge/Global                 AllowFederatedUsers is False"},
		{failovertest.FaultSfB2019, ExitUnhealthy, "Skype for Business Server 2019 or later (Version 8) has no XMPP gateway or proxy"},
		{failovertest.FaultNoPartners, ExitHealthy, "warning: no XMPP allowed partner"},
	} {
		t.Run(string(tc.fault), func(t *testing.T) {
			t.Parallel()
			lab := failovertest.Start(t, failovertest.Options{PreflightFaults: []failovertest.PreflightFault{tc.fault}})
			args, env := labArgs(t, lab)
			code, out, errs := runCheck(env, args...)
			if code != tc.code || !strings.Contains(out, tc.want) {
				t.Errorf("exit %d (want %d), output lacks %q:\n%s%s", code, tc.code, tc.want, out, errs)
			}
		})
	}
	lab := failovertest.Start(t, failovertest.Options{})
	args, env := labArgs(t, lab)
	before := lab.Deployment().Counters().Cmdlets["Get-CsPool"]
	if _, out, _ := runCheck(env, args...); !strings.Contains(out, "preflight/reachability/edge1a.contoso.com:23456 reachable from the management host") ||
		!strings.Contains(out, "preflight/reachability/edge1b.contoso.com:23456 reachable from the management host") ||
		!strings.Contains(out, "preflight/version/edgepool1.contoso.com") {
		t.Errorf("a healthy lab's check lacks the preflight results:\n%s", out)
	}
	// The pool is read once: its computers are both the servers checked
	// and those the reachability check tests.
	if n := lab.Deployment().Counters().Cmdlets["Get-CsPool"] - before; n != 1 {
		t.Errorf("Get-CsPool ran %d times, want 1", n)
	}
}
