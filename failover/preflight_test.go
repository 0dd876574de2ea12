package failover_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/miekg/dns"

	"github.com/xmppfed/edgefailover/failover"
	"github.com/xmppfed/edgefailover/failover/failovertest"
	"github.com/xmppfed/edgefailover/failover/preflight"
)

// changes counts what a plan could have changed in the lab: route writes,
// service stops and starts, and DNS updates on the primary.
func changes(lab *failovertest.Lab) (route, stops, starts, updates int) {
	c := lab.Deployment().Counters().Cmdlets
	return c["Set-CsSite"], c["Stop-CsWindowsService"], c["Start-CsWindowsService"], lab.DNS().Primary.Count(dns.OpcodeUpdate)
}

func assertUnchanged(t *testing.T, lab *failovertest.Lab, before failovertest.State) {
	t.Helper()
	if r, stops, starts, u := changes(lab); r+stops+starts+u != 0 {
		t.Errorf("changes: %d route writes, %d service stops, %d starts, %d DNS updates; want none", r, stops, starts, u)
	}
	if diff := cmp.Diff(before, snapshot(t, lab)); diff != "" {
		t.Errorf("the lab changed (-before +after):\n%s", diff)
	}
}

// TestPreflightRefusesFieldCauses: each field cause of a failed failover
// is found by New before the first change, with 0 changes and 0 service
// stops, as a finding of the expected check and severity.
func TestPreflightRefusesFieldCauses(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		fault failovertest.PreflightFault
		check preflight.Check
		sev   preflight.Severity
		text  string
	}{
		{failovertest.FaultMissingSAN, preflight.CheckCertificate, preflight.SeverityError, "does not cover fabrikam.com"},
		{failovertest.FaultExpiredCert, preflight.CheckCertificate, preflight.SeverityError, "expired on"},
		{failovertest.FaultExpiringCert, preflight.CheckCertificate, preflight.SeverityWarning, "within 14 days"},
		{failovertest.FaultFederationOff, preflight.CheckAccessEdge, preflight.SeverityError, "AllowFederatedUsers is False"},
		{failovertest.FaultNoPartners, preflight.CheckPartners, preflight.SeverityWarning, "no XMPP allowed partner"},
		{failovertest.FaultSfB2019, preflight.CheckVersion, preflight.SeverityError, "no XMPP gateway or proxy"},
		{failovertest.FaultPort23456, preflight.CheckReachability, preflight.SeverityError, "not reachable"},
	} {
		t.Run(string(tc.fault), func(t *testing.T) {
			t.Parallel()
			lab := failovertest.Start(t, failovertest.Options{PreflightFaults: []failovertest.PreflightFault{tc.fault}})
			before := snapshot(t, lab)
			p, err := failover.New(context.Background(), forward(lab))
			if err == nil {
				p.Close()
				t.Fatal("New accepted the plan")
			}
			var pe *preflight.Error
			if !errors.As(err, &pe) || !errors.Is(err, preflight.ErrFindings) || !errors.Is(err, preflight.ErrFailed) {
				t.Fatalf("err = %v, want a *preflight.Error matching preflight.ErrFindings", err)
			}
			var hit *preflight.Finding
			for i, f := range pe.Findings {
				if f.Check == tc.check && f.Severity == tc.sev && strings.Contains(f.Message, tc.text) {
					hit = &pe.Findings[i]
				}
			}
			if hit == nil || hit.Fix == "" {
				t.Fatalf("no %s %s finding with %q and a fix in %v", tc.sev, tc.check, tc.text, pe.Findings)
			}
			if pe.Fix == "" || !strings.Contains(err.Error(), string(tc.check)) {
				t.Errorf("error %q does not name the check or a fix", err)
			}
			assertUnchanged(t, lab, before)
		})
	}
}

