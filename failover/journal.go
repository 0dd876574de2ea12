package failover

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"time"

	"github.com/xmppfed/edgefailover/lync"
	"github.com/xmppfed/edgefailover/xmppdns"
)

// Journal errors; match them with errors.Is.
var (
	// ErrJournalCorrupt: a record other than the last is damaged, or the
	// records contradict each other. Nothing is undone or resumed from it.
	ErrJournalCorrupt = errors.New("failover: journal corrupt")
	// ErrJournalMismatch: the journal was written for another config (its
	// digest differs) or another plan (its steps differ).
	ErrJournalMismatch = errors.New("failover: journal does not match the config")
	// ErrJournalEmpty: the journal holds no plan: nothing was applied with it.
	ErrJournalEmpty = errors.New("failover: journal holds no plan")
	// ErrPlanEnded: the journal's apply ended (applied or rolled back);
	// there is nothing to resume.
	ErrPlanEnded = errors.New("failover: the journal's apply has ended")
	// ErrRollingBack: the journal's apply was rolling back (a step failed
	// or was vetoed, the apply was cancelled, or an operator began a
	// Rollback) when it stopped. Resume never rolls such an apply forward:
	// run Rollback to finish the undo.
	ErrRollingBack = errors.New("failover: the journal's apply was rolling back: run Rollback")
	// ErrJournalInUse: Apply was given a journal that already holds
	// records (of another apply). Every apply needs a journal of its own;
	// finish that one with Resume or Rollback, or open a new file.
	ErrJournalInUse = errors.New("failover: the journal already holds an apply")
	// ErrJournalIncomplete: a journal write failed during the apply, so the
	// journal lacks some of its records. The apply went on without them (a
	// failed write rolls the apply back, and undos run whether or not they
	// could be recorded); the Report, not the journal, says where the
	// deployment stands. A Rollback from that journal is safe (undos are
	// idempotent and restore the before-state it recorded); a Resume is not,
	// since the journal may lack the decision to roll back.
	ErrJournalIncomplete = errors.New("failover: the journal is incomplete")
)

// Journal records an apply so that it can be resumed or rolled back by
// another process after a crash. Implementations must make a record durable
// before Append returns: the change it announces is made only after that.
// A Journal never holds secrets: records name steps, before-states (routes,
// service states, DNS records) and a digest of the config.
type Journal interface {
	// Append adds one record durably. It honours ctx.
	Append(ctx context.Context, r Record) error
	// Records returns every record in order. A torn last record (a crash
	// mid-write) is left out; damage elsewhere is ErrJournalCorrupt.
	Records(ctx context.Context) ([]Record, error)
}

// incompleteMarker is a Journal that can remember, outside its records,
// that some records could not be written (FileJournal is one). The engine
// marks it at the first failed write; Resume refuses a marked journal,
// since it may lack the decision to roll back.
type incompleteMarker interface {
	MarkIncomplete(cause string) error
	Incomplete() (string, bool)
}

var _ incompleteMarker = (*FileJournal)(nil)

// RecordKind says what a record announces: a step's transition or a
// decision of the apply. The state table in the package doc says which
// record may follow which.
type RecordKind string

// The kinds of records.
const (
	RecordPlan        RecordKind = "plan"         // the plan and the state it read; written before any change
	RecordStart       RecordKind = "start"        // a step is about to make its change
	RecordDone        RecordKind = "done"         // the step completed
	RecordFailed      RecordKind = "failed"       // the step failed (the apply rolls back)
	RecordVeto        RecordKind = "veto"         // a Before hook refused the step (the apply rolls back)
	RecordRollingBack RecordKind = "rolling-back" // the apply decided to roll back; Error says why
	RecordRollback    RecordKind = "rollback"     // an operator's Rollback began
	RecordResume      RecordKind = "resume"       // an operator's Resume began
	RecordUndo        RecordKind = "undo"         // an undo is about to run
	RecordUndone      RecordKind = "undone"       // the undo completed
	RecordUndoFailed  RecordKind = "undo-failed"  // the undo failed
	RecordEnd         RecordKind = "end"          // the apply ended in State
)

