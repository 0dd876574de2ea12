package main

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"maps"
	"net/netip"
	"slices"
	"sync"

	"github.com/xmppfed/edgefailover/examples/internal/setup"
	"github.com/xmppfed/edgefailover/failover"
	"github.com/xmppfed/edgefailover/lync"
	"github.com/xmppfed/edgefailover/xmppdns"
)

// deployment holds the clients a config opened; close releases them.
type deployment struct {
	cfg     failover.Config
	mu      sync.Mutex
	clients []*lync.Client
}

func (d *deployment) close() {
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, c := range d.clients {
		c.Close()
	}
	d.clients = nil
}

// build turns the file into a failover.Config: it reads the secrets (from
// the environment or a prompt) and creates clients, but sends nothing.
func build(ctx context.Context, fc *fileConfig, con *setup.Console, opts *lync.Options) (*deployment, error) {
	if err := fc.check(); err != nil {
		return nil, err
	}
	cred, err := fc.Credentials.Resolve(ctx, con)
	if err != nil {
		return nil, &inputError{err}
	}
	providers := map[string]xmppdns.Provider{}
	for _, name := range slices.Sorted(maps.Keys(fc.DNSProviders)) { // prompts in a stable order
		prov, err := fc.DNSProviders[name].Provider(ctx, con)
		if err != nil {
			return nil, badInput("dns_providers.%s: %v", name, err)
		}
		providers[name] = prov
	}
	zones := map[string]*xmppdns.Zone{}
	zone := func(z zoneConfig) (*xmppdns.Zone, error) {
		key := z.Provider + " " + z.Zone
		if zn, ok := zones[key]; ok {
			return zn, nil
		}
		zn, err := xmppdns.NewZone(z.Zone, providers[z.Provider])
		if err != nil {
			return nil, badInput("zone %s: %v", z.Zone, err)
		}
		zones[key] = zn
		return zn, nil
	}

	d := &deployment{}
	mep, err := fc.Management.Endpoint(fc.Management.Host, false, cred)
	if err != nil {
		return nil, badInput("management: %v", err)
	}
	mgmt, err := lync.Dial(mep, opts)
	if err != nil {
		return nil, badInput("management: %v", err)
	}
	d.clients = append(d.clients, mgmt)
	c := failover.Config{
		Management:         mgmt,
		Site:               fc.Site,
		TargetPool:         fc.TargetPool,
		Servers:            fc.Servers,
		ReplacedPool:       fc.ReplacedPool,
		ReplacedSite:       fc.ReplacedSite,
		ClearReplacedRoute: fc.ClearReplacedRoute,
		FederationHost:     fc.FederationHost,
		SRV:                failover.SRVPolicy(fc.SRV),
		PoolHosts:          fc.PoolHosts,
		SRVTTL:             timeDur(fc.SRVTTL),
		AddrTTL:            timeDur(fc.AddrTTL),
		Strategy:           failover.Strategy(fc.Strategy),
		Graceful:           fc.Graceful,
		Timeouts: failover.Timeouts{
			Preflight: timeDur(fc.Timeouts.Preflight), Command: timeDur(fc.Timeouts.Command),
			Stop: timeDur(fc.Timeouts.Stop), Start: timeDur(fc.Timeouts.Start),
			Replication: timeDur(fc.Timeouts.Replication), DNS: timeDur(fc.Timeouts.DNS),
			Converge: timeDur(fc.Timeouts.Converge), Probe: timeDur(fc.Timeouts.Probe), Poll: timeDur(fc.Timeouts.Poll),
		},
	}
	c.OpenServer = func(ctx context.Context, fqdn string) (*lync.Client, error) {
		ep, err := fc.EdgeServers.Endpoint(fqdn, true, cred)
		if err != nil {
			return nil, err
		}
		cl, err := lync.Dial(ep, opts)
		if err != nil {
			return nil, err
		}
		d.mu.Lock()
		d.clients = append(d.clients, cl)
		d.mu.Unlock()
		return cl, nil
	}
	for _, dc := range fc.Domains {
		z, err := zone(dc.zoneConfig)
		if err != nil {
			return nil, err
		}
		c.Domains = append(c.Domains, failover.Domain{Name: dc.Name, Zone: z})
	}
	if fc.FederationZone != nil {
		if c.FederationZone, err = zone(*fc.FederationZone); err != nil {
			return nil, err
		}
	}
	for _, a := range fc.Addresses {
		c.Addresses = append(c.Addresses, netip.MustParseAddr(a)) // checked by check
	}
	if c.Verify, err = verify(fc.Verify); err != nil {
		return nil, err
	}
	d.cfg = c
	return d, nil
}

// verify builds the verification settings. Without resolvers in the file,
// the system's (/etc/resolv.conf) are used.
func verify(v verifyConfig) (failover.Verify, error) {
	resolvers := v.Resolvers
	if len(resolvers) == 0 {
		rs, err := xmppdns.ResolvConf("/etc/resolv.conf")
		if err != nil || len(rs) == 0 {
			return failover.Verify{}, badInput("verify.resolvers: none given and /etc/resolv.conf gives none (%v)", err)
		}
		resolvers = rs
	}
	out := failover.Verify{
		Authoritative: &xmppdns.Authoritative{Resolvers: resolvers, Addrs: v.Nameservers, NoIPv6: v.NoIPv6},
		Resolver:      &xmppdns.Resolver{Servers: resolvers},
		ProbeFrom:     v.ProbeFrom,
		ProbeDial:     setup.ProbeDialer(resolvers, v.ProbeConnect),
	}
	if !v.NoStartTLS {
		out.ProbeTLS = &tls.Config{}
		if v.ProbeCAFile != "" {
			pool, err := setup.LoadCertPool(v.ProbeCAFile)
			if err != nil {
				return failover.Verify{}, badInput("verify.probe_ca_file: %v", err)
			}
			out.ProbeTLS.RootCAs = pool
		}
	}
	return out, nil
}

// exitCode maps an error of New to the exit code: bad config is bad input.
func newError(err error) error {
	if errors.Is(err, failover.ErrInvalidConfig) {
		return &inputError{err}
	}
	return fmt.Errorf("building the plan: %w", err)
}
