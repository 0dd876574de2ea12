package checkcmd

import (
	"crypto/x509"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/netip"
	"strings"
	"time"

	"github.com/xmppfed/edgefailover/examples/internal/setup"
	"github.com/xmppfed/edgefailover/lync"
	"github.com/xmppfed/edgefailover/xmppdns"
)

// Exit codes.
const (
	ExitHealthy    = 0 // every check passed
	ExitUnhealthy  = 1 // a check failed: a finding
	ExitBadInput   = 2 // bad flags or secret: nothing was sent
	ExitIncomplete = 3 // interrupted: no check failed, some did not run
)

type options struct {
	domains    []string
	resolvers  []string
	ns         map[string]string
	connect    map[string]string
	expectHost string
	expectAddr []netip.Addr
	probeFrom  string
	roots      *x509.CertPool
	noTLS      bool
	timeout    time.Duration
	json       bool
	verbose    bool
	log        *slog.Logger // with -v

	mgmt        setup.WinRM
	user        string
	passwordEnv string
	site        string
	expectPool  string
}

const usage = `usage: check -domains D[,D...] [flags]

Checks XMPP federation of SIP domains: the remote view (SRV resolution and a
5269 probe with STARTTLS and certificate names), DNS on every authoritative
server, and, with -mgmt, the site's XMPP route and the pool's services.
Reads only. Independent checks run concurrently, each within -timeout; each
is reported ok, FAIL, or NOT RUN with why (a check it depends on failed).
The WinRM password comes from the variable named by -password-env.

Exit codes: 0 healthy; 1 unhealthy (a check failed); 2 bad input or usage
(nothing sent); 3 interrupted before every check ran (none failed).

flags:
`

func parseFlags(args []string, stderr io.Writer) (*options, int) {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	o := &options{}
	var domains, resolvers, ns, connect, addrs, caFile, mgmtAddr string
	fs.StringVar(&domains, "domains", "", "SIP `domains` to check, comma-separated (required)")
	fs.StringVar(&resolvers, "resolvers", "", "recursive resolvers `ip:port,...` with the public view (default: /etc/resolv.conf)")
	fs.StringVar(&ns, "ns", "", "name server address overrides `host=ip:port,...` (firewalled or split-horizon NS)")
	fs.StringVar(&connect, "connect", "", "probe address overrides `ip:port=ip:port,...` (NAT hairpin); the original address is still reported")
	fs.StringVar(&o.expectHost, "expect-host", "", "every SRV target must be this `host` (e.g. xmpp.contoso.com)")
	fs.StringVar(&addrs, "expect-addr", "", "the answering address must be one of these `ips` (the pool that should host federation)")
	fs.StringVar(&o.probeFrom, "probe-from", "edgefailover.invalid", "`domain` the probe claims to come from")
	fs.StringVar(&caFile, "ca-file", "", "PEM `file` of roots the Edge certificate must chain to (default: system roots)")
	fs.BoolVar(&o.noTLS, "no-starttls", false, "probe without STARTTLS")
	fs.DurationVar(&o.timeout, "timeout", 30*time.Second, "budget of each check (they run concurrently)")
	fs.BoolVar(&o.verbose, "v", false, "log each connection attempt and its outcome (host, scheme, elapsed) to stderr; secrets are redacted")
	fs.BoolVar(&o.json, "json", false, "print the results as JSON")
	fs.StringVar(&o.mgmt.Host, "mgmt", "", "management host `fqdn` (Front End) for the route and services checks")
	fs.IntVar(&o.mgmt.Port, "mgmt-port", 0, "WinRM port (default 5986, or 5985 with -mgmt-http)")
	fs.BoolVar(&o.mgmt.PlainHTTP, "mgmt-http", false, "WinRM over plain HTTP (5985): encrypted with ntlm and kerberos, in clear with basic (labs only)")
	fs.StringVar(&mgmtAddr, "mgmt-address", "", "`ip:port` to connect to instead of resolving -mgmt")
	fs.StringVar(&o.mgmt.CAFile, "mgmt-ca-file", "", "PEM `file` of roots for the WinRM certificate")
	fs.StringVar(&o.mgmt.Auth, "mgmt-auth", "ntlm", "WinRM authentication: ntlm (domain or local accounts), kerberos (domain accounts) or basic (local accounts)")
	var krb setup.WinRMKerberos
	fs.StringVar(&krb.Realm, "mgmt-realm", "", "Kerberos `realm` of -mgmt-auth kerberos, e.g. CONTOSO.COM")
	fs.StringVar(&krb.ConfigPath, "mgmt-krb5-conf", "/etc/krb5.conf", "krb5.conf `file` of -mgmt-auth kerberos")
	fs.StringVar(&krb.CCachePath, "mgmt-ccache", "", "credential cache `file` (kinit) of -mgmt-auth kerberos, instead of the password")
	fs.StringVar(&krb.SPN, "mgmt-spn", "", "service principal of -mgmt-auth kerberos (default HTTP/<mgmt>)")
	fs.StringVar(&o.user, "user", "", "WinRM `user`, e.g. CONTOSO\\lyncadmin")
	fs.StringVar(&o.passwordEnv, "password-env", "EDGEFAILOVER_WINRM_PASSWORD", "environment `variable` holding the WinRM password")
	fs.StringVar(&o.site, "site", "", "`site` whose XMPP route must point at -expect-pool")
	fs.StringVar(&o.expectPool, "expect-pool", "", "Edge `pool` that should host XMPP federation")
	fs.Usage = func() { fmt.Fprint(fs.Output(), usage); fs.PrintDefaults() }
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, ExitHealthy
		}
		return nil, ExitBadInput
	}
	if strings.EqualFold(o.mgmt.Auth, "kerberos") {
		o.mgmt.Kerberos = &krb
	}
	if err := o.fill(fs, domains, resolvers, ns, connect, addrs, caFile, mgmtAddr); err != nil {
		fmt.Fprintf(stderr, "check: bad input: %v\nnothing was sent.\n", err)
		return nil, ExitBadInput
	}
	return o, ExitHealthy
}

