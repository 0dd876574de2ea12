package failover

import (
	"errors"
	"fmt"
	"slices"

	"github.com/xmppfed/edgefailover/failover/preflight"
	"github.com/xmppfed/edgefailover/internal/dnsname"
	"github.com/xmppfed/edgefailover/lync"
)

// ConfigError reports a Config field refused: by its form, before anything
// was read or sent, or by what the topology says of the pool it names
// (Verify.IMPool must be a Front End pool), before any change.
type ConfigError struct {
	Field  string // e.g. "Domains[1].Name"
	Reason string
	Err    error // the cause, if any (e.g. a *dnsname.Error)
}

func (e *ConfigError) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("failover: config %s: %s: %v", e.Field, e.Reason, e.Err)
	}
	return fmt.Sprintf("failover: config %s: %s", e.Field, e.Reason)
}

// Is reports whether target is ErrInvalidConfig.
func (e *ConfigError) Is(target error) bool { return target == ErrInvalidConfig }

// Unwrap returns the cause.
func (e *ConfigError) Unwrap() error { return e.Err }

func configErr(field, reason string, err error) error {
	return &ConfigError{Field: field, Reason: reason, Err: err}
}

// normalize checks every field of c, before anything is read or sent, and
// returns a copy with names in canonical form and defaults filled in. The
// fields that have no invalid value are Graceful, Logger,
// Verify.ProbeDial and Preflight.CheckReachability (TestConfigFieldsValidated
// keeps that list honest).
func (c Config) normalize() (Config, error) {
	var err error
	if c.Management == nil {
		return c, configErr("Management", "a management client is required", nil)
	}
	if c.OpenServer == nil {
		return c, configErr("OpenServer", "a way to open a client per Edge server is required", nil)
	}
	if c.Site, err = lync.ParseSiteName(c.Site); err != nil {
		return c, configErr("Site", "not a valid site name", err)
	}
	if c.TargetPool, err = dnsname.ParseFQDN(c.TargetPool); err != nil {
		return c, configErr("TargetPool", "not a valid FQDN", err)
	}
	servers := make([]string, len(c.Servers))
	for i, s := range c.Servers {
		if servers[i], err = dnsname.ParseFQDN(s); err != nil {
			return c, configErr(fmt.Sprintf("Servers[%d]", i), "not a valid FQDN", err)
		}
		if slices.Contains(servers[:i], servers[i]) {
			return c, configErr(fmt.Sprintf("Servers[%d]", i), "named twice", nil)
		}
	}
	c.Servers = servers
	if c.ReplacedPool != "" {
		if c.ReplacedPool, err = dnsname.ParseFQDN(c.ReplacedPool); err != nil {
			return c, configErr("ReplacedPool", "not a valid FQDN", err)
		}
		if c.ReplacedPool == c.TargetPool {
			return c, configErr("ReplacedPool", "is the target pool", nil)
		}
	}
	if c.ReplacedSite != "" {
		if c.ReplacedSite, err = lync.ParseSiteName(c.ReplacedSite); err != nil {
			return c, configErr("ReplacedSite", "not a valid site name", err)
		}
	}
	if c.ClearReplacedRoute && (c.ReplacedSite == "" || c.ReplacedSite == c.Site) {
		return c, configErr("ClearReplacedRoute", "needs a ReplacedSite other than Site", nil)
	}
	if len(c.Domains) == 0 {
		return c, configErr("Domains", "at least one SIP domain is required", nil)
	}
	seen := map[string]bool{}
	doms := make([]Domain, len(c.Domains))
	for i, d := range c.Domains {
		field := fmt.Sprintf("Domains[%d]", i)
		if d.Name, err = dnsname.ParseFQDN(d.Name); err != nil {
			return c, configErr(field+".Name", "not a valid domain", err)
		}
		if seen[d.Name] {
			return c, configErr(field+".Name", "named twice", nil)
		}
		seen[d.Name] = true
		if d.Zone == nil {
			return c, configErr(field+".Zone", "the zone of the domain is required", nil)
		}
		if !dnsname.IsSubdomain(d.Name, d.Zone.Name()) {
			return c, configErr(field+".Zone", fmt.Sprintf("zone %s does not hold %s", d.Zone.Name(), d.Name), nil)
		}
		doms[i] = d
	}
	c.Domains = doms
	if c.FederationHost, err = dnsname.ParseFQDN(c.FederationHost); err != nil {
		return c, configErr("FederationHost", "not a valid FQDN", err)
	}
	if c.FederationZone == nil {
		for _, d := range c.Domains {
			if dnsname.IsSubdomain(c.FederationHost, d.Zone.Name()) {
				c.FederationZone = d.Zone
				break
			}
		}
		if c.FederationZone == nil {
			return c, configErr("FederationZone", "no domain's zone holds FederationHost; name its zone", nil)
		}
	} else if !dnsname.IsSubdomain(c.FederationHost, c.FederationZone.Name()) {
		return c, configErr("FederationZone", "does not hold FederationHost", nil)
	}
	if err := checkAddrs("Addresses", c.Addresses); err != nil {
		return c, err
	}
	if err := checkAddrs("ReplacedAddresses", c.ReplacedAddresses); err != nil {
		return c, err
	}
	for i, a := range c.ReplacedAddresses {
		if slices.Contains(c.Addresses, a) {
			return c, configErr(fmt.Sprintf("ReplacedAddresses[%d]", i), "is also in Addresses: a failback would publish the forward address", nil)
		}
	}
	// PoolHosts is checked whatever the policy: a typo is a typo.
	var hosts map[string]string
	if c.PoolHosts != nil {
		hosts = make(map[string]string, len(c.PoolHosts))
	}
	for pool, host := range c.PoolHosts {
		p, err := dnsname.ParseFQDN(pool)
		if err != nil {
			return c, configErr("PoolHosts", "key is not a valid pool FQDN", err)
		}
		h, err := dnsname.ParseFQDN(host)
		if err != nil {
			return c, configErr("PoolHosts["+p+"]", "not a valid host FQDN", err)
		}
		hosts[p] = h
	}
	c.PoolHosts = hosts
	switch c.SRV {
	case "":
		c.SRV = SRVSingle
	case SRVSingle:
	case SRVPrioritized:
		for _, p := range []string{c.TargetPool, c.ReplacedPool} {
			if p != "" && hosts[p] == "" {
				return c, configErr("PoolHosts", "SRVPrioritized needs the federation host of pool "+p, nil)
			}
		}
	default:
		return c, configErr("SRV", fmt.Sprintf("unknown policy %q", c.SRV), nil)
	}
	if err := checkTTL("SRVTTL", c.SRVTTL); err != nil {
		return c, err
	}
	if err := checkTTL("AddrTTL", c.AddrTTL); err != nil {
		return c, err
	}
	switch c.Strategy {
	case "":
		c.Strategy = Runbook
	case Runbook, Rolling:
	default:
		return c, configErr("Strategy", fmt.Sprintf("unknown strategy %q", c.Strategy), nil)
	}
	if c.Verify, err = c.Verify.normalize(); err != nil {
		return c, err
	}
	if err := c.Preflight.Validate(); err != nil {
		var ie *preflight.InputError
		if !errors.As(err, &ie) { // Validate documents an *InputError; anything else names no field
			return c, configErr("Preflight", "refused by preflight", err)
		}
		return c, configErr("Preflight."+ie.Field, ie.Reason, ie.Err)
	}
	if err := c.Timeouts.check(); err != nil {
		return c, err
	}
	c.Timeouts = c.Timeouts.withDefaults()
	return c, nil
}
