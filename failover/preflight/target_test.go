package preflight_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/xmppfed/edgefailover/edge"
	"github.com/xmppfed/edgefailover/failover/failovertest"
	"github.com/xmppfed/edgefailover/failover/preflight"
)

// labTarget starts a lab with the faults and returns the Target of its
// target pool, every server opened (edge.DiscoverPool), with reachability.
func labTarget(t *testing.T, faults ...failovertest.PreflightFault) (*failovertest.Lab, preflight.Target) {
	t.Helper()
	lab := failovertest.Start(t, failovertest.Options{PreflightFaults: faults})
	mgmt, err := lab.Management(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	pool, err := edge.DiscoverPool(t.Context(), mgmt, failovertest.TargetPool, lab.OpenServer, edge.DiscoverOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pool.Close() })
	names := []string{failovertest.FederationHost}
	names = append(names, lab.Domains()...)
	return lab, preflight.Target{Management: mgmt, Pool: failovertest.TargetPool, Names: names,
		Servers: pool.Servers(), Options: preflight.Options{CheckReachability: true}}
}

// TestCheckTarget: the checks run without a plan (as a health check runs
// them), from the management host only: no certificate finding without
// the servers' clients.
func TestCheckTarget(t *testing.T) {
	t.Parallel()
	lab := failovertest.Start(t, failovertest.Options{PreflightFaults: []failovertest.PreflightFault{failovertest.FaultPort23456}})
	mgmt, err := lab.Management(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	fs, err := preflight.CheckTarget(context.Background(), preflight.Target{Management: mgmt, Pool: failovertest.TargetPool,
		Options: preflight.Options{CheckReachability: true}})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range fs {
		got = append(got, string(f.Check)+" "+string(f.Severity))
	}
	want := []string{"version ok", "access-edge ok", "xmpp-partners ok", "reachability error", "reachability error"}
	if !cmp.Equal(got, want) {
		t.Errorf("findings %v, want %v", got, want)
	}
	_, err = preflight.CheckTarget(context.Background(), preflight.Target{Management: mgmt, Pool: "fepool1.contoso.com"})
	var ne *edge.NotEdgePoolError
	if !errors.As(err, &ne) {
		t.Errorf("CheckTarget of a Front End pool: %v, want a *edge.NotEdgePoolError", err)
	}
	_, err = preflight.CheckTarget(context.Background(), preflight.Target{Management: mgmt, Pool: "bad pool"})
	var ie *preflight.InputError
	if !errors.Is(err, preflight.ErrInvalidInput) || !errors.As(err, &ie) || ie.Field != "Pool" {
		t.Errorf("CheckTarget of a bad pool name: %v", err)
	}
}

// TestCheckTargetFieldCauses: each field cause gives a finding of the
// expected check and severity, with a fix, and Verdict refuses it with an
// *Error naming the check.
func TestCheckTargetFieldCauses(t *testing.T) {
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
			_, target := labTarget(t, tc.fault)
			fs, err := preflight.CheckTarget(t.Context(), target)
			if err != nil {
				t.Fatal(err)
			}
			var hit *preflight.Finding
			for i, f := range fs {
				if f.Check == tc.check && f.Severity == tc.sev && strings.Contains(f.Message, tc.text) {
					hit = &fs[i]
				}
			}
			if hit == nil || hit.Fix == "" || !hit.Blocks() {
				t.Fatalf("no blocking %s %s finding with %q and a fix in %v", tc.sev, tc.check, tc.text, fs)
			}
			err = preflight.Verdict(fs)
			var pe *preflight.Error
			if !errors.As(err, &pe) || !errors.Is(err, preflight.ErrFindings) || !errors.Is(err, preflight.ErrFailed) ||
				pe.Fix == "" || len(pe.Findings) != len(fs) || !strings.Contains(err.Error(), string(tc.check)) {
				t.Errorf("Verdict = %v, want a *preflight.Error naming %s with a fix and every finding", err, tc.check)
			}
		})
	}
}

