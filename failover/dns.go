package failover

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/xmppfed/edgefailover/failover/preflight"
	"github.com/xmppfed/edgefailover/internal/dnsname"
	"github.com/xmppfed/edgefailover/xmppdns"
)

// planDNS reads every zone of the config and computes its change: the SRV
// set of each SIP domain it holds and, in the federation zone, the A/AAAA
// set of the federation host. Zones with nothing to change still carry their
// desired RRsets, which verification expects.
func planDNS(ctx context.Context, c Config, addrs []netip.Addr) ([]zoneChange, error) {
	var out []zoneChange
	for _, z := range zonesOf(c) {
		var desired []xmppdns.Desired
		if z == c.FederationZone {
			desired = append(desired, xmppdns.AddrSet{Host: c.FederationHost, TTL: c.AddrTTL, IPs: addrs})
		}
		for _, d := range c.Domains {
			if d.Zone != z {
				continue
			}
			set, err := desiredSRV(ctx, c, d)
			if err != nil {
				return nil, err
			}
			desired = append(desired, set)
		}
		ch, err := z.Plan(ctx, desired...)
		if err != nil {
			return nil, &preflight.Error{Check: "DNS zone " + z.Name(), Fix: "check the zone's provider and credentials", Err: err}
		}
		out = append(out, zoneChange{zone: z, change: ch})
	}
	return out, nil
}

// desiredSRV returns the SRV set a domain must hold under the policy.
func desiredSRV(ctx context.Context, c Config, d Domain) (xmppdns.SRVSet, error) {
	set := xmppdns.SRVSet{Domain: d.Name, TTL: c.SRVTTL}
	switch c.SRV {
	case SRVPrioritized:
		pools := []string{dnsname.Absolute(c.PoolHosts[c.TargetPool])}
		if c.ReplacedPool != "" {
			pools = append(pools, dnsname.Absolute(c.PoolHosts[c.ReplacedPool]))
		}
		var rest []string
		for p, h := range c.PoolHosts {
			if h := dnsname.Absolute(h); p != c.TargetPool && p != c.ReplacedPool && !slices.Contains(pools, h) && !slices.Contains(rest, h) {
				rest = append(rest, h)
			}
		}
		slices.Sort(rest)
		recs, err := xmppdns.Prioritized(append(pools, rest...)...)
		if err != nil {
			return set, &ConfigError{Field: "PoolHosts", Reason: "cannot build the prioritized SRV set", Err: err}
		}
		set.Records = recs
		return set, nil
	default:
		// The runbook's step 5: a record for the federation host on 5269
		// must exist. A set whose every record already points there is kept
		// as it is (priorities and weights included).
		cur, err := d.Zone.GetSRV(ctx, d.Name)
		if err != nil {
			return set, &preflight.Error{Check: "SRV of " + d.Name, Fix: "check the provider of zone " + d.Zone.Name(), Err: err}
		}
		host := dnsname.Absolute(c.FederationHost)
		keep := len(cur.Records) > 0
		for _, r := range cur.Records {
			if !strings.EqualFold(r.Target, host) || r.Port != xmppdns.DefaultPort {
				keep = false
			}
		}
		if keep {
			set.Records = cur.Records
		} else {
			set.Records = []xmppdns.SRV{{Target: host, Port: xmppdns.DefaultPort}}
		}
		return set, nil
	}
}

// dnsCommands renders a zone change as the dynamic updates it sends.
func dnsCommands(ch *xmppdns.Change) []string {
	var cmds []string
	for _, c := range ch.Corrections {
		cmds = append(cmds, fmt.Sprintf("UPDATE %s %s", ch.Zone, c))
	}
	return cmds
}

// dnsChanges renders a zone change as plan changes.
func dnsChanges(ch *xmppdns.Change) []Change {
	var out []Change
	for _, c := range ch.Corrections {
		k := Modify
		switch c.Op {
		case xmppdns.OpCreate:
			k = Create
		case xmppdns.OpDelete:
			k = Delete
		}
		res := c.New.Name + " " + c.New.Type
		if !c.New.Exists() {
			res = c.Old.Name + " " + c.Old.Type
		}
		out = append(out, Change{Kind: k, Resource: res, Before: rdata(c.Old), After: rdata(c.New)})
	}
	return out
}

func rdata(s xmppdns.RRset) string {
	if !s.Exists() {
		return ""
	}
	return strings.Join(s.Data, ", ")
}

// undoDNS puts back the RRsets a change replaced, but only those that still
// hold what the change wrote (xmppdns's Zone.Undo). An RRset that holds
// anything else was either never written or changed by someone since: it is
// left as it is, so that undo never overwrites a newer value; that is not a
// failure of the undo, and is reported as progress.
func undoDNS(ctx context.Context, z *xmppdns.Zone, ch *xmppdns.Change, p *progress) error {
	_, err := z.Undo(ctx, ch)
	if err == nil {
		return nil
	}
	errs := []error{err}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	}
	var rest []error
	for _, e := range errs {
		var ce *xmppdns.ConflictError
		if errors.As(e, &ce) {
			p.Report("", fmt.Sprintf("%s %s holds %s, not what was written: left as it is", ce.Expected.Name, ce.Expected.Type, showData(ce.Found)))
			continue
		}
		rest = append(rest, e)
	}
	return errors.Join(rest...)
}

func showData(s xmppdns.RRset) string {
	if !s.Exists() {
		return "(absent)"
	}
	return rdata(s)
}
