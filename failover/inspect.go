package failover

import (
	"context"
	"fmt"
	"strings"

	"github.com/xmppfed/edgefailover/xmppdns"
)

// StepStatus is what a journal says of one step.
type StepStatus string

// The statuses of a step in a journal.
const (
	StatusNotStarted StepStatus = "not started"
	StatusCompleted  StepStatus = "completed"
	StatusFailed     StepStatus = "failed"
	StatusUnknown    StepStatus = "unknown" // started, no outcome: it may be half-done
	StatusUndone     StepStatus = "undone"
	StatusUndoFailed StepStatus = "undo failed"
	StatusUndoing    StepStatus = "undo unknown" // undo started, no outcome
)

// Recovery is what a program prints after a crash: what the journal says of
// each step, and the state each touched resource is in now.
type Recovery struct {
	Plan      string           `json:"plan"`
	Ended     bool             `json:"ended"`
	State     State            `json:"state,omitempty"` // when Ended
	Steps     []RecoveredStep  `json:"steps"`
	Resources []ResourceStatus `json:"resources"`
}

// RecoveredStep is one step as the journal tells it.
type RecoveredStep struct {
	ID     string     `json:"id"`
	Status StepStatus `json:"status"`
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
func Inspect(ctx context.Context, j Journal, cfg Config) (*Recovery, error) {
	p, js, err := replan(ctx, j, cfg)
	if err != nil {
		return nil, err
	}
	defer p.Close()
	r := &Recovery{Plan: js.plan.Name, Ended: js.ended, State: js.end}
	for _, s := range p.Steps {
		r.Steps = append(r.Steps, RecoveredStep{ID: s.ID, Status: js.steps[s.ID].status()})
	}
	c, l := p.cfg, p.live
	site, err := c.Management.Sites.Get(ctx, c.Site)
	now := "unreadable: "
	if err == nil {
		now = showRoute(site.XmppRoute)
	} else {
		now += err.Error()
	}
	r.Resources = append(r.Resources, ResourceStatus{Resource: "XMPP route of site " + c.Site, Before: showRoute(l.siteRoute), After: showRoute(p.live.edge.Identity), Now: now})
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

func (l *stepLog) status() StepStatus {
	switch {
	case l.undoing && l.undoFailed:
		return StatusUndoFailed
	case l.undoing:
		return StatusUndoing
	case l.done:
		return StatusCompleted
	case l.failed:
		return StatusFailed
	case l.started:
		return StatusUnknown
	case l.last > 0:
		return StatusUndone // an undone step's log is reset, its last record kept
	}
	return StatusNotStarted
}

// String renders the recovery report for people.
func (r *Recovery) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Journal of %q: ", r.Plan)
	if r.Ended {
		fmt.Fprintf(&b, "ended %s\n", r.State)
	} else {
		b.WriteString("interrupted\n")
	}
	for _, s := range r.Steps {
		fmt.Fprintf(&b, "  %-13s %s\n", s.Status, s.ID)
	}
	b.WriteString("Resources now:\n")
	for _, x := range r.Resources {
		fmt.Fprintf(&b, "  %s: %s (planned %s -> %s)\n", x.Resource, x.Now, x.Before, x.After)
	}
	return b.String()
}
