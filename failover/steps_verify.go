package failover

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/xmppfed/edgefailover/edge"
	"github.com/xmppfed/edgefailover/internal/dnsname"
	"github.com/xmppfed/edgefailover/lync"
	"github.com/xmppfed/edgefailover/xmppdns"
)

func verifyErr(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrVerify}, args...)...)
}

func (c Config) probeConfig(domain string) edge.ProbeConfig {
	return edge.ProbeConfig{
		To:        domain,
		From:      c.Verify.ProbeFrom,
		StartTLS:  c.Verify.ProbeTLS != nil,
		TLSConfig: c.Verify.ProbeTLS,
		Dial:      c.Verify.ProbeDial,
		Timeout:   c.Timeouts.Probe,
	}
}

func probeSummary(r *edge.ProbeResult) string {
	if p := r.Problem(); p != "" {
		return p
	}
	return "XMPP features offered"
}

// probeStep checks that port 5269 of the target pool's external addresses
// answers an XMPP server-to-server stream for every SIP domain (runbook
// step 6).
func probeStep(c Config, addrs []netip.Addr, deps []string) *Step {
	s := &Step{
		ID:        "probe/5269",
		SeedStep:  6,
		Title:     "Check that port 5269 of the target pool answers XMPP for every SIP domain",
		DependsOn: deps,
	}
	for _, a := range addrs {
		for _, d := range c.Domains {
			s.Commands = append(s.Commands, fmt.Sprintf("XMPP s2s stream to %s for %s%s", net.JoinHostPort(a.String(), "5269"), d.Name, tlsNote(c)))
		}
	}
	s.do = func(ctx context.Context, p *progress) error {
		var errs []error
		for _, a := range addrs {
			addr := net.JoinHostPort(a.String(), strconv.Itoa(int(xmppdns.DefaultPort)))
			for _, d := range c.Domains {
				r, err := edge.Probe(ctx, addr, c.probeConfig(d.Name))
				if err != nil {
					return err
				}
				p.Report(addr, d.Name+": "+probeSummary(r))
				if !r.OK() {
					errs = append(errs, verifyErr("%s for %s: %s", addr, d.Name, probeSummary(r)))
				}
			}
		}
		return errors.Join(errs...)
	}
	return s
}

func tlsNote(c Config) string {
	if c.Verify.ProbeTLS != nil {
		return ", STARTTLS and certificate names"
	}
	return ""
}

// verifyRouteStep reads the route back.
func verifyRouteStep(c Config, param string, target lync.Route, deps []string) *Step {
	s := &Step{
		ID:        "verify/route",
		Title:     "Verify that the XMPP route of site " + c.Site + " is " + target.String(),
		DependsOn: deps,
		Commands:  []string{getSiteCommand(c.Site, param)},
	}
	s.do = func(ctx context.Context, p *progress) error {
		route, err := readRoute(ctx, c, c.Site)
		if err != nil {
			return err
		}
		if !route.Equal(target) {
			return verifyErr("XMPP route of site %s is %s, want %s", c.Site, showRoute(route), target)
		}
		return nil
	}
	return s
}

// verifyServicesStep checks that every Lync service of every target server
// runs and that every replica is up to date.
func verifyServicesStep(c Config, pool *edge.Pool, deps []string) *Step {
	s := &Step{
		ID:        "verify/services",
		Title:     "Verify that every target server runs all its Lync services and has an up-to-date replica",
		DependsOn: deps,
	}
	for _, srv := range pool.Servers() {
		s.Commands = append(s.Commands, pollCommand(srv.FQDN()), replicationCommand(srv.FQDN()))
	}
	s.do = func(ctx context.Context, p *progress) error {
		sctx, cancel := context.WithTimeout(ctx, c.Timeouts.Command)
		res, err := pool.Status(sctx)
		cancel()
		if err != nil {
			return firstErr(res, err)
		}
		var errs []error
		for _, r := range res.Servers {
			p.Report(r.FQDN, describe(r.State.Services))
			if !r.State.All(lync.ServiceRunning) {
				errs = append(errs, verifyErr("%s: services not running: %s", r.FQDN, strings.Join(r.State.NotIn(lync.ServiceRunning), ", ")))
				continue
			}
			// A replica may still be catching up (a recovered pool whose
			// REPLICA was down while the topology changed): wait for it.
			rctx, cancel := context.WithTimeout(ctx, c.Timeouts.Replication)
			_, err := c.Management.Replication.WaitUpToDate(rctx, r.FQDN, c.Timeouts.Poll)
			cancel()
			if err != nil {
				errs = append(errs, verifyErr("replica %s is not up to date: %w", r.FQDN, err))
			}
		}
		return errors.Join(errs...)
	}
	return s
}

