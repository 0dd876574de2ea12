package failovertest

import (
	"context"
	"sort"
	"strings"

	"github.com/miekg/dns"

	"github.com/xmppfed/edgefailover/lync"
)

// State is everything a failover touches, as plain values that go-cmp
// compares (cmp.Diff(before, after)). Zone serials are left out, so a change
// that was undone gives the same State as before it.
type State struct {
	// Routes holds each site's XMPP federation route, "" (none) or
	// "EdgeServer:<pool fqdn>", by site name.
	Routes map[string]string
	// Services holds the state of every Lync service ("Running", ...) by
	// host FQDN, then short service name.
	Services map[string]map[string]lync.ServiceStatus
	// Replicas holds, by host FQDN, whether the CMS replica is up to date.
	Replicas map[string]bool
	// DNS holds the federation RRsets as the primary serves them, keyed
	// "<owner> <TYPE>" ("_xmpp-server._tcp.contoso.com. SRV",
	// "xmpp.contoso.com. A"): the SRV set of every domain and the A and
	// AAAA sets of FederationHost and of both Access Edge external FQDNs.
	// Each value is the RRset's records in zone-file form with TTL, sorted;
	// an absent RRset has the key with a nil value.
	DNS map[string][]string
	// Listeners holds whether each Edge pool's XMPP listener is up, by pool
	// FQDN.
	Listeners map[string]bool
}

// Snapshot reconciles the listeners with the deployment and returns the
// current State. It fails with ErrClosed after Close, with ctx's error when
// ctx has ended, and with an error matching ErrListener when a listener the
// state calls for could not be started.
func (l *Lab) Snapshot(ctx context.Context) (State, error) {
	if err := ctx.Err(); err != nil {
		return State{}, err
	}
	if l.isClosed() {
		return State{}, ErrClosed
	}
	l.reconcile()
	l.mu.Lock()
	lerr := l.listenErr
	l.mu.Unlock()
	if lerr != nil {
		return State{}, lerr
	}
	ds := l.deploy.Snapshot()
	st := State{
		Routes:    make(map[string]string, len(ds.Sites)),
		Services:  make(map[string]map[string]lync.ServiceStatus, len(ds.Services)),
		Replicas:  make(map[string]bool, len(ds.Replicas)),
		DNS:       make(map[string][]string),
		Listeners: make(map[string]bool, len(l.pools)),
	}
	for name, s := range ds.Sites {
		st.Routes[name] = s.XmppRoute
	}
	for host, svcs := range ds.Services {
		m := make(map[string]lync.ServiceStatus, len(svcs))
		for name, s := range svcs {
			m[name] = lync.ServiceStatus(s.String())
		}
		st.Services[host] = m
	}
	for host, ok := range ds.Replicas {
		st.Replicas[host] = ok
	}
	for _, key := range l.federationKeys() {
		z := l.dnsZone[l.zoneOfName(key.name)]
		var rrs []string
		for _, rr := range z.Lookup(key.name, key.t) {
			rrs = append(rrs, strings.ReplaceAll(rr.String(), "\t", " "))
		}
		sort.Strings(rrs)
		st.DNS[key.name+" "+dns.TypeToString[key.t]] = rrs
	}
	for _, p := range l.pools {
		st.Listeners[p.FQDN] = p.Listener.Running()
	}
	return st, nil
}

type rrKey struct {
	name string
	t    uint16
}

// federationKeys lists the RRsets State.DNS holds.
func (l *Lab) federationKeys() []rrKey {
	var keys []rrKey
	for _, d := range l.opts.Domains {
		keys = append(keys, rrKey{"_xmpp-server._tcp." + d + ".", dns.TypeSRV})
	}
	hosts := []string{FederationHost}
	for _, p := range l.pools {
		hosts = append(hosts, p.AccessEdgeExternalFQDN)
	}
	for _, h := range hosts {
		keys = append(keys, rrKey{h + ".", dns.TypeA}, rrKey{h + ".", dns.TypeAAAA})
	}
	return keys
}

// zoneOfName returns the origin of the lab zone holding name: the longest
// origin name lies in.
func (l *Lab) zoneOfName(name string) string { return originOf(l.zp.origins, name) }

func originOf(origins []string, name string) string {
	best := ""
	for _, o := range origins {
		if (name == o || strings.HasSuffix(name, "."+o)) && len(o) > len(best) {
			best = o
		}
	}
	return best
}
