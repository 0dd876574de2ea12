package main

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net/netip"
	"os"
	"slices"
	"sort"
	"strings"

	"github.com/xmppfed/edgefailover/edge"
	"github.com/xmppfed/edgefailover/examples/internal/setup"
	"github.com/xmppfed/edgefailover/xmppdns"
)

// result is one check's outcome.
type result struct {
	Check  string `json:"check"` // e.g. "remote/contoso.com", "dns/SRV _xmpp-server._tcp.contoso.com."
	OK     bool   `json:"ok"`
	Detail string `json:"detail"`
	Data   any    `json:"data,omitempty"` // the probe result or the DNS report
}

// run is the program as a function, so tests call it directly. The WinRM
// password comes from the process environment.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return runEnv(ctx, args, stdout, stderr, os.LookupEnv)
}

func runEnv(ctx context.Context, args []string, stdout, stderr io.Writer, env setup.Env) int {
	o, code := parseFlags(args, stderr)
	if o == nil {
		return code
	}
	ctx, cancel := context.WithTimeout(ctx, o.timeout)
	defer cancel()
	c := &checker{o: o, hostsDone: map[string]bool{}}
	if o.mgmt.Host != "" {
		cl, err := c.dialManagement(ctx, setup.NewConsole(nil, stderr, env))
		if err != nil {
			fmt.Fprintf(stderr, "check: bad input: %v\n", err)
			return exitBadInput
		}
		defer cl.Close()
		c.mgmtClient = cl
	}
	for _, d := range o.domains {
		c.domain(ctx, d)
	}
	if c.mgmtClient != nil {
		c.management(ctx)
	}
	return c.write(stdout)
}

type checker struct {
	o          *options
	mgmtClient closer
	results    []result
	hostsDone  map[string]bool // SRV targets whose A/AAAA were checked
}

type closer interface{ Close() error }

func (c *checker) add(r result) { c.results = append(c.results, r) }

// domain runs the remote view and the authoritative checks of one domain.
func (c *checker) domain(ctx context.Context, dom string) {
	o := c.o
	cfg := edge.ProbeConfig{From: o.probeFrom, StartTLS: !o.noTLS, Dial: setup.ProbeDialer(o.resolvers, o.connect)}
	if !o.noTLS {
		cfg.TLSConfig = &tls.Config{RootCAs: o.roots}
	}
	res, err := edge.ProbeDomain(ctx, &xmppdns.Resolver{Servers: o.resolvers}, dom, cfg)
	if err != nil {
		c.add(result{Check: "remote/" + dom, Detail: err.Error()})
		return
	}
	c.add(c.remote(dom, res))
	if res.ResolveError != nil {
		return
	}
	auth := &xmppdns.Authoritative{Resolvers: o.resolvers, Addrs: o.ns}
	var srv []string
	targets := map[string]bool{}
	for _, cd := range res.Candidates {
		if cd.FromSRV {
			srv = append(srv, fmt.Sprintf("%d %d %d %s.", cd.Priority, cd.Weight, cd.Port, cd.Host))
			targets[cd.Host] = true
		}
	}
	sort.Strings(srv)
	c.authoritative(ctx, auth, xmppdns.RRset{Name: xmppdns.SRVName(dom), Type: "SRV", Data: srv})
	hosts := make([]string, 0, len(targets))
	for h := range targets {
		hosts = append(hosts, h)
	}
	sort.Strings(hosts)
	for _, h := range hosts {
		if c.hostsDone[h] {
			continue // checked for an earlier domain
		}
		c.hostsDone[h] = true
		ips := o.expectAddr
		if len(ips) == 0 {
			var err error
			if ips, err = setup.Lookup(ctx, o.resolvers, h); err != nil {
				c.add(result{Check: "dns/A " + h + ".", Detail: "resolvers: " + err.Error()})
				continue
			}
		}
		v4, v6 := split(ips)
		c.authoritative(ctx, auth, xmppdns.RRset{Name: h + ".", Type: "A", Data: v4})
		if len(v6) > 0 {
			c.authoritative(ctx, auth, xmppdns.RRset{Name: h + ".", Type: "AAAA", Data: v6})
		}
	}
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
	r := result{Check: "remote/" + dom, Data: remoteData{Candidates: res.Candidates}}
	if res.ResolveError != nil {
		r.Detail = "resolution failed: " + res.ResolveError.Error()
		return r
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
		r.Detail = "no candidate answered: " + strings.Join(tried, "; ")
		return r
	}
	r.OK, r.Detail = a.Result.OK(), a.Result.String()
	r.Data = remoteData{Candidates: res.Candidates, Probe: a.Result}
	if a.Result.RemoteAddr != "" {
		r.Detail += " (at " + a.Result.RemoteAddr + ")"
	}
	if h := c.o.expectHost; h != "" {
		for _, cd := range res.Candidates {
			if !strings.EqualFold(cd.Host, h) {
				r.OK = false
				r.Detail += fmt.Sprintf("; SRV target %s is not the expected %s", cd.Host, h)
			}
		}
	}
	if len(c.o.expectAddr) > 0 {
		ap, err := netip.ParseAddrPort(a.Result.RemoteAddr)
		if err != nil || !slices.Contains(c.o.expectAddr, ap.Addr().Unmap()) {
			r.OK = false
			r.Detail += fmt.Sprintf("; answered at %s, not at an expected address %v", a.Result.RemoteAddr, c.o.expectAddr)
		}
	}
	return r
}

// authoritative checks one RRset on every authoritative server.
func (c *checker) authoritative(ctx context.Context, a *xmppdns.Authoritative, want xmppdns.RRset) {
	r := result{Check: "dns/" + want.Type + " " + want.Name}
	rep, err := a.Check(ctx, want)
	switch {
	case err != nil:
		r.Detail = err.Error()
	case rep.Converged:
		r.OK, r.Data = true, rep
		r.Detail = fmt.Sprintf("%d name servers of %s agree: %s", len(rep.Servers), rep.Zone, orAbsent(want.Data))
	default:
		r.Data = rep
		r.Detail = fmt.Sprintf("name servers of %s disagree with the resolvers (%s): %s", rep.Zone, orAbsent(want.Data), strings.TrimSpace(rep.String()))
	}
	c.add(r)
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
