package lynctest

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/xmppfed/edgefailover/internal/dnsname"
)

// ErrBadConfig is returned (wrapped) by New for a Config that no real
// topology could hold.
var ErrBadConfig = errors.New("lynctest: invalid config")

type siteState struct {
	name, description, displayName string
	id                             int
	branch                         bool
	xmppRoute, fedRoute            string // "" or "EdgeServer:<fqdn>"
}

type poolState struct {
	fqdn, site string
	role       Role
	servers    []string
	xmpp       bool
	accessEdge string
}

type serviceState struct {
	name, display, roleName string
	status                  ServiceStatus
	gen                     int // bumped by every transition; stale timers check it
}

type replicaState struct {
	applied      int       // topology version this replica holds
	runningSince time.Time // zero while REPLICA is not running
	lastReport   time.Time
	reported     bool // UpToDate of the last ReplicaEvent (initially true)
}

func badConfig(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrBadConfig, fmt.Sprintf(format, args...))
}

// buildTopology validates cfg and fills d's sites, pools and hosts.
func (d *Deployment) buildTopology(cfg Config) error {
	if len(cfg.Sites) == 0 {
		return badConfig("no sites")
	}
	siteByName := map[string]*siteState{}
	for i, s := range cfg.Sites {
		if s.Name == "" || strings.ContainsAny(s.Name, ":\r\n") {
			return badConfig("site %d: bad name %q", i+1, s.Name)
		}
		key := strings.ToLower(s.Name)
		if siteByName[key] != nil {
			return badConfig("site %q defined twice", s.Name)
		}
		st := &siteState{name: s.Name, description: s.Description, displayName: s.DisplayName,
			id: s.SiteID, branch: s.Branch}
		if st.id == 0 {
			st.id = i + 1
		}
		if st.displayName == "" {
			st.displayName = s.Name
		}
		siteByName[key] = st
		d.sites = append(d.sites, st)
	}
	for _, p := range cfg.Pools {
		if err := d.addPool(cfg, p, siteByName); err != nil {
			return err
		}
	}
	if cfg.ManagementHost != "" {
		fqdn, err := dnsname.ParseFQDN(cfg.ManagementHost)
		if err != nil {
			return badConfig("management host: %v", err)
		}
		if d.hostByName[fqdn] == nil {
			d.addHost(&Host{fqdn: fqdn})
		}
	}
	for i, s := range cfg.Sites {
		for _, pair := range []struct {
			in   string
			out  *string
			xmpp bool
		}{{s.XmppRoute, &d.sites[i].xmppRoute, true}, {s.FederationRoute, &d.sites[i].fedRoute, false}} {
			if pair.in == "" {
				continue
			}
			id, msg := d.routeTarget(pair.in, pair.xmpp, false)
			if msg != "" {
				return badConfig("site %q: %s", s.Name, msg)
			}
			*pair.out = id
		}
	}
	return nil
}

