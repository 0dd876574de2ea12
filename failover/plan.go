package failover

import (
	"encoding/json"
	"sync/atomic"

	"github.com/xmppfed/edgefailover/edge"
	"github.com/xmppfed/edgefailover/failover/preflight"
)

// Strategy is the order in which the target pool's servers are changed.
type Strategy string

// The strategies.
const (
	// Runbook follows Microsoft's procedure: stop the services of every target
	// server, change the route and DNS, start every server.
	Runbook Strategy = "runbook"
	// Rolling is this SDK's extension, not Microsoft's procedure: set the route
	// first, wait until every target replica is up to date, then restart the
	// target servers one at a time, so that the target pool keeps serving its
	// other traffic throughout.
	Rolling Strategy = "rolling"
)

// Plan is a failover (or failback) as a value: the steps it will take, the
// changes each makes (before -> after), the commands it will run. Building a
// plan reads live state and changes nothing; printing it is the dry run;
// Apply runs the same value. Steps never branch on a dry-run flag.
type Plan struct {
	Name     string   // e.g. "fail XMPP federation over to edgepool2.contoso.com"
	Strategy Strategy // how the target servers are restarted
	Steps    []*Step  // in a topological order
	Notes    []string // what the plan does not do, e.g. a verification that is not configured
	// Findings are the results of the preflight checks New ran (every one
	// passed, or is a warning the caller accepted).
	Findings []preflight.Finding
	// Caches lists, for every RRset the plan replaces or deletes, how long
	// remote servers may still use its old records (CacheWindow: the
	// longest).
	Caches []CacheBound

	pool    *edge.Pool // the target servers' clients, opened by New
	cfg     Config     // normalized
	live    *live      // what New read: the steps' before-states, for journals
	applied atomic.Bool
}

// Close closes the clients New opened (through Config.OpenServer) for the
// target pool's servers. The management client and the zones are the
// caller's.
func (p *Plan) Close() error {
	if p.pool == nil {
		return nil
	}
	return p.pool.Close()
}

// HasChanges reports whether applying the plan would change anything. A plan
// built when federation already runs on the target pool has none.
func (p *Plan) HasChanges() bool {
	for _, s := range p.Steps {
		if len(s.Changes) > 0 {
			return true
		}
	}
	return false
}

// Step returns the step with the given ID, or nil.
func (p *Plan) Step(id string) *Step {
	for _, s := range p.Steps {
		if s.ID == id {
			return s
		}
	}
	return nil
}

// Counts returns how many changes of each kind the plan makes.
func (p *Plan) Counts() map[ChangeKind]int {
	n := make(map[ChangeKind]int)
	for _, s := range p.Steps {
		for _, c := range s.Changes {
			n[c.Kind]++
		}
	}
	return n
}

// MarshalJSON renders the plan for programs: name, strategy, whether it has
// changes, the preflight findings, the remote cache bounds, and every step with its changes and
// commands.
func (p *Plan) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Name       string              `json:"name"`
		Strategy   Strategy            `json:"strategy"`
		HasChanges bool                `json:"has_changes"`
		Notes      []string            `json:"notes,omitempty"`
		Findings   []preflight.Finding `json:"findings,omitempty"`
		Caches     []CacheBound        `json:"caches,omitempty"`
		Steps      []*Step             `json:"steps"`
	}{p.Name, p.Strategy, p.HasChanges(), p.Notes, p.Findings, p.Caches, p.Steps})
}