// Record is one line of a journal.
type Record struct {
	Seq   int        `json:"seq"`
	Time  time.Time  `json:"time"`
	Kind  RecordKind `json:"kind"`
	Step  string     `json:"step,omitempty"`  // with the records of a step's transitions and a veto
	Error string     `json:"error,omitempty"` // why: of failed, veto, rolling-back and undo-failed
	State State      `json:"state,omitempty"` // with RecordEnd
	// Plan is, with RecordPlan, the plan and the state it read, as this
	// package encodes them: enough to rebuild the same steps with the same
	// before-states in another process. A Journal stores it as it is.
	Plan json.RawMessage `json:"plan,omitempty"`
}

// planRecord is the plan as a journal keeps it (Record.Plan): enough to
// rebuild the same steps, with the same before-states, in another process.
type planRecord struct {
	Name     string       `json:"name"`
	Strategy Strategy     `json:"strategy"`
	Digest   string       `json:"digest"` // of the config; Resume and Rollback refuse another
	Created  time.Time    `json:"created"`
	Steps    []stepRecord `json:"steps"` // in plan order
	Live     liveRecord   `json:"live"`  // what New read: every step's before-state
}

// stepRecord is a step as a journal keeps it.
type stepRecord struct {
	ID        string   `json:"id"`
	DependsOn []string `json:"depends_on,omitempty"`
	Changes   []Change `json:"changes,omitempty"`
}

// liveRecord is the live state a plan was built from, in a form that
// survives a process: the before-state of every step.
type liveRecord struct {
	RouteParameter string                    `json:"route_parameter"`
	SiteRoute      lync.Route                `json:"site_route"`
	ReplacedRoute  lync.Route                `json:"replaced_route,omitzero"`
	Edge           lync.EdgeService          `json:"edge"`
	Servers        []string                  `json:"servers"`
	Services       map[string][]lync.Service `json:"services"`
	Addresses      []netip.Addr              `json:"addresses"`
	Zones          []*xmppdns.Change         `json:"zones"`
}

func (l *live) record() liveRecord {
	r := liveRecord{
		RouteParameter: l.routeParam,
		SiteRoute:      l.siteRoute,
		ReplacedRoute:  l.replacedRoute,
		Edge:           l.edge,
		Services:       l.services,
		Addresses:      l.addrs,
	}
	for _, s := range l.pool.Servers() {
		r.Servers = append(r.Servers, s.FQDN())
	}
	for _, z := range l.zones {
		r.Zones = append(r.Zones, z.change)
	}
	return r
}

// digest identifies a normalized config by everything that shapes the plan,
// clients and secrets excluded.
func (c Config) digest() string {
	type zone struct{ Domain, Zone string }
	var doms []zone
	for _, d := range c.Domains {
		doms = append(doms, zone{d.Name, d.Zone.Name()})
	}
	var hosts []string
	for p, h := range c.PoolHosts {
		hosts = append(hosts, p+"="+h)
	}
	slices.Sort(hosts)
	b, _ := json.Marshal(struct {
		Site, Target, Replaced, ReplacedSite string
		Servers                              []string
		Clear                                bool
		Domains                              []zone
		Host, HostZone                       string
		Addrs                                []netip.Addr
		SRV                                  SRVPolicy
		PoolHosts                            []string
		SRVTTL, AddrTTL                      time.Duration
		Strategy                             Strategy
		Graceful                             bool
	}{c.Site, c.TargetPool, c.ReplacedPool, c.ReplacedSite, c.Servers, c.ClearReplacedRoute, doms,
		c.FederationHost, c.FederationZone.Name(), c.Addresses, c.SRV, hosts, c.SRVTTL, c.AddrTTL, c.Strategy, c.Graceful})
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func (p *Plan) record() json.RawMessage {
	r := &planRecord{Name: p.Name, Strategy: p.Strategy, Digest: p.cfg.digest(), Live: p.live.record(), Created: time.Now().UTC()}
	for _, s := range p.Steps {
		r.Steps = append(r.Steps, stepRecord{ID: s.ID, DependsOn: s.DependsOn, Changes: s.Changes})
	}
	b, err := json.Marshal(r)
	if err != nil {
		// Every field is a plain value, a netip.Addr or a type of ours that
		// marshals: this cannot fail.
		panic(fmt.Sprintf("failover: encoding the plan record: %v", err))
	}
	return b
}

func journalErr(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrJournalCorrupt}, args...)...)
}
