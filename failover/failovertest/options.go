package failovertest

import (
	"fmt"
	"strconv"
	"time"

	"github.com/xmppfed/edgefailover/internal/dnsname"
	"github.com/xmppfed/edgefailover/lync/lynctest"
)

// Limits of Options.
const (
	MaxServersPerPool = 26 // servers are named edge1a ... edge1z
	MaxNameservers    = 9
)

// Options describe a lab. The zero value gives the defaults noted on each
// field; New refuses any other value that does not fit with an *OptionError.
type Options struct {
	// ServersPerPool is the number of Edge servers in each of the two Edge
	// pools (edge1a, edge1b, ... and edge2a, edge2b, ...). Default 2, at
	// most MaxServersPerPool.
	ServersPerPool int
	// Product is the server product lynctest emulates. Default
	// lynctest.SfB2015.
	Product lynctest.Product
	// RouteParameter is the name of Set-CsSite's XMPP route parameter:
	// lynctest.XmppFederationRoute (default) or
	// lynctest.XmppExternalFederationRoute.
	RouteParameter string
	// Latency is the lynctest latency profile (round trip, process start,
	// module import, service stop and start, CMS replication), with its
	// Scale. Default: none (everything at once).
	Latency lynctest.Latency
	// Nameservers is the number of authoritative servers of every zone: one
	// primary (which takes the updates) and Nameservers-1 secondaries that
	// lag SecondaryLag behind it. Default 3, at most MaxNameservers.
	Nameservers int
	// SecondaryLag is how far the secondaries lag behind the primary.
	// Default 0 (in step). Change it later per server with
	// DNS().Secondaries[i].SetLag.
	SecondaryLag time.Duration
	// Domains are the SIP domains with XMPP users. Each gets an SRV set
	// _xmpp-server._tcp.<domain> pointing at FederationHost. A domain
	// inside contoso.com (or inside another listed domain) lives in that
	// zone; any other domain is a zone of its own. Default
	// ["contoso.com", "fabrikam.com"]: two domains in two zones.
	Domains []string
	// PollWaits makes the lab's clients poll in every wait, as before
	// server-side waits (issue 17): their runner hides the *winrm.WinRM from
	// the client, so lync sends one read per poll instead of one script
	// that blocks on the host. For before/after figures. Default false.
	PollWaits bool
	// PreflightFaults are field causes the lab starts with, each making
	// failover.New refuse (or warn about) TargetPool; see BreakPreflight.
	// Default: none, every preflight check passes.
	PreflightFaults []PreflightFault
}

// withDefaults validates o and returns it with the defaults filled in and
// the domains in canonical form (lower case, no trailing dot).
func (o Options) withDefaults() (Options, error) {
	if o.ServersPerPool == 0 {
		o.ServersPerPool = 2
	}
	if o.ServersPerPool < 1 || o.ServersPerPool > MaxServersPerPool {
		return o, &OptionError{Field: "ServersPerPool", Value: strconv.Itoa(o.ServersPerPool),
			Reason: fmt.Sprintf("must be 1 to %d", MaxServersPerPool)}
	}
	if o.Product == 0 {
		o.Product = lynctest.SfB2015
	}
	if o.Product != lynctest.SfB2015 && o.Product != lynctest.Lync2013 {
		return o, &OptionError{Field: "Product", Value: strconv.Itoa(int(o.Product)), Reason: "unknown product"}
	}
	if o.RouteParameter == "" {
		o.RouteParameter = lynctest.XmppFederationRoute
	}
	if o.RouteParameter != lynctest.XmppFederationRoute && o.RouteParameter != lynctest.XmppExternalFederationRoute {
		return o, &OptionError{Field: "RouteParameter", Value: o.RouteParameter,
			Reason: "must be " + lynctest.XmppFederationRoute + " or " + lynctest.XmppExternalFederationRoute}
	}
	if o.Nameservers == 0 {
		o.Nameservers = 3
	}
	if o.Nameservers < 1 || o.Nameservers > MaxNameservers {
		return o, &OptionError{Field: "Nameservers", Value: strconv.Itoa(o.Nameservers),
			Reason: fmt.Sprintf("must be 1 to %d", MaxNameservers)}
	}
	if o.SecondaryLag < 0 {
		return o, &OptionError{Field: "SecondaryLag", Value: o.SecondaryLag.String(), Reason: "must not be negative"}
	}
	if o.Latency.Scale < 0 {
		return o, &OptionError{Field: "Latency.Scale", Value: strconv.FormatFloat(o.Latency.Scale, 'g', -1, 64),
			Reason: "must not be negative"}
	}
	if len(o.Domains) == 0 {
		o.Domains = []string{"contoso.com", "fabrikam.com"}
	}
	seen := make(map[string]bool, len(o.Domains))
	domains := make([]string, len(o.Domains))
	for i, d := range o.Domains {
		c, err := dnsname.ParseFQDN(d)
		if err != nil {
			return o, &OptionError{Field: fmt.Sprintf("Domains[%d]", i), Value: d, Reason: err.Error()}
		}
		if seen[c] {
			return o, &OptionError{Field: fmt.Sprintf("Domains[%d]", i), Value: d, Reason: "listed twice"}
		}
		seen[c] = true
		domains[i] = c
	}
	o.Domains = domains
	if err := checkPreflightFaults(o.PreflightFaults); err != nil {
		return o, err
	}
	o.PreflightFaults = append([]PreflightFault(nil), o.PreflightFaults...)
	return o, nil
}
