package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/xmppfed/edgefailover/failover"
)

func runDrill(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestDefaultDrillPasses(t *testing.T) {
	t.Parallel()
	code, out, errs := runDrill(t)
	if code != exitOK {
		t.Fatalf("exit %d, want 0\nstdout:\n%s\nstderr:\n%s", code, out, errs)
	}
	for _, want := range []string{
		"no candidate answered",             // the outage is real before the failover
		"== plan (dry run) ==",              // the plan
		"+ CREATE XMPP route of site Site2", // its changes
		"dry run changed nothing (lab snapshot before == after): yes",
		"stop/edge2a.contoso.com",               // live progress
		"failover: applied",                     // summary
		"XMPP outage window",                    //
		"remote view of fabrikam.com",           // what was verified
		"failback: applied",                     //
		"xmpp.contoso.com. 300 IN A 192.0.2.10", // the failback A record points at pool 1
		"drill PASSED",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q\n%s", want, out)
		}
	}
}

func TestFaultRollsBackAndRestoresTheLab(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{"-fault", "route-fails"}, {"-fault", "dns-refused"}, {"-fault", "stale-dns"}, {"-fault", "start-fails"},
		// Under latency, the undone route reaches the replicas later: the
		// drill waits for replication to settle before comparing.
		{"-fault", "start-fails", "-latency", "realistic", "-scale", "0.01"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			t.Parallel()
			code, out, _ := runDrill(t, append([]string{"-q"}, args...)...)
			if code != exitFailed {
				t.Fatalf("exit %d, want 1\n%s", code, out)
			}
			for _, want := range []string{"failover: rolled-back", "rolled-back, lab restored: yes", "drill FAILED"} {
				if !strings.Contains(out, want) {
					t.Errorf("output lacks %q\n%s", want, out)
				}
			}
			if strings.Contains(out, "== plan") {
				t.Errorf("-q printed the plan:\n%s", out)
			}
		})
	}
}

func TestJSON(t *testing.T) {
	t.Parallel()
	code, out, errs := runDrill(t, "-json", "-strategy", "rolling", "-servers", "1")
	if code != exitOK {
		t.Fatalf("exit %d\n%s\n%s", code, out, errs)
	}
	var doc struct {
		Plan struct {
			Steps []struct{ ID string } `json:"steps"`
		} `json:"plan"`
		Report  failover.Report `json:"report"`
		Events  []failover.Event
		Summary summary `json:"summary"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	if !doc.Summary.Passed || doc.Summary.Failover != failover.StateApplied || doc.Report.State != failover.StateApplied {
		t.Errorf("summary %+v, report state %s", doc.Summary, doc.Report.State)
	}
	if doc.Summary.Strategy != failover.Rolling || len(doc.Plan.Steps) == 0 || len(doc.Events) == 0 {
		t.Errorf("strategy %s, %d steps, %d events", doc.Summary.Strategy, len(doc.Plan.Steps), len(doc.Events))
	}
	if len(doc.Summary.FailbackA) != 1 || !strings.HasSuffix(doc.Summary.FailbackA[0], " A 192.0.2.10") {
		t.Errorf("failback A record %v", doc.Summary.FailbackA)
	}
}

// The realistic latency profile, scaled down hard, with the rolling
// strategy and one server per pool.
func TestRealisticLatencyRolling(t *testing.T) {
	t.Parallel()
	code, out, errs := runDrill(t, "-q", "-latency", "realistic", "-scale", "0.005", "-strategy", "rolling", "-servers", "1")
	if code != exitOK || !strings.Contains(out, "strategy rolling, 1 servers per pool, latency realistic") || !strings.Contains(out, "drill PASSED") {
		t.Errorf("exit %d\n%s\n%s", code, out, errs)
	}
}

func TestUsage(t *testing.T) {
	t.Parallel()
	code, _, errs := runDrill(t, "-h")
	if code != exitOK || !strings.Contains(errs, "Exit codes") || !strings.Contains(errs, "listener-silent") {
		t.Errorf("-h: exit %d\n%s", code, errs)
	}
	for _, args := range [][]string{{"-fault", "nope"}, {"-strategy", "yolo"}, {"-servers", "0"}, {"-latency", "slow"}, {"-srv", "weighted"}, {"-dead", "asleep"}, {"-scale", "0"}, {"extra"}, {"-nope"}} {
		if code, _, _ := runDrill(t, args...); code != exitUsage {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
}

// Both SRV policies and both kinds of dead pool, with the remote peers:
// every peer federates again and the summary says how long they waited.
func TestRemoteOutageBySRVPolicy(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ srv, dead string }{{"single", "refused"}, {"prioritized", "refused"}, {"single", "silent"}, {"prioritized", "silent"}} {
		t.Run(tc.srv+"/"+tc.dead, func(t *testing.T) {
			t.Parallel()
			code, out, errs := runDrill(t, "-q", "-srv", tc.srv, "-dead", tc.dead)
			if code != exitOK || !strings.Contains(out, "srv "+tc.srv+", dead pool "+tc.dead) || !strings.Contains(out, "5 of 5 peers federate again") ||
				!strings.Contains(out, "over peers") || !strings.Contains(out, "drill PASSED") {
				t.Errorf("exit %d\n%s\n%s", code, out, errs)
			}
		})
	}
}