// A healthy pool gives only ok findings, in check order, and no verdict.
func TestCheckTargetHealthy(t *testing.T) {
	t.Parallel()
	_, target := labTarget(t)
	fs, err := preflight.CheckTarget(t.Context(), target)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range fs {
		if f.Severity != preflight.SeverityOK || f.Blocks() {
			t.Errorf("finding %s", f)
		}
		got = append(got, string(f.Check)+" "+f.Subject)
	}
	want := []string{"version edgepool2.contoso.com", "certificate edge2a.contoso.com", "certificate edge2b.contoso.com",
		"access-edge Global", "xmpp-partners Global", "reachability edge2a.contoso.com:23456", "reachability edge2b.contoso.com:23456"}
	if !cmp.Equal(got, want) {
		t.Errorf("findings %v, want %v", got, want)
	}
	if err := preflight.Verdict(fs); err != nil {
		t.Errorf("Verdict of ok findings: %v", err)
	}
}

// An accepted warning is marked and does not block; an error cannot be
// accepted; a warning of another check blocks.
func TestCheckTargetAcceptWarnings(t *testing.T) {
	t.Parallel()
	lab, target := labTarget(t, failovertest.FaultNoPartners, failovertest.FaultExpiringCert)
	target.Options.AcceptWarnings = []preflight.Check{preflight.CheckPartners}
	fs, err := preflight.CheckTarget(t.Context(), target)
	if err != nil {
		t.Fatal(err)
	}
	err = preflight.Verdict(fs)
	var pe *preflight.Error
	if !errors.As(err, &pe) || !strings.HasPrefix(pe.Check, string(preflight.CheckCertificate)) {
		t.Fatalf("one warning not accepted: %v", err)
	}
	target.Options.AcceptWarnings = append(target.Options.AcceptWarnings, preflight.CheckCertificate)
	if fs, err = preflight.CheckTarget(t.Context(), target); err != nil {
		t.Fatal(err)
	}
	if err := preflight.Verdict(fs); err != nil {
		t.Fatalf("every warning accepted: %v", err)
	}
	accepted := 0
	for _, f := range fs {
		if f.Accepted {
			accepted++
			if !strings.HasPrefix(f.String(), "[warning, accepted] ") {
				t.Errorf("accepted finding renders %q", f)
			}
		}
	}
	if accepted != 2 { // the partners, and the certificate of edge2a (the fault)
		t.Errorf("%d accepted findings in %v", accepted, fs)
	}
	lab.Deployment().SetAllowFederatedUsers(false)
	target.Options.AcceptWarnings = []preflight.Check{preflight.CheckAccessEdge, preflight.CheckPartners, preflight.CheckCertificate}
	if fs, err = preflight.CheckTarget(t.Context(), target); err != nil {
		t.Fatal(err)
	}
	if err := preflight.Verdict(fs); !errors.Is(err, preflight.ErrFindings) {
		t.Errorf("an error was accepted like a warning: %v", err)
	}
}

// A Target that carries the Edge service record (as failover.New's does)
// is checked without reading it again.
func TestCheckTargetGivenEdgeService(t *testing.T) {
	t.Parallel()
	lab, target := labTarget(t)
	es, err := target.Management.Pools.EdgeServices(t.Context(), target.Pool)
	if err != nil || len(es) != 1 {
		t.Fatalf("EdgeServices = %v, %v", es, err)
	}
	target.EdgeService = &es[0]
	before := lab.Deployment().Counters().Cmdlets["Get-CsService"]
	fs, err := preflight.CheckTarget(t.Context(), target)
	if err != nil || len(fs) != 7 {
		t.Fatalf("CheckTarget = %v, %v", fs, err)
	}
	if n := lab.Deployment().Counters().Cmdlets["Get-CsService"] - before; n != 0 {
		t.Errorf("Get-CsService ran %d times with the record given", n)
	}
}