// TestPreflightAcceptedWarnings: a warning the caller accepts is shown in
// the dry run and JSON and does not stop New; an error cannot be accepted.
func TestPreflightAcceptedWarnings(t *testing.T) {
	t.Parallel()
	lab := failovertest.Start(t, failovertest.Options{PreflightFaults: []failovertest.PreflightFault{
		failovertest.FaultNoPartners, failovertest.FaultExpiringCert}})
	cfg := forward(lab)
	cfg.Preflight.AcceptWarnings = []preflight.Check{preflight.CheckPartners}
	if _, err := failover.New(context.Background(), cfg); !errors.Is(err, preflight.ErrFindings) {
		t.Fatalf("New with one warning not accepted: err = %v", err)
	}
	cfg.Preflight.AcceptWarnings = append(cfg.Preflight.AcceptWarnings, preflight.CheckCertificate)
	p := newPlan(t, cfg)
	text := p.String()
	for _, want := range []string{"[warning, accepted] xmpp-partners Global: no XMPP allowed partner",
		"[warning, accepted] certificate edge2a.contoso.com: the Access Edge external certificate expires on"} {
		if !strings.Contains(text, want) {
			t.Errorf("dry run lacks %q:\n%s", want, text)
		}
	}
	raw, _ := json.Marshal(p)
	if !strings.Contains(string(raw), `"accepted":true`) {
		t.Errorf("JSON lacks accepted findings: %s", raw)
	}

	lab.Deployment().SetAllowFederatedUsers(false)
	cfg.Preflight.AcceptWarnings = []preflight.Check{preflight.CheckAccessEdge, preflight.CheckPartners, preflight.CheckCertificate}
	if _, err := failover.New(context.Background(), cfg); !errors.Is(err, preflight.ErrFindings) {
		t.Fatalf("an error was accepted like a warning: err = %v", err)
	}
}

// TestPreflightDryRunListsChecks: the dry run of a healthy lab lists every
// check with its result, and the JSON carries them as data.
func TestPreflightDryRunListsChecks(t *testing.T) {
	t.Parallel()
	lab := failovertest.Start(t, failovertest.Options{})
	p := newPlan(t, forward(lab))
	text := p.String()
	for _, want := range []string{
		"Preflight checks:",
		"[ok] version edgepool2.contoso.com: Skype for Business Server 2015 (Version 7): XMPP federation supported",
		"[ok] certificate edge2a.contoso.com: covers xmpp.contoso.com, contoso.com, fabrikam.com; valid until",
		"[ok] certificate edge2b.contoso.com:",
		"[ok] access-edge Global: AllowFederatedUsers is True",
		"[ok] xmpp-partners Global: XMPP allowed partners (1): jabber.example",
		"[ok] reachability edge2a.contoso.com:23456: reachable from the management host",
		"[ok] reachability edge2b.contoso.com:23456:",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("dry run lacks %q:\n%s", want, text)
		}
	}
	var out struct {
		Findings []preflight.Finding `json:"findings"`
	}
	raw, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatal(err)
	}
	if len(out.Findings) != 7 {
		t.Fatalf("JSON has %d findings, want 7: %s", len(out.Findings), raw)
	}
	c := out.Findings[1].Certificate
	if c == nil || len(c.Chain) != 2 || c.Chain[1] != c.Issuer || len(c.Missing) != 0 || c.NotAfter.IsZero() {
		t.Errorf("certificate data = %+v", c)
	}
}

// TestVerifyXmppIM: with a receiver named, the plan ends with Test-CsXmppIM
// after the remote view, and its result is reported.
func TestVerifyXmppIM(t *testing.T) {
	t.Parallel()
	lab := failovertest.Start(t, failovertest.Options{})
	cfg := forward(lab)
	cfg.Verify.IMReceiver = failovertest.PartnerUser
	cfg.Verify.IMPool = failovertest.FrontEndPool
	p := newPlan(t, cfg)
	s := p.Step("verify/xmpp-im")
	if s == nil || len(s.DependsOn) != 2 || !strings.HasPrefix(s.DependsOn[0], "verify/remote/") ||
		!strings.Contains(strings.Join(s.Commands, ""), "Test-CsXmppIM -TargetFqdn 'fepool1.contoso.com' -Receiver 'alice@jabber.example'") {
		t.Fatalf("step = %+v", s)
	}
	var got []string
	rep, err := p.Apply(context.Background(), failover.ApplyOptions{Hooks: failover.Hooks{Event: func(e failover.Event) {
		if e.Step == "verify/xmpp-im" && e.Progress {
			got = append(got, e.Message)
		}
	}}})
	if err != nil || rep.Step("verify/xmpp-im").State != failover.StepDone {
		t.Fatalf("Apply: %v\n%s", err, rep)
	}
	if len(got) != 1 || !strings.Contains(got[0], "Result Success") {
		t.Errorf("progress = %q", got)
	}
}

