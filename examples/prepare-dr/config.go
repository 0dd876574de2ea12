package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/xmppfed/edgefailover/examples/internal/setup"
)

// Exit codes.
const (
	exitOK       = 0
	exitFailed   = 1
	exitBadInput = 2
)

// config is the -config file; flags given on the command line override it.
type config struct {
	DNS     setup.DNSProvider `json:"dns_provider"`
	Domains []domain          `json:"domains"`
	Targets []string          `json:"targets,omitempty"` // SRV targets in order of preference
	TTL     setup.Duration    `json:"ttl,omitempty"`
	Hosts   []string          `json:"hosts,omitempty"` // hosts whose A/AAAA TTL -ttl lowers
}

type domain struct {
	Name string `json:"name"`
	Zone string `json:"zone"` // absolute
}

type options struct {
	cfg   config
	apply bool
	json  bool
}

const usage = `usage: prepare-dr [flags]

Writes the prioritized SRV set (the runbook's disaster-recovery tip) for every
SIP domain and/or lowers TTLs ahead of a maintenance window, through RFC 2136
dynamic updates signed with TSIG. Dry run by default; -apply writes.
The TSIG secret comes from the environment variable named by -secret-env.

Exit codes: 0 done, 1 DNS failure, 2 bad input (nothing sent).

flags:
`

func parseFlags(args []string, stderr io.Writer) (*options, int) {
	fs := flag.NewFlagSet("prepare-dr", flag.ContinueOnError)
	fs.SetOutput(stderr)
	o := &options{}
	var file, server, key, alg, secretEnv, domains, targets, hosts string
	var ttl time.Duration
	fs.StringVar(&file, "config", "", "JSON `file` with dns_provider, domains, targets, ttl, hosts (flags override it)")
	fs.StringVar(&server, "server", "", "primary DNS server `host:port` that takes signed updates")
	fs.StringVar(&key, "key-name", "", "TSIG key `name`, e.g. xmpp-update.")
	fs.StringVar(&alg, "algorithm", "", "TSIG algorithm: hmac-sha256 (default), hmac-sha384, hmac-sha512")
	fs.StringVar(&secretEnv, "secret-env", "", "environment `variable` holding the base64 TSIG secret (default EDGEFAILOVER_TSIG_SECRET)")
	fs.StringVar(&domains, "domains", "", "SIP domains and their zones: `domain=zone,...` (zone absolute, e.g. contoso.com=contoso.com.)")
	fs.StringVar(&targets, "targets", "", "federation hosts of the Edge pools, preferred first: `host,...` (priorities 10, 20, ...)")
	fs.DurationVar(&ttl, "ttl", 0, "TTL to write (e.g. 60s); with no -targets, only lowers the TTLs of the SRV sets and -hosts")
	fs.StringVar(&hosts, "hosts", "", "`hosts` whose A/AAAA records get -ttl (e.g. xmpp.contoso.com)")
	fs.BoolVar(&o.apply, "apply", false, "write the changes (default: print them only)")
	fs.BoolVar(&o.json, "json", false, "print the changes as JSON")
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
	set := func(dst *string, v string) {
		if v != "" {
			*dst = v
		}
	}
	set(&c.DNS.Server, server)
	set(&c.DNS.KeyName, key)
	set(&c.DNS.Algorithm, alg)
	set(&c.DNS.SecretEnv, secretEnv)
	if c.DNS.Type == "" {
		c.DNS.Type = "rfc2136"
	}
	if c.DNS.SecretEnv == "" {
		c.DNS.SecretEnv = "EDGEFAILOVER_TSIG_SECRET"
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
	if ttl != 0 {
		c.TTL = setup.Duration(ttl)
	}
	if err := c.check(); err != nil {
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

func (c *config) check() error {
	if err := c.DNS.Check(); err != nil {
		return fmt.Errorf("dns provider: %v", err)
	}
	if len(c.Domains) == 0 {
		return errors.New("no SIP domain: give -domains domain=zone,...")
	}
	for _, d := range c.Domains {
		if !strings.HasSuffix(d.Zone, ".") {
			return fmt.Errorf("zone %q of %s must be absolute (end with a dot)", d.Zone, d.Name)
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
