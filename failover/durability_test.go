package failover_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/miekg/dns"

	"github.com/xmppfed/edgefailover/failover"
	"github.com/xmppfed/edgefailover/failover/failovertest"
	"github.com/xmppfed/edgefailover/failover/journal"
)

// A second operator changes the federation A record between planning and
// applying: the apply stops with ErrStalePlan, undoes its own changes, and
// the second operator's record is still there.
func TestStalePlanKeepsTheOtherOperatorsRecord(t *testing.T) {
	t.Parallel()
	lab := failovertest.Start(t, failovertest.Options{})
	p := newPlan(t, forward(lab))
	rr, _ := dns.NewRR("xmpp.contoso.com. 300 IN A 198.51.100.7")
	lab.DNSZone("contoso.com").SetRRset("xmpp.contoso.com.", dns.TypeA, rr)
	before := snapshot(t, lab)

	rep, err := p.Apply(context.Background(), failover.ApplyOptions{Journal: openJournal(t, filepath.Join(t.TempDir(), "j"), journal.Options{})})
	if !errors.Is(err, failover.ErrStalePlan) {
		t.Fatalf("err = %v, want ErrStalePlan", err)
	}
	after := snapshot(t, lab)
	if got := after.DNS["xmpp.contoso.com. A"]; len(got) != 1 || !strings.HasSuffix(got[0], "198.51.100.7") {
		t.Errorf("the other operator's record was overwritten: %v", got)
	}
	if diff := cmp.Diff(before, after); diff != "" || rep.State != failover.StateRolledBack {
		t.Errorf("state %s; lab differs (-before +after):\n%s", rep.State, diff)
	}
}

func TestCorruptJournalIsNeverRolledBack(t *testing.T) {
	t.Parallel()
	lab := failovertest.Start(t, failovertest.Options{ServersPerPool: 1, Domains: []string{"contoso.com"}})
	path := crash(t, lab, "start/edge2a.contoso.com", beforeChange)
	atCrash := snapshot(t, lab)

	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := bytes.SplitAfter(data, []byte("\n"))
	i := bytes.Index(lines[2], []byte(`"kind":"`))
	lines[2][i+8] ^= 0x20 // one flipped bit in the middle of the journal
	if err := os.WriteFile(path, bytes.Join(lines, nil), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = journal.Open(path, journal.Options{TakeOver: true})
	if !errors.Is(err, journal.ErrCorrupt) {
		t.Fatalf("opening a corrupt journal: %v, want journal.ErrCorrupt", err)
	}
	if diff := cmp.Diff(atCrash, snapshot(t, lab)); diff != "" {
		t.Errorf("a corrupt journal changed the lab:\n%s", diff)
	}
}

func TestJournalOfAnotherConfigIsRefused(t *testing.T) {
	t.Parallel()
	lab := failovertest.Start(t, failovertest.Options{ServersPerPool: 1, Domains: []string{"contoso.com"}})
	path := crash(t, lab, "dns/contoso.com", afterOutcome)
	j := reopen(t, path)
	other := forward(lab)
	other.Graceful = true // another config: another digest
	if _, _, err := failover.Rollback(context.Background(), j, other, failover.ApplyOptions{}); !errors.Is(err, failover.ErrJournalMismatch) {
		t.Fatalf("Rollback with another config: %v, want ErrJournalMismatch", err)
	}
	// Another verification is another config too: the resumed apply would
	// check something else than the plan the journal announced.
	other = forward(lab)
	other.Verify.ProbeFrom = "contoso.com"
	if _, _, err := failover.Resume(context.Background(), j, other, failover.ApplyOptions{}); !errors.Is(err, failover.ErrJournalMismatch) {
		t.Fatalf("Resume with another Verify: %v, want ErrJournalMismatch", err)
	}
	empty := openJournal(t, filepath.Join(t.TempDir(), "empty"), journal.Options{})
	if _, _, err := failover.Resume(context.Background(), empty, forward(lab), failover.ApplyOptions{}); !errors.Is(err, journal.ErrEmpty) {
		t.Fatalf("Resume of an empty journal: %v, want journal.ErrEmpty", err)
	}
}

func TestInspectAfterCrash(t *testing.T) {
	t.Parallel()
	lab := failovertest.Start(t, failovertest.Options{ServersPerPool: 1, Domains: []string{"contoso.com"}})
	path := crash(t, lab, "route/Site2", beforeOutcome)
	j := reopen(t, path)
	r, err := failover.Inspect(context.Background(), j, forward(lab))
	if err != nil {
		t.Fatal(err)
	}
	status := map[string]failover.StepState{}
	for _, s := range r.Steps {
		status[s.ID] = s.State
	}
	// With Concurrency 1 the steps run in plan order: preflight, stop, route.
	want := map[string]failover.StepState{
		"preflight":                failover.StepDone,
		"stop/edge2a.contoso.com":  failover.StepDone,
		"route/Site2":              failover.StepStarted,
		"start/edge2a.contoso.com": failover.StepNotStarted,
	}
	for id, st := range want {
		if status[id] != st {
			t.Errorf("%s: %s, want %s", id, status[id], st)
		}
	}
	text := r.String()
	for _, s := range []string{"interrupted while applying", "XMPP route of site Site2: EdgeServer:edgepool2.contoso.com", "services of edge2a.contoso.com: 7 Stopped"} {
		if !strings.Contains(text, s) {
			t.Errorf("report lacks %q:\n%s", s, text)
		}
	}
}

// The remote view must reach the target pool, not merely some XMPP server:
// with the A record moved back to pool 1 (still up) after the DNS check,
// verification fails and the failover is rolled back.
func TestRemoteViewMustReachTheTargetPool(t *testing.T) {
	t.Parallel()
	lab := failovertest.Start(t, failovertest.Options{Domains: []string{"contoso.com"}})
	before := snapshot(t, lab)
	p := newPlan(t, forward(lab))
	rep, err := p.Apply(context.Background(), failover.ApplyOptions{Hooks: failover.Hooks{
		Before: func(ctx context.Context, s *failover.Step) error {
			if s.ID == "verify/remote/contoso.com" {
				rr, _ := dns.NewRR("xmpp.contoso.com. 300 IN A 192.0.2.10")
				lab.DNSZone("contoso.com").SetRRset("xmpp.contoso.com.", dns.TypeA, rr)
			}
			return nil
		},
	}})
	if !errors.Is(err, failover.ErrVerify) || !strings.Contains(err.Error(), "192.0.2.10:5269") {
		t.Fatalf("err = %v, want a verification failure naming pool 1's address", err)
	}
	if diff := cmp.Diff(before, snapshot(t, lab)); diff != "" || rep.State != failover.StateRolledBack {
		t.Errorf("state %s; lab differs (-before +after):\n%s", rep.State, diff)
	}
}
