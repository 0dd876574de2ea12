package failovertest

import (
	"fmt"
	"slices"
	"time"

	"github.com/xmppfed/edgefailover/lync/lynctest"
)

// PartnerDomain is the XMPP allowed partner of a lab, and PartnerUser a user
// of it (for failover.Verify.IMReceiver).
const (
	PartnerDomain = "jabber.example"
	PartnerUser   = "alice@" + PartnerDomain
)

// PreflightFault is one of the field causes a lab can be given so that
// failover.New refuses the target pool (or warns) before any change. Each
// breaks TargetPool only (its first server where one server is enough).
type PreflightFault string

// The preflight faults.
const (
	// FaultMissingSAN: the Access Edge external certificate of TargetPool's
	// first server lacks the last SIP domain.
	FaultMissingSAN PreflightFault = "missing-san"
	// FaultExpiredCert: that certificate expired yesterday.
	FaultExpiredCert PreflightFault = "expired-cert"
	// FaultExpiringCert: that certificate expires in 3 days (a warning).
	FaultExpiringCert PreflightFault = "expiring-cert"
	// FaultFederationOff: AllowFederatedUsers is False.
	FaultFederationOff PreflightFault = "federation-off"
	// FaultNoPartners: no XMPP allowed partner (a warning).
	FaultNoPartners PreflightFault = "no-partners"
	// FaultSfB2019: the topology reports Version 8 (Skype for Business
	// Server 2019, assumed).
	FaultSfB2019 PreflightFault = "sfb2019"
	// FaultPort23456: the management host cannot reach TargetPool's servers
	// on 23456 (seen only with failover.Config.Preflight.CheckReachability, which
	// FailoverConfig sets).
	FaultPort23456 PreflightFault = "port-23456"
)

// PreflightFaults returns every preflight fault, in a fixed order.
func PreflightFaults() []PreflightFault {
	return []PreflightFault{FaultMissingSAN, FaultExpiredCert, FaultExpiringCert, FaultFederationOff,
		FaultNoPartners, FaultSfB2019, FaultPort23456}
}

// partner is the lab's XMPP allowed partner.
func partner() lynctest.XmppPartner {
	return lynctest.XmppPartner{Domain: PartnerDomain, Dialback: true}
}

// federation is the healthy federation side of a lab: every Edge server's
// AccessEdgeExternal certificate covers the SIP domains, the federation host
// and its pool's Access Edge FQDN for a year; federation is allowed; one
// XMPP partner (PartnerDomain) exists.
func federation(o Options, specs []poolSpec) lynctest.FederationConfig {
	f := lynctest.FederationConfig{AllowFederatedUsers: true, Certificates: map[string][]lynctest.Certificate{},
		Partners: []lynctest.XmppPartner{partner()}}
	for _, s := range specs {
		for _, srv := range s.servers {
			f.Certificates[srv] = []lynctest.Certificate{{AlternativeNames: certNames(o.Domains, s.access)}}
		}
	}
	return f
}

func certNames(domains []string, access string) []string {
	return append([]string{access, FederationHost}, domains...)
}

// BreakPreflight gives the lab one preflight fault (see PreflightFault). It
// changes what the deployment reports; the XMPP listeners are not affected.
func (l *Lab) BreakPreflight(f PreflightFault) error {
	target, _ := l.Pool(TargetPool)
	first := target.Servers[0]
	d := l.deploy
	now := time.Now()
	switch f {
	case FaultMissingSAN:
		names := certNames(l.opts.Domains, target.AccessEdgeExternalFQDN)
		return d.SetCertificates(first, lynctest.Certificate{AlternativeNames: names[:len(names)-1]})
	case FaultExpiredCert:
		return d.SetCertificates(first, lynctest.Certificate{AlternativeNames: certNames(l.opts.Domains, target.AccessEdgeExternalFQDN),
			NotBefore: now.AddDate(-1, 0, -1), NotAfter: now.AddDate(0, 0, -1)})
	case FaultExpiringCert:
		return d.SetCertificates(first, lynctest.Certificate{AlternativeNames: certNames(l.opts.Domains, target.AccessEdgeExternalFQDN),
			NotBefore: now.AddDate(-1, 0, 0), NotAfter: now.AddDate(0, 0, 3)})
	case FaultFederationOff:
		d.SetAllowFederatedUsers(false)
	case FaultNoPartners:
		return d.SetXmppPartners()
	case FaultSfB2019:
		d.SetVersion(8)
	case FaultPort23456:
		for _, s := range target.Servers {
			d.SetReachable(s, 23456, false)
		}
	default:
		return &OptionError{Field: "PreflightFault", Value: string(f), Reason: fmt.Sprintf("unknown; one of %v", PreflightFaults())}
	}
	return nil
}

// ClearPreflight gives every Edge server its healthy certificate again,
// allows federated users, restores the partner, the product's Version and
// reachability: every PreflightFault is undone.
func (l *Lab) ClearPreflight() error {
	d := l.deploy
	for _, p := range l.Pools() {
		for _, s := range p.Servers {
			if err := d.SetCertificates(s, lynctest.Certificate{AlternativeNames: certNames(l.opts.Domains, p.AccessEdgeExternalFQDN)}); err != nil {
				return err
			}
			d.SetReachable(s, 23456, true)
		}
	}
	d.SetAllowFederatedUsers(true)
	d.SetVersion(0)
	return d.SetXmppPartners(partner())
}

func checkPreflightFaults(fs []PreflightFault) error {
	for i, f := range fs {
		if !slices.Contains(PreflightFaults(), f) {
			return &OptionError{Field: fmt.Sprintf("PreflightFaults[%d]", i), Value: string(f),
				Reason: fmt.Sprintf("unknown; one of %v", PreflightFaults())}
		}
	}
	return nil
}
