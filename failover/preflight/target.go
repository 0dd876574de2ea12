package preflight

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/xmppfed/edgefailover/edge"
	"github.com/xmppfed/edgefailover/internal/dnsname"
	"github.com/xmppfed/edgefailover/lync"
)

// Target is what the checks look at. failover.New fills it from its Config
// and the target pool it opened; a health check (examples/check) fills it
// itself.
type Target struct {
	// Management reaches the management host (a Front End server): the
	// Access Edge configuration, the XMPP partners, the topology and the
	// reachability test run there.
	Management *lync.Client
	// Pool is the Edge pool's FQDN.
	Pool string
	// EdgeService is the pool's Get-CsService -EdgeServer record when the
	// caller read it already (failover.New, edge.Pool.EdgeService). Nil:
	// CheckTarget reads it.
	EdgeService *lync.EdgeService
	// Names are the names each certificate must cover: the federation
	// host and every SIP domain.
	Names []string
	// Servers are the pool's servers with clients of their own, on which
	// Get-CsCertificate runs (it reads the local computer only). Nil skips
	// CheckCertificate: it gives no finding.
	Servers []*edge.Server
	// Computers are the pool's servers as Get-CsPool lists them, when the
	// caller read them already (examples/check): without Servers, the
	// reachability test goes to these (an empty, non-nil slice: the pool
	// has none, an error finding). Nil: CheckTarget reads Get-CsPool.
	Computers []string
	// IMReceiver, when set, is the XMPP user (user@domain) an end-to-end
	// check will send an IM to (failover's Verify.IMReceiver): its domain
	// must be an XMPP allowed partner.
	IMReceiver string
	// Options tunes the checks (window, reachability, accepted warnings).
	Options Options
}

// CheckTarget runs the checks on t, the independent ones concurrently, and
// returns their findings in a fixed order (check, then subject), with the
// warnings t.Options accepts marked; Verdict says whether they block. A
// check whose cmdlet fails gives an error finding; the error is for a bad
// Target (an *InputError, before anything is read) or a pool the topology
// does not list as an Edge pool (an *edge.NotEdgePoolError).
//
// With reachability, a pool without servers (no t.Servers, and t.Computers
// or Get-CsPool lists none) gives an error finding of the pool.
//
// Runs on t.Management, without t.EdgeService: Get-CsService -EdgeServer
// -PoolFqdn <pool>; with reachability and without t.Servers or
// t.Computers: Get-CsPool.
func CheckTarget(ctx context.Context, t Target) ([]Finding, error) {
	if t.Management == nil {
		return nil, &InputError{Field: "Management", Reason: "a management client is required"}
	}
	pool, err := dnsname.ParseFQDN(t.Pool)
	if err != nil {
		return nil, &InputError{Field: "Pool", Reason: "not a valid FQDN", Err: err}
	}
	if t.IMReceiver != "" {
		if err := lync.ParseXmppUser(t.IMReceiver); err != nil {
			return nil, &InputError{Field: "IMReceiver", Reason: "not an XMPP user (user@domain)", Err: err}
		}
	}
	t.Computers = slices.Clone(t.Computers) // the caller's slice stays as given
	for i, c := range t.Computers {
		if t.Computers[i], err = dnsname.ParseFQDN(c); err != nil {
			return nil, &InputError{Field: fmt.Sprintf("Computers[%d]", i), Reason: "not a valid FQDN", Err: err}
		}
	}
	if t.Options, err = t.Options.normalize("Options."); err != nil {
		return nil, err
	}
	if t.EdgeService == nil {
		es, err := t.Management.Pools.EdgeServices(ctx, pool)
		if err != nil {
			return nil, err
		}
		if len(es) == 0 {
			return nil, &edge.NotEdgePoolError{Pool: pool}
		}
		t.EdgeService = &es[0]
	}
	hosts := make([]string, len(t.Servers)) // reachability is tested to these
	for i, s := range t.Servers {
		hosts[i] = s.FQDN()
	}
	if len(t.Servers) == 0 && t.Options.CheckReachability {
		hosts = t.Computers
		if hosts == nil {
			p, err := t.Management.Pools.Get(ctx, pool)
			if err != nil {
				return nil, err
			}
			hosts = p.Computers
		}
	}
	t.Pool = pool
	return checkTarget(ctx, t, *t.EdgeService, hosts), nil
}

// checkTarget runs the checks; reachability is tested to hosts.
func checkTarget(ctx context.Context, t Target, es lync.EdgeService, hosts []string) []Finding {
	groups := make([][]Finding, 3+len(t.Servers)+len(hosts))
	var wg sync.WaitGroup
	groups[0] = checkVersion(t.Pool, es)
	wg.Go(func() { groups[1] = checkAccessEdge(ctx, t.Management) })
	wg.Go(func() { groups[2] = checkPartners(ctx, t.Management, t.IMReceiver) })
	for i, srv := range t.Servers {
		wg.Go(func() { groups[3+i] = checkCertificates(ctx, t, srv) })
	}
	if t.Options.CheckReachability {
		for i, fqdn := range hosts {
			wg.Go(func() { groups[3+len(t.Servers)+i] = checkReach(ctx, t.Management, fqdn, es.XmppInternalPort) })
		}
	}
	wg.Wait()
	if t.Options.CheckReachability && len(hosts) == 0 {
		groups = append(groups, []Finding{{Check: CheckReachability, Subject: t.Pool, Severity: SeverityError,
			Message: "the pool has no servers (Get-CsPool lists no computers): nothing serves federation, nothing to test",
			Fix:     "add the pool's Edge servers to the topology and publish it, or choose a pool that has servers"}})
	}
	var out []Finding
	for _, g := range groups {
		out = append(out, g...)
	}
	slices.SortStableFunc(out, func(a, b Finding) int {
		return slices.Index(allChecks, a.Check) - slices.Index(allChecks, b.Check)
	})
	for i := range out {
		if out[i].Severity == SeverityWarning && slices.Contains(t.Options.AcceptWarnings, out[i].Check) {
			out[i].Accepted = true
		}
	}
	return out
}
