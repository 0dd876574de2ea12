package failover

import (
	"context"
	"crypto/tls"
	"log/slog"
	"net/netip"
	"time"

	"github.com/xmppfed/edgefailover/edge"
	"github.com/xmppfed/edgefailover/failover/preflight"
	"github.com/xmppfed/edgefailover/lync"
	"github.com/xmppfed/edgefailover/xmppdns"
)

// SRVPolicy says what the _xmpp-server._tcp SRV set of each SIP domain holds.
type SRVPolicy string

// The SRV policies.
const (
	// SRVSingle keeps one record per domain, pointing at the federation host
	// on port 5269 (the runbook: the A record of that host is what moves).
	SRVSingle SRVPolicy = "single"
	// SRVPrioritized lists every Edge pool's federation host, each with its
	// own priority, the target pool first (the runbook's disaster-recovery tip).
	SRVPrioritized SRVPolicy = "prioritized"
)

// Domain is a SIP domain with XMPP users, and the zone that holds its
// _xmpp-server._tcp SRV set. Domains may sit in different zones with
// different providers.
type Domain struct {
	Name string        // e.g. "contoso.com"
	Zone *xmppdns.Zone // the zone of _xmpp-server._tcp.<Name>
}

// Timeouts bound the waits of a plan. Zero fields take the defaults noted.
type Timeouts struct {
	Preflight   time.Duration // reading state and opening sessions in New; default 2m
	Command     time.Duration // one short step: the route change and its read-back, checks; default 2m
	Stop        time.Duration // services of one server reach Stopped (graceful stops drain); default 15m
	Start       time.Duration // services of one server reach Running; default 10m
	Replication time.Duration // a target replica is up to date; default 15m
	DNS         time.Duration // one zone written and read back; default 1m
	Converge    time.Duration // every authoritative server holds the new records; default 10m
	Probe       time.Duration // one 5269 probe; default 30s
	Poll        time.Duration // interval of every polling wait; default 5s
}

// Verify says how the plan proves that federation works again.
type Verify struct {
	// Authoritative checks the DNS records on every authoritative server of
	// each zone. Nil skips that check (the plan says so).
	Authoritative *xmppdns.Authoritative
	// Resolver resolves each SIP domain as a remote XMPP server would. Nil
	// skips the remote view (the plan says so).
	Resolver edge.Resolver
	// ProbeFrom is the domain the 5269 probe claims to come from; default
	// "edgefailover.invalid".
	ProbeFrom string
	// ProbeTLS, when set, makes the probe continue with STARTTLS and check the
	// certificate against its RootCAs.
	ProbeTLS *tls.Config
	// ProbeDial opens the probe's TCP connections (an outside vantage point,
	// a proxy, or a test dialer). Default: a net.Dialer.
	ProbeDial edge.DialFunc
	// IMReceiver, when set, adds the end-to-end check after the remote view:
	// Test-CsXmppIM on the management host sends an IM through the XMPP
	// gateway of IMPool to this XMPP user (user@domain of a partner).
	IMReceiver string
	// IMPool is the Front End pool (Test-CsXmppIM -TargetFqdn) whose XMPP
	// gateway the IM crosses; required with IMReceiver. New refuses a pool
	// that Get-CsPool does not list with a Registrar service.
	IMPool string
	// IMSender is the SIP address the IM comes from (-UserSipAddress,
	// "sip:user@domain"); default: the pool's health monitoring test user.
	IMSender string
}

// Config describes a failover. New reads the live state it names and builds
// the plan; Failback returns the config of the way back.
type Config struct {
	// Management reaches a host with the Lync/SfB management shell (a Front
	// End server): topology cmdlets, Set-CsSite, CMS replication status.
	Management *lync.Client
	// Site is the site that will host the XMPP federation route: the site of
	// TargetPool (runbook step 3's Site2).
	Site string
	// TargetPool is the FQDN of the Edge pool that takes XMPP federation over.
	TargetPool string
	// Servers, when given, are the target pool's servers the plan acts on
	// (e.g. leaving out one that is down for maintenance); each must be a
	// computer of the pool as Get-CsPool lists it. Default: all of them.
	Servers []string
	// OpenServer opens a client for one Edge server of the target pool, whose
	// servers are discovered with Get-CsPool (or given in Servers). The plan owns the clients it
	// opens: Plan.Close closes them. Management stays the caller's.
	OpenServer func(ctx context.Context, fqdn string) (*lync.Client, error)
	// ReplacedPool is the FQDN of the pool that hosted federation (optional).
	// With SRVPrioritized it takes the second priority.
	ReplacedPool string
	// ReplacedSite is the site whose route pointed at ReplacedPool. Its route
	// is cleared only when ClearReplacedRoute is set (the runbook does not).
	ReplacedSite       string
	ClearReplacedRoute bool

	// Domains are the SIP domains with XMPP users, with their zones.
	Domains []Domain
	// FederationHost is the host the SRV records point at and whose A/AAAA
	// records follow the pool that hosts federation, e.g. "xmpp.contoso.com".
	FederationHost string
	// FederationZone holds FederationHost. Default: the zone of a domain that
	// contains it.
	FederationZone *xmppdns.Zone
	// Addresses are the new A/AAAA of FederationHost. Default: the addresses of
	// the target pool's Access Edge external FQDN, read from the zone that
	// holds that name.
	Addresses []netip.Addr
	// ReplacedAddresses are the A/AAAA of FederationHost while ReplacedPool
	// hosts federation: Failback makes them the failback's Addresses. The
	// forward plan does not use them. Default: the failback reads the
	// replaced pool's Access Edge external FQDN, as for Addresses.
	ReplacedAddresses []netip.Addr
	// SRV is the SRV policy; default SRVSingle.
	SRV SRVPolicy
	// PoolHosts maps each Edge pool FQDN to its federation host for
	// SRVPrioritized (each pool has its own SRV target). Required with it.
	PoolHosts map[string]string
	// SRVTTL and AddrTTL are the TTLs of written records; 0 keeps the current
	// TTL (or the zone's default for a new RRset).
	SRVTTL, AddrTTL time.Duration

	// Strategy is Runbook (default) or Rolling.
	Strategy Strategy
	// Graceful stops services with -Graceful (drain existing sessions).
	Graceful bool
	// Timeouts bound the waits.
	Timeouts Timeouts
	// Verify configures the last steps.
	Verify Verify
	// Preflight tunes the checks New runs on the target pool before the
	// first change (package preflight); the zero value runs every check
	// but reachability.
	Preflight preflight.Options
	// Logger receives what New reads (default: none). Apply has its own.
	Logger *slog.Logger
}

func (t Timeouts) withDefaults() Timeouts {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&t.Preflight, 2*time.Minute)
	def(&t.Command, 2*time.Minute)
	def(&t.Stop, 15*time.Minute)
	def(&t.Start, 10*time.Minute)
	def(&t.Replication, 15*time.Minute)
	def(&t.DNS, time.Minute)
	def(&t.Converge, 10*time.Minute)
	def(&t.Probe, 30*time.Second)
	def(&t.Poll, 5*time.Second)
	return t
}
