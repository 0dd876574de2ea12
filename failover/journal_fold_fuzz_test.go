package failover

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/xmppfed/edgefailover/failover/journal"
)

// fuzzJournalRecords returns the records of a journal file in testdata as
// JSON lines, without their checksums.
func fuzzJournalRecords(tb testing.TB, name string) []string {
	tb.Helper()
	b, err := os.ReadFile("testdata/journal/" + name)
	if err != nil {
		tb.Fatal(err)
	}
	var lines []string
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		_, rec, ok := strings.Cut(sc.Text(), " ")
		if !ok {
			tb.Fatalf("%s: a line without a checksum", name)
		}
		lines = append(lines, rec)
	}
	return lines
}

// fuzzJournalFile frames JSON lines as journal.File writes them: the
// CRC-32 of each line, a space, the line.
func fuzzJournalFile(data []byte) []byte {
	var b bytes.Buffer
	for line := range bytes.SplitSeq(data, []byte("\n")) {
		fmt.Fprintf(&b, "%08x %s\n", crc32.ChecksumIEEE(line), line)
	}
	return b.Bytes()
}

// FuzzFoldJournal feeds journals to the file's decoder (journal.Parse) and
// the state table (foldJournal), as Inspect, Resume and Rollback read them.
// The input is the records as JSON lines; each gets its checksum, so that
// the records reach the fold. Seeds are journals written by real applies
// (testdata/journal) and the rollbacks and crashes the state table allows
// after them. A journal either folds to states of the state table (every
// step in one of its states, reached from not-started by its history; the
// apply in one of its states; an ended apply ended in a State of Report)
// or is refused with ErrEmpty or journal.ErrCorrupt; what folds, folds in
// its prefixes (three are tried); the plan record re-encodes to a fixed point.
// Run it with -fuzzminimizetime 1s: minimizing an input of a few kilobytes
// tries every cut, and takes the whole run at the default 60s.
func FuzzFoldJournal(f *testing.F) {
	written := fuzzJournalRecords(f, "applied.journal")
	unchanged := fuzzJournalRecords(f, "unchanged.journal")
	// The seeds built on the applied journal have its plan record with
	// two services per server and no display names: a fold decodes the
	// plan record, and a smaller one leaves more time for mutations.
	applied := slices.Clone(written)
	var first journal.Record
	var pr planRecord
	if err := json.Unmarshal([]byte(applied[0]), &first); err != nil || json.Unmarshal(first.Plan, &pr) != nil {
		f.Fatalf("the plan record of applied.journal: %v", err)
	}
	for srv, svcs := range pr.Live.Services {
		svcs = svcs[:min(len(svcs), 2)]
		for i := range svcs {
			svcs[i].DisplayName, svcs[i].ActivityLevel = "", ""
		}
		pr.Live.Services[srv] = svcs
	}
	first.Plan, _ = json.Marshal(&pr)
	b, _ := json.Marshal(first)
	applied[0] = string(b)
	// rec renumbers a record written by hand into position seq.
	rec := func(seq int, kind journal.Kind, step, state, why string) string {
		b, _ := json.Marshal(journal.Record{Seq: seq, Kind: kind, Step: step, State: state, Error: why})
		return string(b)
	}
	n := 8 // applied[:7]: the plan, preflight, the stop and the route done
	rolledBack := append(slices.Clone(applied[:7]),
		rec(n, journal.Start, "dns/contoso.com", "", ""),
		rec(n+1, journal.Failed, "dns/contoso.com", "", "rfc2136: update refused: REFUSED"),
		rec(n+2, journal.Undo, "dns/contoso.com", "", ""),
		rec(n+3, journal.Undone, "dns/contoso.com", "", ""),
		rec(n+4, journal.Undo, "route/Site2", "", ""),
		rec(n+5, journal.Undone, "route/Site2", "", ""),
		rec(n+6, journal.Undo, "stop/edge2a.contoso.com", "", ""),
		rec(n+7, journal.UndoFailed, "stop/edge2a.contoso.com", "", "lync: waiting for services: context deadline exceeded"),
		rec(n+8, journal.End, "", string(StateInconsistent), ""))
	operator := append(slices.Clone(applied[:len(applied)-1]),
		rec(len(applied), journal.Rollback, "", "", ""),
		rec(len(applied)+1, journal.Undo, "route/Site2", "", ""))
	vetoed := append(slices.Clone(applied[:5]),
		rec(6, journal.Veto, "route/Site2", "", "operator said no"),
		rec(7, journal.RollingBack, "", "", "vetoed"),
		rec(8, journal.End, "", string(StateRolledBack), ""))
	resumed := append(slices.Clone(applied[:6]), // crashed with the route started
		rec(7, journal.Resume, "", "", ""),
		rec(8, journal.Start, "route/Site2", "", ""))
	for i, lines := range [][]string{written, unchanged, applied[:6], rolledBack, operator, vetoed, resumed, applied[:1], {}, {`{"seq":1,"kind":"start","step":"preflight"}`}} {
		data := []byte(strings.Join(lines, "\n"))
		if i < 8 { // journals the engine writes: they fold
			recs, _, err := journal.Parse(bytes.NewReader(fuzzJournalFile(data)))
			if _, ferr := foldJournal(recs); err != nil || len(recs) != len(lines) || ferr != nil {
				f.Fatalf("seed %d: %d records of %d, %v, %v", i, len(recs), len(lines), err, ferr)
			}
		}
		f.Add(data)
	}
	states := []StepState{StepNotStarted, StepStarted, StepDone, StepFailed, StepUndoStarted, StepUndone, StepUndoFailed}
	ends := []State{StateApplied, StateUnchanged, StateRolledBack, StateInconsistent}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 {
			return
		}
		recs, _, err := journal.Parse(bytes.NewReader(fuzzJournalFile(data)))
		if err != nil {
			if !errors.Is(err, journal.ErrCorrupt) {
				t.Fatalf("Parse: %v is not ErrCorrupt", err)
			}
			return
		}
		js, err := foldJournal(recs)
		if err != nil {
			if len(recs) == 0 && !errors.Is(err, journal.ErrEmpty) || len(recs) > 0 && !errors.Is(err, journal.ErrCorrupt) {
				t.Fatalf("fold of %d records: %v, want ErrEmpty or ErrCorrupt", len(recs), err)
			}
			return
		}
		if !slices.Contains([]ApplyState{ApplyApplying, ApplyRollingBack, ApplyEnded}, js.apply) {
			t.Fatalf("apply state %q is none of the table", js.apply)
		}
		if js.apply == ApplyEnded && !slices.Contains(ends, js.end) || js.apply != ApplyEnded && js.end != "" {
			t.Fatalf("apply %s with end state %q", js.apply, js.end)
		}
		if js.seq != recs[len(recs)-1].Seq {
			t.Fatalf("folded to seq %d, the last record has %d", js.seq, recs[len(recs)-1].Seq)
		}
		for _, s := range js.plan.Steps {
			if _, ok := js.steps[s.ID]; !ok {
				t.Fatalf("plan step %q has no state", s.ID)
			}
		}
		for id, st := range js.steps {
			if !slices.Contains(states, st) {
				t.Fatalf("step %q in state %q, none of the table", id, st)
			}
			if !slices.ContainsFunc(js.plan.Steps, func(s stepRecord) bool { return s.ID == id }) {
				t.Fatalf("step %q has a state but is no step of the plan", id)
			}
			replay := StepNotStarted
			for _, k := range js.history[id] {
				tr := transitionOf(k)
				if tr == nil || tr.From == nil || !slices.Contains(tr.From, replay) {
					t.Fatalf("step %q: history %v leaves the table at %s", id, js.history[id], k)
				}
				if tr.To != "" {
					replay = tr.To
				}
			}
			if replay != st {
				t.Fatalf("step %q: history %v reaches %s, the fold says %s", id, js.history[id], replay, st)
			}
		}
		for id := range js.history {
			if _, ok := js.steps[id]; !ok {
				t.Fatalf("history of %q, no step of the plan", id)
			}
		}
		for _, k := range []int{1, len(recs) / 2, len(recs) - 1} {
			if k == 0 {
				continue
			}
			if _, err := foldJournal(recs[:k]); err != nil {
				t.Fatalf("the journal folds but its first %d records do not: %v", k, err)
			}
		}
		b1, err := json.Marshal(js.plan)
		if err != nil {
			t.Fatalf("the plan record does not encode: %v", err)
		}
		var again planRecord
		if err := json.Unmarshal(b1, &again); err != nil {
			t.Fatalf("the plan record re-encodes as %s, which does not decode: %v", b1, err)
		}
		if b2, _ := json.Marshal(&again); !bytes.Equal(b1, b2) {
			t.Fatalf("the plan record re-encodes as\n%s\nthen as\n%s", b1, b2)
		}
	})
}
