package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/xmppfed/edgefailover/examples/internal/setup"
	"github.com/xmppfed/edgefailover/xmppdns"
)

// Exit codes.
const (
	exitOK       = 0
	exitFailed   = 1
	exitBadInput = 2
)

// config is the -config file; flags given on the command line override it.
// Its members are those of examples/failover: "dns_providers" names the
// providers and each domain says which one serves its zone.
type config struct {
	DNSProviders map[string]setup.DNSProvider `json:"dns_providers"`
	// DNSProvider is the single provider of earlier versions: still read
	// (as dns_providers {"default": ...}), with a deprecation warning.
	DNSProvider *setup.DNSProvider `json:"dns_provider,omitempty"`
	Domains     []domain           `json:"domains"`
	Targets     []string           `json:"targets,omitempty"` // SRV targets in order of preference
	TTL         setup.Duration     `json:"ttl,omitempty"`
	Hosts       []string           `json:"hosts,omitempty"` // hosts whose A/AAAA TTL -ttl lowers
}

type domain struct {
	Name     string `json:"name"`
	Zone     string `json:"zone"`               // with or without the trailing dot
	Provider string `json:"provider,omitempty"` // a key of dns_providers; default: the only one
}

// defaultProvider names the provider built from flags or dns_provider.
const defaultProvider = "default"

type options struct {
	cfg     config
	apply   bool
	json    bool
	timeout time.Duration
}

const usage = `usage: prepare-dr [flags]

Writes the prioritized SRV set (the runbook's disaster-recovery tip) for every
SIP domain and/or lowers TTLs ahead of a maintenance window, through RFC 2136
dynamic updates signed with TSIG. Dry run by default; -apply writes.
The TSIG secret comes from the environment variable named by -secret-env
(or, with -config, the variables the file names). See prepare-dr.sample.json.

Exit codes: 0 done, 1 DNS failure, 2 bad input (nothing sent).

flags:
`

