package failover

import (
	"context"
	"fmt"
	"strings"

	"github.com/xmppfed/edgefailover/failover/journal"
	"github.com/xmppfed/edgefailover/xmppdns"
)

// Recovery is what a program prints after a crash: where the apply and each
// step stand by the state table, what Resume and Rollback would do, and the
// state each touched resource is in now.
type Recovery struct {
	Plan       string           `json:"plan"`
	Apply      ApplyState       `json:"apply"`
	State      State            `json:"state,omitempty"`      // of the last end record, when Apply is ApplyEnded
	Cause      string           `json:"cause,omitempty"`      // why it rolls back, when it does or did
	Incomplete string           `json:"incomplete,omitempty"` // why records are missing, when a journal write failed
	Next       string           `json:"next"`                 // what to run now, in words
	Steps      []StepReport     `json:"steps"`                // each step's State and History by the journal
	Resources  []ResourceStatus `json:"resources"`
}

// ResourceStatus is a resource a plan changes: before and after as planned,
// and what it holds now.
type ResourceStatus struct {
	Resource string `json:"resource"`
	Before   string `json:"before"`
	After    string `json:"after"`
	Now      string `json:"now"`
}

// Inspect reads a journal and the live state and reports, without changing
// anything, which steps completed, which are unknown, and where each touched
// resource stands now. The config must be the one the journal was written
// with.
func Inspect(ctx context.Context, j journal.Journal, cfg Config) (*Recovery, error) {
	p, js, err := replan(ctx, j, cfg)
	if err != nil {
		return nil, err
	}
	defer p.Close()
	r := &Recovery{Plan: js.plan.Name, Apply: js.apply, Cause: js.cause, Next: next(js)}
	if m, ok := j.(incompleteMarker); ok {
		if why, bad := m.Incomplete(); bad {
			r.Incomplete = why
			if js.apply == ApplyApplying {
				r.Next = "Rollback restores the before-state (Resume refuses: the journal is incomplete)"
			}
		}
	}
	if js.apply == ApplyEnded {
		r.State = js.end
	}
	for _, s := range p.Steps {
		r.Steps = append(r.Steps, StepReport{ID: s.ID, Title: s.Title, State: js.steps[s.ID], History: js.history[s.ID]})
	}
	c, l := p.cfg, p.live
	site, err := c.Management.Sites.Get(ctx, c.Site)
	now := "unreadable: "
	if err == nil {
		now = showRoute(site.XmppRoute)
	} else {
		now += err.Error()
	}
	r.Resources = append(r.Resources, ResourceStatus{Resource: "XMPP route of site " + c.Site, Before: showRoute(l.siteRoute), After: showRoute(p.live.edge.Route()), Now: now})
	res, err := l.pool.Status(ctx)
	for _, srv := range l.pool.Servers() {
		rs := ResourceStatus{Resource: "services of " + srv.FQDN(), Before: describe(l.services[srv.FQDN()]), After: "all Running", Now: "unreadable"}
		if err == nil {
			for _, sr := range res.Servers {
				if sr.FQDN == srv.FQDN() && sr.State != nil {
					rs.Now = describe(sr.State.Services)
				}
			}
		}
		r.Resources = append(r.Resources, rs)
	}
	for _, zc := range l.zones {
		keys := make([]xmppdns.Key, len(zc.change.Desired))
		for i, d := range zc.change.Desired {
			keys[i] = d.Key()
		}
		cur, err := zc.zone.Read(ctx, keys...)
		before := zc.change.Before()
		for i, d := range zc.change.Desired {
			rs := ResourceStatus{Resource: d.Name + " " + d.Type, After: showData(d), Now: "unreadable"}
			for _, b := range before.Sets {
				if b.Key() == d.Key() {
					rs.Before = showData(b)
				}
			}
			if rs.Before == "" {
				rs.Before = rs.After // not changed by the plan
			}
			if err == nil && i < len(cur) {
				rs.Now = showData(cur[i])
			}
			r.Resources = append(r.Resources, rs)
		}
	}
	return r, nil
}

// next says what an operator can run on a journal in its state.
func next(js *journalState) string {
	switch {
	case js.apply == ApplyApplying:
		return "Resume finishes the apply; Rollback restores the before-state"
	case js.apply == ApplyRollingBack:
		return "Rollback finishes the undo (Resume refuses: the apply was rolling back)"
	case js.end == StateInconsistent:
		return "clear the cause of the failed undos, then Rollback restores the before-state"
	case js.end == StateApplied:
		return "nothing (Rollback would undo the failover)"
	}
	return "nothing: the deployment is in its before-state"
}

// String renders the recovery report for people.
func (r *Recovery) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Journal of %q: ", r.Plan)
	switch r.Apply {
	case ApplyEnded:
		fmt.Fprintf(&b, "ended %s\n", r.State)
	default:
		fmt.Fprintf(&b, "interrupted while %s\n", r.Apply)
	}
	if r.Cause != "" {
		fmt.Fprintf(&b, "Rolling back because: %s\n", r.Cause)
	}
	if r.Incomplete != "" {
		fmt.Fprintf(&b, "Incomplete: %s\n", r.Incomplete)
	}
	fmt.Fprintf(&b, "Next: %s\n", r.Next)
	for _, s := range r.Steps {
		fmt.Fprintf(&b, "  %-12s %s\n", s.State, s.ID)
	}
	b.WriteString("Resources now:\n")
	for _, x := range r.Resources {
		fmt.Fprintf(&b, "  %s: %s (planned %s -> %s)\n", x.Resource, x.Now, x.Before, x.After)
	}
	return b.String()
}
