package main

import (
	"fmt"
	"net/netip"

	"github.com/xmppfed/edgefailover/examples/internal/setup"
	"github.com/xmppfed/edgefailover/failover"
	"github.com/xmppfed/edgefailover/lync"
	"github.com/xmppfed/edgefailover/xmppdns"
)

// fileConfig is the JSON config file; README.md in this folder documents
// every member and config.sample.json is a complete example.
type fileConfig struct {
	Management  setup.WinRM       `json:"management"`
	EdgeServers setup.WinRM       `json:"edge_servers"`
	Credentials setup.Credentials `json:"credentials"`
	// EdgeCredentials is the account of the Edge servers when it is not
	// Credentials: Edge servers in a perimeter network are usually not
	// domain members, so a local account (".\\edgeadmin", the same name and
	// password on each) over Basic. Default: Credentials.
	EdgeCredentials *setup.Credentials `json:"edge_credentials,omitempty"`

	Site       string `json:"site"`
	TargetPool string `json:"target_pool"`
	// Servers limits the plan to these servers of target_pool (default: all
	// that Get-CsPool lists).
	Servers            []string `json:"servers,omitempty"`
	ReplacedPool       string   `json:"replaced_pool,omitempty"`
	ReplacedSite       string   `json:"replaced_site,omitempty"`
	ClearReplacedRoute bool     `json:"clear_replaced_route,omitempty"`

	DNSProviders   map[string]setup.DNSProvider `json:"dns_providers"`
	Domains        []domainConfig               `json:"domains"`
	FederationHost string                       `json:"federation_host"`
	FederationZone *zoneConfig                  `json:"federation_zone,omitempty"`
	Addresses      []string                     `json:"addresses,omitempty"`
	// ReplacedAddresses are the addresses of the replaced pool, used by
	// -failback (failover.Config.ReplacedAddresses; default: read from its
	// Access Edge external FQDN).
	ReplacedAddresses []string          `json:"replaced_addresses,omitempty"`
	SRV               string            `json:"srv,omitempty"`
	PoolHosts         map[string]string `json:"pool_hosts,omitempty"`
	SRVTTL            setup.Duration    `json:"srv_ttl,omitempty"`
	AddrTTL           setup.Duration    `json:"addr_ttl,omitempty"`

	Strategy string         `json:"strategy,omitempty"`
	Graceful bool           `json:"graceful,omitempty"`
	Timeouts timeoutsConfig `json:"timeouts,omitzero"`
	Verify   verifyConfig   `json:"verify,omitzero"`
	Journal  string         `json:"journal,omitempty"`
	// Preflight tunes failover.New's checks of the target pool.
	Preflight preflightConfig `json:"preflight,omitzero"`
}

// preflightConfig is preflight.Options (failover.Config.Preflight): the certificate expiry window
// (default 14 days), the reachability test of 23456 from the management
// host, and the checks whose warnings are accepted (e.g. "xmpp-partners").
type preflightConfig struct {
	CertificateWindow setup.Duration `json:"certificate_window,omitempty"`
	CheckReachability bool           `json:"check_reachability,omitempty"`
	AcceptWarnings    []string       `json:"accept_warnings,omitempty"`
}

type zoneConfig struct {
	Zone     string `json:"zone"`     // e.g. "contoso.com", with or without the trailing dot
	Provider string `json:"provider"` // a key of dns_providers
}

type domainConfig struct {
	Name string `json:"name"`
	zoneConfig
}

type timeoutsConfig struct {
	Preflight   setup.Duration `json:"preflight,omitempty"`
	Command     setup.Duration `json:"command,omitempty"`
	Stop        setup.Duration `json:"stop,omitempty"`
	Start       setup.Duration `json:"start,omitempty"`
	Replication setup.Duration `json:"replication,omitempty"`
	DNS         setup.Duration `json:"dns,omitempty"`
	Converge    setup.Duration `json:"converge,omitempty"`
	Probe       setup.Duration `json:"probe,omitempty"`
	Poll        setup.Duration `json:"poll,omitempty"`
}

