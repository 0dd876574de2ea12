package checkcmd

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/netip"
	"os"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/xmppfed/edgefailover/edge"
	"github.com/xmppfed/edgefailover/examples/internal/setup"
	"github.com/xmppfed/edgefailover/xmppdns"
)

// Status is the outcome of one check.
type Status string

// Statuses. Only StatusFailed is a finding (exit 1).
const (
	StatusOK     Status = "ok"
	StatusFailed Status = "failed"
	StatusNotRun Status = "not run" // Detail says why: a check it depends on failed, or an interrupt
)

// result is one check's outcome.
type result struct {
	Check  string `json:"check"` // e.g. "remote/contoso.com", "dns/SRV _xmpp-server._tcp.contoso.com."
	Status Status `json:"status"`
	OK     bool   `json:"ok"` // Status == ok
	Detail string `json:"detail"`
	Data   any    `json:"data,omitempty"` // the probe result or the DNS report
}

func ok(check, detail string, data any) result {
	return result{Check: check, Status: StatusOK, OK: true, Detail: detail, Data: data}
}

func failed(check, detail string, data any) result {
	return result{Check: check, Status: StatusFailed, Detail: detail, Data: data}
}

func notRun(check, why string) result {
	return result{Check: check, Status: StatusNotRun, Detail: why}
}

// Run is the program as a function. The WinRM password comes from the
// process environment.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return RunEnv(ctx, args, stdout, stderr, os.LookupEnv)
}

// RunEnv is Run with the environment given.
func RunEnv(ctx context.Context, args []string, stdout, stderr io.Writer, env setup.Env) int {
	o, code := parseFlags(args, stderr)
	if o == nil {
		return code
	}
	if o.verbose {
		o.log = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	c := &checker{o: o}
	if o.mgmt.Host != "" {
		cl, err := c.dialManagement(ctx, setup.NewConsole(nil, stderr, env))
		if err != nil {
			fmt.Fprintf(stderr, "check: bad input: %v\nnothing was sent.\n", err)
			return ExitBadInput
		}
		defer cl.Close()
		c.mgmtClient = cl
	}
	// Independent checks run concurrently, each within its own budget
	// (-timeout): a silent resolver costs the remote view its budget, not
	// the management checks theirs.
	var wg sync.WaitGroup
	domains := make([][]result, len(o.domains))
	targets := make([][]string, len(o.domains))
	for i, d := range o.domains {
		wg.Go(func() { domains[i], targets[i] = c.domain(ctx, d) })
	}
	var mgmt []result
	if c.mgmtClient != nil {
		wg.Go(func() { mgmt = c.management(ctx) })
	}
	wg.Wait()
	for _, rs := range domains {
		c.results = append(c.results, rs...)
	}
	c.results = append(c.results, c.hosts(ctx, targets)...)
	c.results = append(c.results, mgmt...)
	return c.write(stdout)
}

type checker struct {
	o          *options
	mgmtClient closer
	results    []result
}

type closer interface{ Close() error }

// budget is the context of one check.
func (c *checker) budget(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, c.o.timeout)
}

// why says why a check ended with err: its budget, an interrupt, or err.
func (c *checker) why(ctx context.Context, err error) string {
	switch {
	case ctx.Err() != nil && errors.Is(ctx.Err(), context.Canceled):
		return "interrupted"
	case errors.Is(err, context.DeadlineExceeded):
		return fmt.Sprintf("no answer within its budget (-timeout %s): %v", c.o.timeout, err)
	}
	return err.Error()
}

// domain runs the remote view and the authoritative SRV check of one
// domain, and returns the SRV targets whose addresses hosts checks.
func (c *checker) domain(ctx context.Context, dom string) ([]result, []string) {
	o := c.o
	srvCheck := "dns/SRV " + xmppdns.SRVName(dom)
	cfg := edge.ProbeConfig{From: o.probeFrom, StartTLS: !o.noTLS,
		Dial: setup.LogDial(o.log, dom, "xmpp-5269", setup.ProbeDialer(o.resolvers, o.connect))}
	if !o.noTLS {
		cfg.TLSConfig = &tls.Config{RootCAs: o.roots}
	}
	bctx, cancel := c.budget(ctx)
	res, err := edge.ProbeDomain(bctx, &xmppdns.Resolver{Servers: o.resolvers}, dom, cfg)
	cancel()
	if err != nil {
		if ctx.Err() != nil {
			return []result{notRun("remote/"+dom, "interrupted"), notRun(srvCheck, "interrupted")}, nil
		}
		return []result{failed("remote/"+dom, c.why(ctx, err), nil), notRun(srvCheck, "the remote view found no SRV set to compare")}, nil
	}
	out := []result{c.remote(dom, res)}
	if res.ResolveError != nil {
		return append(out, notRun(srvCheck, "resolution through -resolvers failed, nothing to compare with")), nil
	}
	var srv []string
	var hosts []string
	for _, cd := range res.Candidates {
		if cd.FromSRV {
			srv = append(srv, fmt.Sprintf("%d %d %d %s.", cd.Priority, cd.Weight, cd.Port, cd.Host))
			if !slices.Contains(hosts, cd.Host) {
				hosts = append(hosts, cd.Host)
			}
		}
	}
	sort.Strings(srv)
	out = append(out, c.authoritative(ctx, xmppdns.RRset{Name: xmppdns.SRVName(dom), Type: "SRV", Data: srv}))
	return out, hosts
}