func parseFlags(args []string, stderr io.Writer) (*options, int) {
	fs := flag.NewFlagSet("prepare-dr", flag.ContinueOnError)
	fs.SetOutput(stderr)
	o := &options{}
	var file, server, key, alg, secretEnv, domains, targets, hosts string
	var ttl time.Duration
	fs.StringVar(&file, "config", "", "JSON `file` with dns_providers, domains, targets, ttl, hosts (flags override it; see prepare-dr.sample.json)")
	fs.StringVar(&server, "server", "", "primary DNS server `host:port` that takes signed updates")
	fs.StringVar(&key, "key-name", "", "TSIG key `name`, e.g. xmpp-update.")
	fs.StringVar(&alg, "algorithm", "", "TSIG algorithm: hmac-sha256 (default), hmac-sha384, hmac-sha512")
	fs.StringVar(&secretEnv, "secret-env", "", "environment `variable` holding the base64 TSIG secret (default EDGEFAILOVER_TSIG_SECRET)")
	fs.StringVar(&domains, "domains", "", "SIP domains and their zones: `domain=zone,...` (e.g. contoso.com=contoso.com)")
	fs.StringVar(&targets, "targets", "", "federation hosts of the Edge pools, preferred first: `host,...` (priorities 10, 20, ...)")
	fs.DurationVar(&ttl, "ttl", 0, "TTL to write (e.g. 60s); with no -targets, only lowers the TTLs of the SRV sets and -hosts")
	fs.StringVar(&hosts, "hosts", "", "`hosts` whose A/AAAA records get -ttl (e.g. xmpp.contoso.com)")
	fs.BoolVar(&o.apply, "apply", false, "write the changes (default: print them only)")
	fs.BoolVar(&o.json, "json", false, "print the changes as JSON")
	fs.DurationVar(&o.timeout, "timeout", 2*time.Minute, "bound of the whole run (reads, writes, read-back)")
	fs.Usage = func() { fmt.Fprint(fs.Output(), usage); fs.PrintDefaults() }
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, exitOK
		}
		return nil, exitBadInput
	}
	bad := func(err error) (*options, int) {
		fmt.Fprintf(stderr, "prepare-dr: bad input: %v\nnothing was sent.\n", err)
		return nil, exitBadInput
	}
	if fs.NArg() > 0 {
		return bad(fmt.Errorf("unexpected argument %q", fs.Arg(0)))
	}
	if file != "" {
		if err := setup.LoadJSON(file, &o.cfg); err != nil {
			return bad(err)
		}
	}
	c := &o.cfg
	if c.DNSProvider != nil {
		if c.DNSProviders != nil {
			return bad(errors.New("dns_provider and dns_providers: keep dns_providers only"))
		}
		fmt.Fprintln(stderr, "prepare-dr: warning: the config member dns_provider is deprecated: use \"dns_providers\": {\"default\": {...}}, as examples/failover does")
		c.DNSProviders = map[string]setup.DNSProvider{defaultProvider: *c.DNSProvider}
		c.DNSProvider = nil
	}
	if server != "" || key != "" || alg != "" || secretEnv != "" || len(c.DNSProviders) == 0 {
		if len(c.DNSProviders) > 1 {
			return bad(errors.New("-server, -key-name, -algorithm and -secret-env need a config with at most one provider"))
		}
		name, p := defaultProvider, setup.DNSProvider{Type: "rfc2136"}
		for n, v := range c.DNSProviders {
			name, p = n, v
		}
		set := func(dst *string, v string) {
			if v != "" {
				*dst = v
			}
		}
		set(&p.Server, server)
		set(&p.KeyName, key)
		set(&p.Algorithm, alg)
		set(&p.SecretEnv, secretEnv)
		if p.SecretEnv == "" && p.Auth != "gss-tsig" {
			p.SecretEnv = "EDGEFAILOVER_TSIG_SECRET"
		}
		c.DNSProviders = map[string]setup.DNSProvider{name: p}
	}
	if domains != "" {
		c.Domains = nil
		for _, d := range strings.Split(domains, ",") {
			name, zone, ok := strings.Cut(strings.TrimSpace(d), "=")
			if !ok {
				return bad(fmt.Errorf("-domains: %q is not domain=zone", d))
			}
			c.Domains = append(c.Domains, domain{Name: name, Zone: zone})
		}
	}
	if targets != "" {
		c.Targets = splitList(targets)
	}
	if hosts != "" {
		c.Hosts = splitList(hosts)
	}
	if ttl < 0 {
		return bad(fmt.Errorf("-ttl %v is negative", ttl))
	}
	if ttl != 0 {
		c.TTL = setup.Duration(ttl)
	}
	if o.timeout <= 0 {
		return bad(errors.New("-timeout must be positive"))
	}
	if err := c.check(providers()); err != nil {
		return bad(err)
	}
	return o, exitOK
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func (c *config) check(reg setup.Registry) error {
	for name, p := range c.DNSProviders {
		if err := p.Check(reg); err != nil {
			return fmt.Errorf("dns_providers.%s: %v", name, err)
		}
	}
	if len(c.Domains) == 0 {
		return errors.New("no SIP domain: give -domains domain=zone,...")
	}
	for i := range c.Domains {
		d := &c.Domains[i]
		if _, err := setup.ParseHost(d.Name); err != nil {
			return fmt.Errorf("domain %q: %v", d.Name, err)
		}
		zone, err := xmppdns.ParseHost(d.Zone) // with or without the trailing dot
		if err != nil {
			return fmt.Errorf("zone %q of %s: %v", d.Zone, d.Name, err)
		}
		d.Zone = zone
		if d.Provider == "" && len(c.DNSProviders) == 1 {
			for n := range c.DNSProviders {
				d.Provider = n
			}
		}
		if _, ok := c.DNSProviders[d.Provider]; !ok {
			return fmt.Errorf("domain %s: provider %q is not in dns_providers", d.Name, d.Provider)
		}
	}
	if len(c.Targets) == 0 && c.TTL == 0 {
		return errors.New("nothing to do: give -targets (the prioritized SRV set) and/or -ttl")
	}
	if len(c.Hosts) > 0 && c.TTL == 0 {
		return errors.New("-hosts needs -ttl")
	}
	for _, h := range append(append([]string(nil), c.Targets...), c.Hosts...) {
		if _, err := setup.ParseHost(h); err != nil {
			return fmt.Errorf("host %q: %v", h, err)
		}
	}
	return nil
}