func (o *options) fill(fs *flag.FlagSet, domains, resolvers, ns, connect, addrs, caFile, mgmtAddr string) error {
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if o.domains = setup.SplitList(domains); len(o.domains) == 0 {
		return errors.New("-domains is required")
	}
	for _, d := range o.domains {
		if _, err := setup.ParseHost(d); err != nil {
			return fmt.Errorf("-domains: %v", err)
		}
	}
	o.resolvers = setup.SplitList(resolvers)
	for _, r := range o.resolvers {
		if err := setup.CheckAddrPort(r); err != nil {
			return fmt.Errorf("-resolvers: %v", err)
		}
	}
	if len(o.resolvers) == 0 {
		rs, err := xmppdns.ResolvConf("/etc/resolv.conf")
		if err != nil || len(rs) == 0 {
			return fmt.Errorf("no -resolvers and none in /etc/resolv.conf (%v)", err)
		}
		o.resolvers = rs
	}
	var err error
	if o.ns, err = setup.SplitPairs(ns); err != nil {
		return fmt.Errorf("-ns: %v", err)
	}
	if err := setup.CheckNameservers(o.ns); err != nil {
		return fmt.Errorf("-ns: %v", err)
	}
	if o.connect, err = setup.SplitPairs(connect); err != nil {
		return fmt.Errorf("-connect: %v", err)
	}
	if err := setup.CheckConnect(o.connect); err != nil {
		return fmt.Errorf("-connect: %v", err)
	}
	for _, a := range setup.SplitList(addrs) {
		ip, err := netip.ParseAddr(a)
		if err != nil {
			return fmt.Errorf("-expect-addr: %v", err)
		}
		o.expectAddr = append(o.expectAddr, ip)
	}
	if o.expectHost != "" {
		if o.expectHost, err = setup.ParseHost(o.expectHost); err != nil {
			return fmt.Errorf("-expect-host: %v", err)
		}
	}
	if caFile != "" {
		if o.roots, err = setup.LoadCertPool(caFile); err != nil {
			return fmt.Errorf("-ca-file: %v", err)
		}
	}
	if o.timeout <= 0 {
		return errors.New("-timeout must be positive")
	}
	if o.mgmt.Host == "" {
		if o.site != "" || o.expectPool != "" {
			return errors.New("-site and -expect-pool need -mgmt")
		}
		return nil
	}
	o.mgmt.AllowUnencrypted = o.mgmt.PlainHTTP
	if mgmtAddr != "" {
		if err := setup.CheckServer(mgmtAddr); err != nil || !strings.Contains(mgmtAddr, ":") {
			return fmt.Errorf("-mgmt-address %q: must be ip:port", mgmtAddr)
		}
		o.mgmt.Addresses = map[string]string{o.mgmt.Host: mgmtAddr}
	}
	if err := o.mgmt.Check(false); err != nil {
		return fmt.Errorf("-mgmt: %v", err)
	}
	if o.user == "" || o.site == "" || o.expectPool == "" {
		return errors.New("-mgmt needs -user, -site and -expect-pool")
	}
	if _, err := lync.ParseSiteName(o.site); err != nil {
		return fmt.Errorf("-site: %v", err)
	}
	if _, err := setup.ParseHost(o.expectPool); err != nil {
		return fmt.Errorf("-expect-pool: %v", err)
	}
	return nil
}