// hosts checks the A/AAAA records of every SRV target once, concurrently.
func (c *checker) hosts(ctx context.Context, targets [][]string) []result {
	var hosts []string
	for _, ts := range targets {
		for _, h := range ts {
			if !slices.Contains(hosts, h) {
				hosts = append(hosts, h)
			}
		}
	}
	sort.Strings(hosts)
	out := make([][]result, len(hosts))
	var wg sync.WaitGroup
	for i, h := range hosts {
		wg.Go(func() { out[i] = c.host(ctx, h) })
	}
	wg.Wait()
	return slices.Concat(out...)
}

func (c *checker) host(ctx context.Context, h string) []result {
	ips := c.o.expectAddr
	if len(ips) == 0 {
		bctx, cancel := c.budget(ctx)
		var err error
		ips, err = setup.Lookup(bctx, c.o.resolvers, h)
		cancel()
		if err != nil {
			return []result{failed("dns/A "+h+".", "resolvers: "+c.why(ctx, err), nil)}
		}
	}
	v4, v6 := split(ips)
	out := []result{c.authoritative(ctx, xmppdns.RRset{Name: h + ".", Type: "A", Data: v4})}
	if len(v6) > 0 {
		out = append(out, c.authoritative(ctx, xmppdns.RRset{Name: h + ".", Type: "AAAA", Data: v6}))
	}
	return out
}

// remoteData is the JSON form of the remote view: the candidates, in the
// order a remote server tries them, and the probe of the one that answered.
type remoteData struct {
	Candidates []xmppdns.Candidate `json:"candidates"`
	Probe      *edge.ProbeResult   `json:"probe,omitempty"`
}

// remote judges the remote view: an answer with features (and TLS,
// names, chain), and the expectations.
func (c *checker) remote(dom string, res *edge.DomainResult) result {
	name := "remote/" + dom
	data := remoteData{Candidates: res.Candidates}
	if res.ResolveError != nil {
		return failed(name, "resolution failed: "+res.ResolveError.Error(), data)
	}
	a := res.Answer()
	if a == nil {
		var tried []string
		for _, at := range res.Attempts {
			if at.Result != nil {
				tried = append(tried, at.Result.String())
			} else {
				tried = append(tried, at.Addr+": "+fmt.Sprint(at.Err))
			}
		}
		return failed(name, "no candidate answered: "+strings.Join(tried, "; "), data)
	}
	good, detail := a.Result.OK(), a.Result.String()
	data.Probe = a.Result
	if a.Result.RemoteAddr != "" {
		detail += " (at " + a.Result.RemoteAddr + ")"
	}
	if h := c.o.expectHost; h != "" {
		for _, cd := range res.Candidates {
			if !strings.EqualFold(cd.Host, h) {
				good = false
				detail += fmt.Sprintf("; SRV target %s is not the expected %s", cd.Host, h)
			}
		}
	}
	if len(c.o.expectAddr) > 0 {
		ap, err := netip.ParseAddrPort(a.Result.RemoteAddr)
		if err != nil || !slices.Contains(c.o.expectAddr, ap.Addr().Unmap()) {
			good = false
			detail += fmt.Sprintf("; answered at %s, not at an expected address %v", a.Result.RemoteAddr, c.o.expectAddr)
		}
	}
	if !good {
		return failed(name, detail, data)
	}
	return ok(name, detail, data)
}

// authoritative checks one RRset on every authoritative server.
func (c *checker) authoritative(ctx context.Context, want xmppdns.RRset) result {
	name := "dns/" + want.Type + " " + want.Name
	a := &xmppdns.Authoritative{Resolvers: c.o.resolvers, Addrs: c.o.ns}
	bctx, cancel := c.budget(ctx)
	rep, err := a.Check(bctx, want)
	cancel()
	switch {
	case err != nil && ctx.Err() != nil:
		return notRun(name, "interrupted")
	case err != nil:
		return failed(name, c.why(ctx, err), nil)
	case rep.Converged:
		return ok(name, fmt.Sprintf("%d name servers of %s agree: %s", len(rep.Servers), rep.Zone, orAbsent(want.Data)), rep)
	}
	return failed(name, fmt.Sprintf("name servers of %s disagree with the resolvers (%s): %s", rep.Zone, orAbsent(want.Data), strings.TrimSpace(rep.String())), rep)
}

func orAbsent(data []string) string {
	if len(data) == 0 {
		return "(absent)"
	}
	return strings.Join(data, ", ")
}

func split(ips []netip.Addr) (v4, v6 []string) {
	for _, ip := range ips {
		if ip.Is4() || ip.Is4In6() {
			v4 = append(v4, ip.Unmap().String())
		} else {
			v6 = append(v6, ip.String())
		}
	}
	sort.Strings(v4)
	sort.Strings(v6)
	return v4, v6
}
