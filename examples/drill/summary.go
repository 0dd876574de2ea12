package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/xmppfed/edgefailover/failover"
	"github.com/xmppfed/edgefailover/failover/preflight"
)

// summary is what a drill found, printed last (text) or as the "summary"
// member of the JSON document.
type summary struct {
	Passed               bool               `json:"passed"`
	Fault                string             `json:"fault,omitempty"`
	Strategy             failover.Strategy  `json:"strategy"`
	SRV                  failover.SRVPolicy `json:"srv"`
	Dead                 string             `json:"dead_pool"` // refused or silent (-dead)
	Servers              int                `json:"servers_per_pool"`
	Latency              string             `json:"latency"`
	DryRunChangedNothing bool               `json:"dry_run_changed_nothing"`
	Steps                int                `json:"steps"`
	Changes              int                `json:"changes"`
	Failover             failover.State     `json:"failover"`
	Failback             failover.State     `json:"failback,omitempty"`
	OutageSeconds        float64            `json:"outage_window_seconds,omitempty"`
	SinceKillSeconds     float64            `json:"since_pool_died_seconds,omitempty"`
	RemotePeers          int                `json:"remote_peers,omitempty"`
	RemoteRestored       int                `json:"remote_peers_restored,omitempty"`
	RemoteP50Seconds     float64            `json:"remote_outage_p50_seconds,omitempty"`
	RemoteMaxSeconds     float64            `json:"remote_outage_max_seconds,omitempty"`
	Verified             []string           `json:"verified,omitempty"`
	FailedSteps          []string           `json:"failed_steps,omitempty"`
	LabRestored          *bool              `json:"lab_restored,omitempty"`
	Refused              bool               `json:"refused_by_preflight,omitempty"` // a preflight fault: New refused the plan
	Findings             []string           `json:"findings,omitempty"`             // its errors and warnings not accepted
	RefusedChanges       int                `json:"refused_changes,omitempty"`      // changes made although refused (must be 0)
	LabUnchanged         *bool              `json:"lab_unchanged,omitempty"`        // the lab as before New
	FailbackA            []string           `json:"failback_a_record,omitempty"`
	FailbackPool         string             `json:"failback_pool,omitempty"`
	FailbackAddr         string             `json:"failback_address,omitempty"`
	WallSeconds          float64            `json:"wall_seconds"`
	Error                string             `json:"error,omitempty"`
}

// document is the -json output.
type document struct {
	Plan           *failover.Plan      `json:"plan,omitempty"`
	Report         *failover.Report    `json:"report,omitempty"`
	Events         []failover.Event    `json:"events,omitempty"`
	FailbackPlan   *failover.Plan      `json:"failback_plan,omitempty"`
	FailbackReport *failover.Report    `json:"failback_report,omitempty"`
	FailbackEvents []failover.Event    `json:"failback_events,omitempty"`
	Findings       []preflight.Finding `json:"findings,omitempty"` // of a plan refused by preflight
	Summary        *summary            `json:"summary"`
}

func (d *drill) writeJSON(w io.Writer) error {
	d.doc.Summary = d.sum
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(&d.doc)
}

// write prints the summary as text.
func (s *summary) write(w io.Writer) {
	fmt.Fprintf(w, "\n== summary ==\n")
	fmt.Fprintf(w, "strategy %s, %d servers per pool, latency %s, srv %s, dead pool %s", s.Strategy, s.Servers, s.Latency, s.SRV, s.Dead)
	if s.Fault != "" {
		fmt.Fprintf(w, ", fault %s", s.Fault)
	}
	if !s.Refused {
		fmt.Fprintf(w, "\nplan: %d steps, %d changes; dry run changed nothing: %s\n", s.Steps, s.Changes, yes(s.DryRunChangedNothing))
		fmt.Fprintf(w, "failover: %s\n", orNone(string(s.Failover)))
	} else {
		fmt.Fprintln(w)
	}
	if s.OutageSeconds > 0 {
		fmt.Fprintf(w, "XMPP outage window (first change -> remote view verified): %.3fs; since the pool died (plan built and printed too): %.3fs\n", s.OutageSeconds, s.SinceKillSeconds)
	}
	if s.RemotePeers > 0 {
		fmt.Fprintf(w, "remote outage (since the pool died, %d of %d peers federate again, warm caches, srv %s, dead pool %s, peer times x%g): p50 %.3fs / max %.3fs over peers\n",
			s.RemoteRestored, s.RemotePeers, s.SRV, s.Dead, peerScale, s.RemoteP50Seconds, s.RemoteMaxSeconds)
	}
	if len(s.Verified) > 0 {
		fmt.Fprintf(w, "verified: %s\n", strings.Join(s.Verified, "; "))
	}
	if len(s.FailedSteps) > 0 {
		fmt.Fprintf(w, "failed: %s\n", strings.Join(s.FailedSteps, "; "))
	}
	if s.Refused {
		fmt.Fprintf(w, "failover: refused before any change by %d finding(s): %s\n", len(s.Findings), strings.Join(s.Findings, "; "))
		fmt.Fprintf(w, "changes made: %d; lab unchanged: %s\n", s.RefusedChanges, yes(s.LabUnchanged != nil && *s.LabUnchanged))
	}
	if s.LabRestored != nil {
		fmt.Fprintf(w, "%s, lab restored: %s\n", s.Failover, yes(*s.LabRestored))
	}
	if s.Failback != "" {
		fmt.Fprintf(w, "failback: %s\n", s.Failback)
	}
	if len(s.FailbackA) > 0 {
		fmt.Fprintf(w, "after failback the A record points back at pool 1 (%s, %s): %s\n", s.FailbackPool, s.FailbackAddr, strings.Join(s.FailbackA, ", "))
		fmt.Fprintf(w, "  (computed from live state; Microsoft's failback page copies the pool 2 address here)\n")
	}
	result := "PASSED"
	if !s.Passed {
		result = "FAILED"
	}
	fmt.Fprintf(w, "drill %s in %.2fs\n", result, s.WallSeconds)
}

// verified lists, in short, the verification steps that completed.
func verified(p *failover.Plan, r *failover.Report) []string {
	var out []string
	for _, s := range p.Steps {
		var what string
		switch {
		case s.ID == "verify/route":
			what = "route read back"
		case s.ID == "verify/services":
			what = "services running and replicas up to date"
		case strings.HasPrefix(s.ID, "verify/dns/"):
			what = "DNS on every name server of " + strings.TrimPrefix(s.ID, "verify/dns/")
		case strings.HasPrefix(s.ID, "verify/remote/"):
			what = "remote view of " + strings.TrimPrefix(s.ID, "verify/remote/")
		case s.SeedStep == 6:
			what = "port 5269 with STARTTLS and certificate names"
		default:
			continue
		}
		if sr := r.Step(s.ID); sr != nil && sr.State == failover.StepDone {
			out = append(out, what)
		}
	}
	return out
}

// failedSteps lists the steps that failed, with their error.
func failedSteps(r *failover.Report) []string {
	var out []string
	for _, s := range r.Steps {
		if s.Error != "" {
			out = append(out, s.ID+": "+s.Error)
		}
		if s.UndoErr != "" {
			out = append(out, s.ID+" (undo): "+s.UndoErr)
		}
	}
	return out
}

func orNone(s string) string {
	if s == "" {
		return "not applied"
	}
	return s
}
