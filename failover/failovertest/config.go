package failovertest

import (
	"context"
	"time"

	"github.com/xmppfed/edgefailover/failover"
	"github.com/xmppfed/edgefailover/failover/preflight"
)

// LabTimeouts returns timeouts that suit a lab: polls every few
// milliseconds, waits bounded by seconds rather than the production defaults
// of minutes. Each call returns a fresh value to change at will.
func LabTimeouts() failover.Timeouts {
	return failover.Timeouts{
		Poll:        5 * time.Millisecond,
		Command:     10 * time.Second,
		Stop:        10 * time.Second,
		Start:       10 * time.Second,
		Replication: 10 * time.Second,
		DNS:         5 * time.Second,
		Converge:    10 * time.Second,
		Probe:       5 * time.Second,
	}
}

// FailoverConfig returns the failover.Config that moves XMPP federation from
// SourcePool to TargetPool (route on TargetSite), wired to the lab: its
// management client, its server clients, its zones, and verification through
// its name servers and listeners with STARTTLS, and every preflight check
// (reachability of 23456 included). Change fields before New
// (Strategy, SRV policy, Timeouts...).
func (l *Lab) FailoverConfig(ctx context.Context) (failover.Config, error) {
	mgmt, err := l.Management(ctx)
	if err != nil {
		return failover.Config{}, err
	}
	var doms []failover.Domain
	for _, d := range l.Domains() {
		doms = append(doms, failover.Domain{Name: d, Zone: l.ZoneOf(d)})
	}
	return failover.Config{
		Management:     mgmt,
		Site:           TargetSite,
		TargetPool:     TargetPool,
		OpenServer:     l.OpenServer,
		ReplacedPool:   SourcePool,
		ReplacedSite:   SourceSite,
		Domains:        doms,
		FederationHost: FederationHost,
		Timeouts:       LabTimeouts(),
		Preflight:      preflight.Options{CheckReachability: true},
		Verify: failover.Verify{
			Authoritative: l.Authoritative(),
			Resolver:      l.Resolver(),
			ProbeTLS:      l.TLSConfig(),
			ProbeDial:     l.Dial,
		},
	}, nil
}

// FailbackConfig returns the config that moves federation back to
// SourcePool (route on SourceSite): FailoverConfig's failover.Config.Failback,
// computed by New from the live state like any plan.
func (l *Lab) FailbackConfig(ctx context.Context) (failover.Config, error) {
	c, err := l.FailoverConfig(ctx)
	if err != nil {
		return failover.Config{}, err
	}
	return c.Failback()
}