// Without the servers' clients but with the pool's computers as the caller
// read them (examples/check), reachability is tested to those, without
// reading Get-CsPool again.
func TestCheckTargetGivenComputers(t *testing.T) {
	t.Parallel()
	lab, target := labTarget(t)
	target.Servers = nil
	target.Computers = []string{"EDGE2A.contoso.com."}
	before := lab.Deployment().Counters().Cmdlets["Get-CsPool"]
	fs, err := preflight.CheckTarget(t.Context(), target)
	if err != nil {
		t.Fatal(err)
	}
	var reach []string
	for _, f := range fs {
		if f.Check == preflight.CheckReachability {
			reach = append(reach, f.Subject)
		}
	}
	if len(reach) != 1 || !strings.HasPrefix(reach[0], "edge2a.contoso.com") {
		t.Errorf("reachability subjects = %q, want edge2a.contoso.com's only", reach)
	}
	if n := lab.Deployment().Counters().Cmdlets["Get-CsPool"] - before; n != 0 {
		t.Errorf("Get-CsPool ran %d times with the computers given", n)
	}
	if target.Computers[0] != "EDGE2A.contoso.com." {
		t.Errorf("CheckTarget changed the caller's Computers: %q", target.Computers)
	}
}

// An IM receiver's domain must be an XMPP allowed partner.
func TestCheckTargetIMReceiver(t *testing.T) {
	t.Parallel()
	_, target := labTarget(t)
	for receiver, sev := range map[string]preflight.Severity{
		"bob@other.example":                       preflight.SeverityError,
		strings.ToUpper(failovertest.PartnerUser): preflight.SeverityOK,
	} {
		target.IMReceiver = receiver
		fs, err := preflight.CheckTarget(t.Context(), target)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, f := range fs {
			if f.Check == preflight.CheckPartners && f.Subject == receiver && f.Severity == sev &&
				(sev == preflight.SeverityOK || f.Fix != "") {
				found = true
			}
		}
		if !found {
			t.Errorf("no %s finding of the receiver %s in %v", sev, receiver, fs)
		}
	}
}

// Bad input is an *InputError naming the field, before anything is read.
func TestCheckTargetInput(t *testing.T) {
	t.Parallel()
	lab, target := labTarget(t)
	before := lab.Deployment().Counters().Total()
	for field, edit := range map[string]func(*preflight.Target){
		"Management":                func(t *preflight.Target) { t.Management = nil },
		"Pool":                      func(t *preflight.Target) { t.Pool = "edge'pool2.contoso.com" },
		"IMReceiver":                func(t *preflight.Target) { t.IMReceiver = "alice" },
		"Computers[0]":              func(t *preflight.Target) { t.Servers, t.Computers = nil, []string{"edge 2a"} },
		"Options.CertificateWindow": func(t *preflight.Target) { t.Options.CertificateWindow = -1 },
		"Options.AcceptWarnings[1]": func(t *preflight.Target) {
			t.Options.AcceptWarnings = []preflight.Check{preflight.CheckPartners, "san"}
		},
	} {
		tg := target
		edit(&tg)
		fs, err := preflight.CheckTarget(t.Context(), tg)
		var ie *preflight.InputError
		if fs != nil || !errors.Is(err, preflight.ErrInvalidInput) || !errors.As(err, &ie) || ie.Field != field {
			t.Errorf("%s: CheckTarget = %v, %v", field, fs, err)
		}
	}
	if n := lab.Deployment().Counters().Total() - before; n != 0 {
		t.Errorf("refused input sent %d requests", n)
	}
	if err := (preflight.Options{}).Validate(); err != nil {
		t.Errorf("zero Options: %v", err)
	}
}

// A pool whose computers the caller read as none (examples/check with a
// Get-CsPool that lists none) has nothing the reachability check could
// test: that is an error finding of the pool, not a check left out without
// a word.
func TestCheckTargetNoComputers(t *testing.T) {
	t.Parallel()
	_, target := labTarget(t)
	target.Servers, target.Computers = nil, []string{}
	fs, err := preflight.CheckTarget(t.Context(), target)
	if err != nil {
		t.Fatal(err)
	}
	var reach []preflight.Finding
	for _, f := range fs {
		if f.Check == preflight.CheckReachability {
			reach = append(reach, f)
		}
	}
	if len(reach) != 1 || reach[0].Subject != failovertest.TargetPool || reach[0].Severity != preflight.SeverityError ||
		reach[0].Fix == "" || !reach[0].Blocks() {
		t.Fatalf("reachability findings %v, want one error of the pool with a fix", reach)
	}
	if err := preflight.Verdict(fs); !errors.Is(err, preflight.ErrFindings) {
		t.Errorf("Verdict = %v, want the pool refused", err)
	}
}