type verifyConfig struct {
	Resolvers    []string          `json:"resolvers,omitempty"`
	Nameservers  map[string]string `json:"nameservers,omitempty"`
	NoIPv6       bool              `json:"no_ipv6,omitempty"`
	ProbeFrom    string            `json:"probe_from,omitempty"`
	ProbeCAFile  string            `json:"probe_ca_file,omitempty"`
	NoStartTLS   bool              `json:"no_starttls,omitempty"`
	ProbeConnect map[string]string `json:"probe_connect,omitempty"`
	// IMReceiver, IMPool and IMSender add the end-to-end Test-CsXmppIM
	// (failover.Verify.IMReceiver, IMPool, IMSender).
	IMReceiver string `json:"im_receiver,omitempty"`
	IMPool     string `json:"im_pool,omitempty"`
	IMSender   string `json:"im_sender,omitempty"`
}

// inputError is bad input: exit 2, nothing sent.
type inputError struct{ err error }

func (e *inputError) Error() string { return e.err.Error() }
func (e *inputError) Unwrap() error { return e.err }

func badInput(format string, a ...any) error { return &inputError{fmt.Errorf(format, a...)} }

// check validates everything that needs no secret and no network, so that
// bad input fails before a prompt or a packet.
func (c *fileConfig) check(reg setup.Registry) error {
	if err := c.Management.Check(false); err != nil {
		return badInput("management: %v", err)
	}
	if err := c.EdgeServers.Check(true); err != nil {
		return badInput("edge_servers: %v", err)
	}
	if c.Credentials.PasswordEnv == "" {
		return badInput("credentials.password_env is required")
	}
	if c.EdgeCredentials != nil && c.EdgeCredentials.PasswordEnv == "" {
		return badInput("edge_credentials.password_env is required")
	}
	if _, err := lync.ParseSiteName(c.Site); err != nil {
		return badInput("site: %v", err)
	}
	if c.ReplacedSite != "" {
		if _, err := lync.ParseSiteName(c.ReplacedSite); err != nil {
			return badInput("replaced_site: %v", err)
		}
	}
	for name, p := range c.DNSProviders {
		if err := p.Check(reg); err != nil {
			return badInput("dns_providers.%s: %v", name, err)
		}
	}
	if len(c.Domains) == 0 {
		return badInput("domains: at least one SIP domain is required")
	}
	var zones []*zoneConfig
	for i := range c.Domains {
		zones = append(zones, &c.Domains[i].zoneConfig)
	}
	if c.FederationZone != nil {
		zones = append(zones, c.FederationZone)
	}
	for i, z := range zones {
		if _, ok := c.DNSProviders[z.Provider]; !ok {
			return badInput("zone %q (#%d): provider %q is not in dns_providers", z.Zone, i, z.Provider)
		}
		name, err := xmppdns.ParseHost(z.Zone) // with or without the trailing dot
		if err != nil {
			return badInput("zone %q: %v", z.Zone, err)
		}
		z.Zone = name
	}
	for _, a := range append(append([]string(nil), c.Addresses...), c.ReplacedAddresses...) {
		if _, err := netip.ParseAddr(a); err != nil {
			return badInput("addresses: %v", err)
		}
	}
	switch failover.Strategy(c.Strategy) {
	case "", failover.Runbook, failover.Rolling:
	default:
		return badInput("strategy %q: use runbook or rolling", c.Strategy)
	}
	switch failover.SRVPolicy(c.SRV) {
	case "", failover.SRVSingle, failover.SRVPrioritized:
	default:
		return badInput("srv %q: use single or prioritized", c.SRV)
	}
	if err := setup.CheckConnect(c.Verify.ProbeConnect); err != nil {
		return badInput("verify.probe_connect: %v", err)
	}
	for _, r := range c.Verify.Resolvers {
		if err := setup.CheckAddrPort(r); err != nil {
			return badInput("verify.resolvers: %v", err)
		}
	}
	if err := setup.CheckNameservers(c.Verify.Nameservers); err != nil {
		return badInput("verify.nameservers: %v", err)
	}
	return nil
}