// verifyDNSStep waits until every authoritative server of a zone holds the
// records the plan wants.
func verifyDNSStep(c Config, zc zoneChange, deps []string) *Step {
	name := zc.zone.Name()
	s := &Step{
		ID:        "verify/dns/" + trimDot(name),
		Title:     "Verify the XMPP federation records on every authoritative server of zone " + name,
		DependsOn: deps,
	}
	for _, d := range zc.change.Desired {
		s.Commands = append(s.Commands, fmt.Sprintf("query every NS of %s (RD=0): %s %s = %s", name, d.Name, d.Type, showData(d)))
	}
	s.do = func(ctx context.Context, p *progress) error {
		ctx, cancel := context.WithTimeout(ctx, c.Timeouts.Converge)
		defer cancel()
		rep, err := c.Verify.Authoritative.WaitConverged(ctx, c.Timeouts.Poll, zc.change.Desired...)
		if rep != nil {
			for _, srv := range rep.Servers {
				p.Report(srv.Addr, fmt.Sprintf("match: %v", srv.Match))
			}
		}
		if err != nil {
			return err
		}
		if !rep.Converged {
			return verifyErr("zone %s has not converged", name)
		}
		return nil
	}
	return s
}

// verifyRemoteStep resolves a SIP domain as a remote XMPP server would and
// checks that the first candidate that answers is the target's federation
// host, reached at one of the target pool's addresses, offering XMPP stream
// features.
func verifyRemoteStep(c Config, d Domain, wantHost string, addrs []netip.Addr, deps []string) *Step {
	s := &Step{
		ID:        "verify/remote/" + d.Name,
		Title:     "Verify that remote servers reach " + wantHost + " for " + d.Name,
		DependsOn: deps,
		Commands:  []string{fmt.Sprintf("resolve %s and probe the first answering candidate%s", xmppdns.SRVName(d.Name), tlsNote(c))},
	}
	s.do = func(ctx context.Context, p *progress) error {
		res, err := edge.ProbeDomain(ctx, c.Verify.Resolver, d.Name, c.probeConfig(d.Name))
		if err != nil {
			return err
		}
		ans := res.Answer()
		if ans == nil {
			if res.ResolveError != nil {
				return verifyErr("%s does not resolve: %w", d.Name, res.ResolveError)
			}
			return verifyErr("no candidate of %s answered (%d tried)", d.Name, len(res.Attempts))
		}
		p.Report(ans.Candidate.Host, probeSummary(ans.Result))
		if !dnsname.Equal(ans.Candidate.Host, wantHost) {
			return verifyErr("%s is served by %s, want %s", d.Name, ans.Candidate.Host, wantHost)
		}
		if !ans.Result.OK() {
			return verifyErr("%s at %s: %s", d.Name, ans.Candidate.Host, probeSummary(ans.Result))
		}
		if ap, err := netip.ParseAddrPort(ans.Result.RemoteAddr); err == nil && !slices.Contains(addrs, ap.Addr().Unmap()) {
			return verifyErr("%s is served at %s, not at the target pool's addresses %v", d.Name, ans.Result.RemoteAddr, addrs)
		}
		return nil
	}
	return s
}
