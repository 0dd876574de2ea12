package failover

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/netip"
	"slices"
	"time"

	"github.com/xmppfed/edgefailover/failover/journal"
	"github.com/xmppfed/edgefailover/lync"
	"github.com/xmppfed/edgefailover/xmppdns"
)

// incompleteMarker is a journal.Journal that can remember, outside its
// records, that some records could not be written (journal.File is one).
// The engine marks it at the first failed write; Resume refuses a marked
// journal, since it may lack the decision to roll back.
type incompleteMarker interface {
	MarkIncomplete(cause string) error
	Incomplete() (string, bool)
}

var _ incompleteMarker = (*journal.File)(nil)

// planRecord is the plan as a journal keeps it (journal.Record.Plan): enough to
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

// digest identifies a normalized config by every field that changes what
// Resume or Rollback would do or check: the fields that shape the plan's
// steps and their changes, and what the verification steps assert (which
// checks run, the probe's claimed domain and whether it does STARTTLS with
// a certificate check, the end-to-end IM's pool, receiver and sender).
//
// Left out, since they change neither: Management, OpenServer, the zones'
// providers, Verify.ProbeDial and the contents of Verify.Authoritative,
// Verify.Resolver and Verify.ProbeTLS (which resolvers, dialer and trust
// roots the checks go through: clients, and secrets, like the management
// client; a CertPool has no stable encoding either); Timeouts (how long
// each wait lasts, not what it waits for); Preflight (its checks run in New
// only, before the journal's first record: Resume and Rollback run none,
// and the plan's preflight step does not read it); ReplacedAddresses (the
// forward plan does not use them: Failback makes them another config's
// Addresses); and Logger (printing only).
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
	type verify struct {
		Authoritative, Remote, StartTLS bool
		ProbeFrom                       string
		IMReceiver, IMPool, IMSender    string
	}
	v := c.Verify
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
		Verify                               verify
	}{c.Site, c.TargetPool, c.ReplacedPool, c.ReplacedSite, c.Servers, c.ClearReplacedRoute, doms,
		c.FederationHost, c.FederationZone.Name(), c.Addresses, c.SRV, hosts, c.SRVTTL, c.AddrTTL, c.Strategy, c.Graceful,
		verify{v.Authoritative != nil, v.Resolver != nil, v.ProbeTLS != nil, v.ProbeFrom, v.IMReceiver, v.IMPool, v.IMSender}})
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