// TestPreflightIMReceiverNotPartner: a receiver whose domain is no XMPP
// allowed partner would fail verify/xmpp-im only after every change, so
// New refuses it before the first one; a partner's receiver is an ok
// finding.
func TestPreflightIMReceiverNotPartner(t *testing.T) {
	t.Parallel()
	lab := failovertest.Start(t, failovertest.Options{})
	cfg := forward(lab)
	cfg.Verify.IMPool = failovertest.FrontEndPool
	cfg.Verify.IMReceiver = "bob@other.example"
	before := snapshot(t, lab)
	p, err := failover.New(context.Background(), cfg)
	if err == nil {
		p.Close()
		t.Fatal("New accepted a receiver of no partner")
	}
	var pe *preflight.Error
	if !errors.As(err, &pe) || !errors.Is(err, preflight.ErrFindings) {
		t.Fatalf("err = %v, want preflight.ErrFindings", err)
	}
	found := false
	for _, f := range pe.Findings {
		if f.Check == preflight.CheckPartners && f.Subject == "bob@other.example" && f.Severity == preflight.SeverityError && f.Fix != "" {
			found = true
		}
	}
	if !found {
		t.Errorf("no error finding of the receiver in %v", pe.Findings)
	}
	assertUnchanged(t, lab, before)

	cfg.Verify.IMReceiver = strings.ToUpper(failovertest.PartnerUser)
	text := newPlan(t, cfg).String()
	if want := "[ok] xmpp-partners " + strings.ToUpper(failovertest.PartnerUser) + ": the IM receiver's domain"; !strings.Contains(text, want) {
		t.Errorf("dry run lacks %q:\n%s", want, text)
	}
}

// TestPreflightIMPoolNotFrontEnd: an Edge pool (or no pool) as
// Verify.IMPool would fail Test-CsXmppIM only after every change, with a
// "Registrar pool not found" of the host; New refuses it first, naming the
// field. The lab's topology is lynctest.TwoSites: FrontEndPool is its Front
// End pool, SourcePool and TargetPool its Edge pools.
func TestPreflightIMPoolNotFrontEnd(t *testing.T) {
	t.Parallel()
	lab := failovertest.Start(t, failovertest.Options{})
	before := snapshot(t, lab)
	for pool, reason := range map[string]string{
		failovertest.SourcePool: "is not a Front End pool",
		failovertest.TargetPool: "is not a Front End pool",
		"fepool9.contoso.com":   "no pool fepool9.contoso.com in the topology",
	} {
		cfg := forward(lab)
		cfg.Verify.IMReceiver = failovertest.PartnerUser
		cfg.Verify.IMPool = pool
		p, err := failover.New(context.Background(), cfg)
		if err == nil {
			p.Close()
			t.Errorf("New accepted %s as Verify.IMPool", pool)
			continue
		}
		var ce *failover.ConfigError
		if !errors.As(err, &ce) || ce.Field != "Verify.IMPool" || !strings.Contains(ce.Reason, reason) || !errors.Is(err, failover.ErrInvalidConfig) {
			t.Errorf("IMPool %s: err = %v, want a *ConfigError of Verify.IMPool saying %q", pool, err, reason)
		}
	}
	assertUnchanged(t, lab, before)
	cfg := forward(lab)
	cfg.Verify.IMReceiver = failovertest.PartnerUser
	cfg.Verify.IMPool = strings.ToUpper(failovertest.FrontEndPool) + "."
	newPlan(t, cfg)
}
