package failover

import "slices"

// Failback returns the config that moves XMPP federation back from
// TargetPool to ReplacedPool: the pools and sites swapped, Addresses taken
// from ReplacedAddresses (never the forward addresses: they are the
// target pool's), Servers dropped (they are servers of the other pool: the
// failback acts on every server of the replaced pool). Every other field
// is kept; the slices are copies. New then reads the rest from live state
// as for any plan: the current route and services, the DNS records it
// will restore on undo, and, without ReplacedAddresses, the addresses of
// the replaced pool's Access Edge external FQDN.
//
// A config without ReplacedPool or ReplacedSite has no failback: the
// error is a *ConfigError naming the missing field.
func (c Config) Failback() (Config, error) {
	if c.ReplacedPool == "" {
		return Config{}, configErr("ReplacedPool", "a failback needs the pool that hosted federation", nil)
	}
	if c.ReplacedSite == "" {
		return Config{}, configErr("ReplacedSite", "a failback needs the site whose route pointed at ReplacedPool", nil)
	}
	c.TargetPool, c.ReplacedPool = c.ReplacedPool, c.TargetPool
	c.Site, c.ReplacedSite = c.ReplacedSite, c.Site
	c.Addresses, c.ReplacedAddresses = slices.Clone(c.ReplacedAddresses), slices.Clone(c.Addresses)
	c.Servers = nil
	c.Domains = slices.Clone(c.Domains)
	c.Preflight.AcceptWarnings = slices.Clone(c.Preflight.AcceptWarnings)
	return c, nil
}
