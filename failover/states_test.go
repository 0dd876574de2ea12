package failover

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/xmppfed/edgefailover/failover/journal"
)

// renderTable renders the state table as the package doc shows it.
func renderTable() []string {
	list := func(ss []string) string {
		if len(ss) == 0 {
			return "-"
		}
		return strings.Join(ss, ", ")
	}
	states := func(ss []StepState) string {
		switch {
		case ss == nil:
			return "(no step)"
		case slices.Equal(ss, anyStep):
			return "any"
		case slices.Equal(ss, touchedStep):
			return "any but not-started"
		}
		var out []string
		for _, s := range ss {
			out = append(out, string(s))
		}
		return list(out)
	}
	applies := func(as []ApplyState) string {
		if slices.Equal(as, anyApply) {
			return "any"
		}
		var out []string
		for _, a := range as {
			out = append(out, string(a))
		}
		return list(out)
	}
	orDash := func(s string) string {
		if s == "" {
			return "-"
		}
		return s
	}
	lines := []string{fmt.Sprintf("%-13s %-28s %-13s %-23s %s", "record", "step in", "step to", "apply in", "apply to")}
	for _, t := range transitions {
		lines = append(lines, strings.TrimRight(fmt.Sprintf("%-13s %-28s %-13s %-23s %s",
			t.Kind, states(t.From), orDash(string(t.To)), applies(t.In), orDash(string(t.Then))), " "))
	}
	lines = append(lines, "", fmt.Sprintf("%-13s %-12s %s", "state", "Resume", "Rollback"))
	for _, s := range anyStep {
		lines = append(lines, fmt.Sprintf("%-13s %-12s %s", s, resumeNames[resumeOf(s)], rollbackNames[rollbackOf(s)]))
	}
	return lines
}

var (
	resumeNames   = map[resumeAction]string{resumeRun: "run", resumeRerun: "run again", resumeKeep: "keep", resumeRefuse: "-"}
	rollbackNames = map[rollbackAction]string{rollbackNothing: "nothing", rollbackUndo: "undo", rollbackIfDependents: "undo if a dependent is undone now"}
)

// The package doc shows the state table the code runs: they cannot drift.
func TestDocShowsTheStateTable(t *testing.T) {
	doc, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	text := string(doc)
	for _, line := range renderTable() {
		if line == "" {
			continue
		}
		if !strings.Contains(text, "//\t"+line+"\n") {
			t.Errorf("doc.go lacks the table line\n\t%s\nthe whole table:\n%s", line, "//\t"+strings.Join(renderTable(), "\n//\t"))
			return
		}
	}
}

// Every record kind has a row, and every row is reachable from a plan
// record: no dead rows, no kind without a rule.
func TestStateTableIsComplete(t *testing.T) {
	kinds := []journal.Kind{journal.Start, journal.Done, journal.Failed, journal.Veto, journal.RollingBack, journal.Rollback,
		journal.Resume, journal.Undo, journal.Undone, journal.UndoFailed, journal.End}
	for _, k := range kinds {
		if transitionOf(k) == nil {
			t.Errorf("record kind %s has no row", k)
		}
	}
	if len(transitions) != len(kinds) {
		t.Errorf("%d rows for %d kinds", len(transitions), len(kinds))
	}
	for _, s := range anyStep {
		if _, ok := rollbackTable[s]; !ok {
			t.Errorf("Rollback has no rule for %s", s)
		}
	}
}