func (d *Deployment) addPool(cfg Config, p Pool, sites map[string]*siteState) error {
	fqdn, err := dnsname.ParseFQDN(p.FQDN)
	if err != nil {
		return badConfig("pool: %v", err)
	}
	if d.poolByName(fqdn) != nil {
		return badConfig("pool %q defined twice", fqdn)
	}
	site := sites[strings.ToLower(p.Site)]
	if site == nil {
		return badConfig("pool %q: unknown site %q", fqdn, p.Site)
	}
	if p.Role != FrontEnd && p.Role != Edge {
		return badConfig("pool %q: role must be FrontEnd or Edge", fqdn)
	}
	if len(p.Servers) == 0 {
		return badConfig("pool %q: no servers", fqdn)
	}
	ps := &poolState{fqdn: fqdn, site: site.name, role: p.Role, xmpp: p.Role == Edge && !p.XMPPDisabled,
		accessEdge: strings.ToLower(p.AccessEdgeExternalFQDN)}
	if ps.role == Edge && ps.accessEdge == "" {
		ps.accessEdge = "sip." + fqdn[strings.IndexByte(fqdn, '.')+1:]
	}
	d.pools = append(d.pools, ps)
	for _, s := range p.Servers {
		sf, err := dnsname.ParseFQDN(s.FQDN)
		if err != nil {
			return badConfig("pool %q: server: %v", fqdn, err)
		}
		if d.hostByName[sf] != nil {
			return badConfig("server %q is in two pools", sf)
		}
		h := &Host{fqdn: sf, pool: ps}
		svcs := s.Services
		if len(svcs) == 0 {
			svcs = DefaultServices(d.product, p.Role)
		}
		seen := map[string]bool{}
		for _, sv := range svcs {
			name := strings.ToUpper(sv.Name)
			if name == "" || seen[name] || strings.ContainsAny(name, " '\r\n") {
				return badConfig("server %q: bad or duplicate service %q", sf, sv.Name)
			}
			seen[name] = true
			st := &serviceState{name: name, display: sv.DisplayName, roleName: sv.RoleName, status: sv.Status}
			if st.display == "" {
				st.display = displayName(d.product, p.Role, name)
			}
			if st.roleName == "" {
				st.roleName = roleName(p.Role)
			}
			if st.status == 0 {
				st.status = Running
			}
			if st.status < Stopped || st.status > Paused {
				return badConfig("server %q: service %s: bad status %d", sf, name, st.status)
			}
			h.services = append(h.services, st)
		}
		if rs := h.service("REPLICA"); rs != nil {
			h.replica = &replicaState{reported: true, lastReport: d.start}
			if rs.status == Running {
				h.replica.runningSince = d.start
			}
		}
		ps.servers = append(ps.servers, sf)
		d.addHost(h)
	}
	return nil
}

func (d *Deployment) addHost(h *Host) {
	h.d = d
	h.counters = newCounters()
	h.shells = map[string]*shell{}
	d.hosts = append(d.hosts, h)
	d.hostByName[h.fqdn] = h
}

func (d *Deployment) poolByName(fqdn string) *poolState {
	for _, p := range d.pools {
		if strings.EqualFold(p.fqdn, fqdn) {
			return p
		}
	}
	return nil
}

func (d *Deployment) siteByName(name string) *siteState {
	if len(name) > 5 && strings.EqualFold(name[:5], "Site:") {
		name = name[5:]
	}
	for _, s := range d.sites {
		if strings.EqualFold(s.name, name) {
			return s
		}
	}
	return nil
}

func (h *Host) service(name string) *serviceState {
	for _, s := range h.services {
		if strings.EqualFold(s.name, name) {
			return s
		}
	}
	return nil
}

// routeTarget checks a route value the way Set-CsSite does and returns the
// service identity to store, or a message saying why it is refused. Call with
// d.mu held (or before the deployment is shared).
func (d *Deployment) routeTarget(v string, xmpp, acceptBare bool) (string, string) {
	fqdn := v
	if i := strings.IndexByte(v, ':'); i >= 0 {
		if !strings.EqualFold(v[:i], "EdgeServer") {
			return "", fmt.Sprintf("%q is not an Edge Server service identity", v)
		}
		fqdn = v[i+1:]
	} else if !acceptBare {
		return "", fmt.Sprintf("%q is not a service identity (expected EdgeServer:<pool fqdn>)", v)
	}
	p := d.poolByName(strings.TrimSuffix(fqdn, "."))
	if p == nil || p.role != Edge || strings.HasSuffix(fqdn, ".") {
		return "", fmt.Sprintf("service \"EdgeServer:%s\" does not exist in the topology", fqdn)
	}
	if xmpp && !p.xmpp {
		return "", fmt.Sprintf("Edge pool %q is not enabled for XMPP federation", p.fqdn)
	}
	return "EdgeServer:" + p.fqdn, ""
}
