package main

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net/netip"
	"slices"
	"sync"

	"github.com/xmppfed/edgefailover/examples/internal/setup"
	"github.com/xmppfed/edgefailover/failover"
	"github.com/xmppfed/edgefailover/failover/preflight"
	"github.com/xmppfed/edgefailover/lync"
	"github.com/xmppfed/edgefailover/lync/winrm"
	"github.com/xmppfed/edgefailover/xmppdns"
)

// deployment holds the clients a config opened; close releases them.
type deployment struct {
	cfg     failover.Config
	zones   []zoneGuarantees // in the order of the config
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

// build turns the file into a failover.Config, or with failback into its
// failover.Config.Failback: it reads the secrets (from the environment or a
// prompt) and creates clients, but sends nothing.
func build(ctx context.Context, fc *fileConfig, con *setup.Console, opts winrm.Options, failback bool) (*deployment, error) {
	reg := providers()
	if err := fc.check(reg); err != nil {
		return nil, err
	}
	c, err := fc.plain(failback) // before any prompt: a config without failback is bad input
	if err != nil {
		return nil, err
	}
	log := opts.Logger
	// Files first (CA files are loaded by check and verify): a bad path
	// fails before anyone is asked for a secret.
	ver, err := verify(fc.Verify, log)
	if err != nil {
		return nil, err
	}
	if err := fc.Management.LoadFiles(); err != nil {
		return nil, badInput("management: %v", err)
	}
	if err := fc.EdgeServers.LoadFiles(); err != nil {
		return nil, badInput("edge_servers: %v", err)
	}
	cred, err := fc.Credentials.Resolve(ctx, con)
	if err != nil {
		return nil, &inputError{err}
	}
	edgeCred := cred
	if fc.EdgeCredentials != nil {
		if edgeCred, err = fc.EdgeCredentials.Resolve(ctx, con); err != nil {
			return nil, badInput("edge_credentials: %v", err)
		}
	}
	provs := map[string]xmppdns.Provider{}
	popts := map[string]xmppdns.ZoneOptions{}
	for _, name := range slices.Sorted(maps.Keys(fc.DNSProviders)) { // prompts in a stable order
		prov, zo, err := fc.DNSProviders[name].Provider(ctx, con, reg)
		if err != nil {
			return nil, badInput("dns_providers.%s: %v", name, err)
		}
		provs[name], popts[name] = prov, zo
	}
	d := &deployment{}
	zones := map[string]*xmppdns.Zone{}
	zone := func(z zoneConfig) (*xmppdns.Zone, error) {
		key := z.Provider + " " + z.Zone
		if zn, ok := zones[key]; ok {
			return zn, nil
		}
		zn, err := xmppdns.NewZone(z.Zone, provs[z.Provider], popts[z.Provider])
		if err != nil {
			return nil, badInput("zone %s: %v", z.Zone, err)
		}
		zones[key] = zn
		d.zones = append(d.zones, zoneGuarantees{Zone: z.Zone, Provider: z.Provider, Guarantees: zn.Guarantees()})
		return zn, nil
	}

	mep, err := fc.Management.Endpoint(fc.Management.Host, false, cred)
	if err != nil {
		return nil, badInput("management: %v", err)
	}
	mep.Dial = setup.LogDial(log, mep.Host, fc.Management.Scheme(), mep.Dial)
	mgmt, err := winrm.Dial(mep, opts)
	if err != nil {
		return nil, badInput("management: %v", err)
	}
	d.clients = append(d.clients, mgmt)
	c.Management = mgmt
	c.OpenServer = func(ctx context.Context, fqdn string) (*lync.Client, error) {
		ep, err := fc.EdgeServers.Endpoint(fqdn, true, edgeCred)
		if err != nil {
			return nil, err
		}
		ep.Dial = setup.LogDial(log, ep.Host, fc.EdgeServers.Scheme(), ep.Dial)
		cl, err := winrm.Dial(ep, opts)
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
	c.Verify = ver
	c.Preflight = preflight.Options{CertificateWindow: timeDur(fc.Preflight.CertificateWindow),
		CheckReachability: fc.Preflight.CheckReachability}
	for _, w := range fc.Preflight.AcceptWarnings {
		c.Preflight.AcceptWarnings = append(c.Preflight.AcceptWarnings, preflight.Check(w))
	}
	d.cfg = c
	return d, nil
}

// plain is the part of the failover.Config that needs no secret and no
// client, swapped by failover.Config.Failback with failback.
func (fc *fileConfig) plain(failback bool) (failover.Config, error) {
	c := failover.Config{
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
	for _, a := range fc.Addresses {
		c.Addresses = append(c.Addresses, netip.MustParseAddr(a)) // checked by check
	}
	for _, a := range fc.ReplacedAddresses {
		c.ReplacedAddresses = append(c.ReplacedAddresses, netip.MustParseAddr(a))
	}
	if !failback {
		return c, nil
	}
	back, err := c.Failback()
	if err != nil {
		return c, &inputError{fmt.Errorf("-failback: %w (give replaced_pool and replaced_site in the config)", err)}
	}
	return back, nil
}

// verify builds the verification settings. Without resolvers in the file,
// the system's (/etc/resolv.conf) are used.
func verify(v verifyConfig, log *slog.Logger) (failover.Verify, error) {
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
		IMReceiver:    v.IMReceiver,
		IMPool:        v.IMPool,
		IMSender:      v.IMSender,
		ProbeDial:     setup.LogDial(log, "5269 probe", "xmpp-5269", setup.ProbeDialer(resolvers, v.ProbeConnect)),
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

// zoneGuarantees is what a zone's provider guarantees, for the dry run.
type zoneGuarantees struct {
	Zone       string             `json:"zone"`
	Provider   string             `json:"provider"` // the dns_providers key
	Guarantees xmppdns.Guarantees `json:"guarantees"`
}
