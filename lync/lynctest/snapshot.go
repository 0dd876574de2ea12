package lynctest

import "time"

// Snapshot is the whole observable state of a deployment as plain values,
// for comparison with go-cmp.
type Snapshot struct {
	// Sites by site name.
	Sites map[string]SiteSnapshot
	// Services by host FQDN, then by short service name.
	Services map[string]map[string]ServiceStatus
	// Replicas by host FQDN: whether the CMS replica is up to date.
	Replicas map[string]bool
}

// SiteSnapshot is the routing state of one site; a route is "" or
// "EdgeServer:<pool fqdn>".
type SiteSnapshot struct {
	XmppRoute       string
	FederationRoute string
}

// Snapshot returns the current state.
func (d *Deployment) Snapshot() Snapshot {
	d.mu.Lock()
	defer d.mu.Unlock()
	now := time.Now()
	s := Snapshot{Sites: map[string]SiteSnapshot{}, Services: map[string]map[string]ServiceStatus{},
		Replicas: map[string]bool{}}
	for _, st := range d.sites {
		s.Sites[st.name] = SiteSnapshot{XmppRoute: st.xmppRoute, FederationRoute: st.fedRoute}
	}
	for _, h := range d.hosts {
		if len(h.services) > 0 {
			m := map[string]ServiceStatus{}
			for _, sv := range h.services {
				m[sv.name] = sv.status
			}
			s.Services[h.fqdn] = m
		}
		if h.replica != nil {
			s.Replicas[h.fqdn] = d.replicaUpToDateLocked(h, now)
		}
	}
	return s
}
