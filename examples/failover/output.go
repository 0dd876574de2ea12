package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/xmppfed/edgefailover/examples/internal/setup"
	"github.com/xmppfed/edgefailover/failover"
	"github.com/xmppfed/edgefailover/failover/journal"
)

// openJournal opens the journal; fresh says it is for a new apply, which
// refuses a journal that already records one. A lock left by a process
// that died (a kill -9) is taken over (journal.Options.TakeOver
// never takes one held by a live process: that is ErrLocked): resume and
// rollback exist to recover from such a death, and a new apply only
// proceeds when the journal records nothing.
func openJournal(ctx context.Context, path string, fresh bool, stderr io.Writer) (*journal.File, error) {
	j, err := journal.Open(path, journal.Options{})
	if errors.Is(err, journal.ErrStaleLock) {
		fmt.Fprintf(stderr, "failover: %v: taking it over\n", err)
		j, err = journal.Open(path, journal.Options{TakeOver: true})
	}
	if err != nil {
		return nil, fmt.Errorf("journal %s: %w", path, err)
	}
	if fresh {
		recs, err := j.Records(ctx)
		if err != nil || len(recs) > 0 {
			j.Close()
			return nil, badInput("journal %s already records an apply (%v): run `failover resume` or `failover rollback`, or move the file away to start anew", path, err)
		}
	}
	return j, nil
}

func report(w io.Writer, asJSON bool, plan *failover.Plan, rep *failover.Report, err error, jpath string) error {
	if asJSON {
		if jerr := writeJSON(w, map[string]any{"plan": plan, "report": rep, "journal": jpath}); jerr != nil {
			return jerr
		}
	} else {
		fmt.Fprintf(w, "\n%s", rep)
	}
	if err != nil {
		return &stateError{state: rep.State, err: fmt.Errorf("%s (state %s; journal %s): %w", rep.Plan, rep.State, jpath, err)}
	}
	return nil
}

// stateError is a failed apply, resume or rollback, with the state the
// report left the deployment in: it chooses the exit code.
type stateError struct {
	state failover.State
	err   error
}

func (e *stateError) Error() string { return e.err.Error() }
func (e *stateError) Unwrap() error { return e.err }

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// progress renders events as one line each.
func progress(w io.Writer) func(failover.Event) {
	start := time.Now()
	var mu sync.Mutex // steps run concurrently
	return func(e failover.Event) {
		mu.Lock()
		defer mu.Unlock()
		msg := e.Message
		if e.Server != "" {
			msg = e.Server + " " + msg
		}
		if e.Err != nil {
			msg += ": " + e.Err.Error()
		}
		what := string(e.State)
		if e.Progress {
			what = "progress"
		}
		fmt.Fprintf(w, "  %8.3fs  %-32s %-12s %s\n", e.Time.Sub(start).Seconds(), e.Step, what, msg)
	}
}

func timeDur(d setup.Duration) time.Duration { return time.Duration(d) }

// writeGuarantees says, per zone, whether the provider's writes are
// conditional and atomic (xmppdns.Guarantees), after the dry run.
func writeGuarantees(w io.Writer, zones []zoneGuarantees) {
	if len(zones) == 0 {
		return
	}
	fmt.Fprintln(w, "\nDNS guarantees:")
	for _, z := range zones {
		fmt.Fprintf(w, "  %s (dns_providers.%s) %s\n", z.Zone, z.Provider, z.Guarantees)
	}
}
