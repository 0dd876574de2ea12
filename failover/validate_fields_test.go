package failover_test

import (
	"context"
	"crypto/tls"
	"errors"
	"net/netip"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/xmppfed/edgefailover/failover"
	"github.com/xmppfed/edgefailover/failover/failovertest"
	"github.com/xmppfed/edgefailover/failover/preflight"
	"github.com/xmppfed/edgefailover/lync/lynctest"
	"github.com/xmppfed/edgefailover/xmppdns"
)

// noBadValue are the fields no value of which is invalid, and why.
var noBadValue = map[string]string{
	"Graceful":                    "a bool: both values are valid",
	"Logger":                      "any *slog.Logger, nil included, is valid",
	"Verify.ProbeDial":            "any dial function, nil (a net.Dialer) included, is valid",
	"Preflight.CheckReachability": "a bool: both values are valid",
}

// badValues holds one bad value per field of failover.Config, by path.
func badValues(lab *failovertest.Lab) map[string]func(*failover.Config) {
	auth := func(c *failover.Config, f func(*xmppdns.Authoritative)) {
		a := *c.Verify.Authoritative
		f(&a)
		c.Verify.Authoritative = &a
	}
	im := func(c *failover.Config) {
		c.Verify.IMReceiver, c.Verify.IMPool = failovertest.PartnerUser, failovertest.FrontEndPool
	}
	return map[string]func(*failover.Config){
		"Management":         func(c *failover.Config) { c.Management = nil },
		"Site":               func(c *failover.Config) { c.Site = "Site'2" },
		"TargetPool":         func(c *failover.Config) { c.TargetPool = "edge pool 2" },
		"Servers":            func(c *failover.Config) { c.Servers = []string{"edge2a..contoso.com"} },
		"OpenServer":         func(c *failover.Config) { c.OpenServer = nil },
		"ReplacedPool":       func(c *failover.Config) { c.ReplacedPool = c.TargetPool },
		"ReplacedSite":       func(c *failover.Config) { c.ReplacedSite = "Site;1" },
		"ClearReplacedRoute": func(c *failover.Config) { c.ClearReplacedRoute, c.ReplacedSite = true, "" },
		"Domains":            func(c *failover.Config) { c.Domains = nil },
		"Domains.Name":       func(c *failover.Config) { c.Domains[1].Name = "fabrikam com" },
		"Domains.Zone":       func(c *failover.Config) { c.Domains[0].Zone = nil },
		"FederationHost":     func(c *failover.Config) { c.FederationHost = "xmpp..contoso.com" },
		"FederationZone":     func(c *failover.Config) { c.FederationZone = lab.ZoneOf("fabrikam.com") },
		"Addresses":          func(c *failover.Config) { c.Addresses = []netip.Addr{netip.IPv4Unspecified()} },
		"ReplacedAddresses":  func(c *failover.Config) { c.ReplacedAddresses = []netip.Addr{netip.IPv4Unspecified()} },
		"SRV":                func(c *failover.Config) { c.SRV = "weighted" },
		"PoolHosts":          func(c *failover.Config) { c.PoolHosts = map[string]string{"edge pool": "xmpp.contoso.com"} },
		"SRVTTL":             func(c *failover.Config) { c.SRVTTL = -time.Second },
		"AddrTTL":            func(c *failover.Config) { c.AddrTTL = 1500 * time.Millisecond },
		"Strategy":           func(c *failover.Config) { c.Strategy = "blue-green" },
		"Timeouts.Preflight": func(c *failover.Config) { c.Timeouts.Preflight = -1 },
		"Timeouts.Command":   func(c *failover.Config) { c.Timeouts.Command = -1 },
		"Timeouts.Stop":      func(c *failover.Config) { c.Timeouts.Stop = -1 },
		"Timeouts.Start":     func(c *failover.Config) { c.Timeouts.Start = -1 },
		"Timeouts.Replication": func(c *failover.Config) {
			c.Timeouts.Replication = -1
		},
		"Timeouts.DNS":      func(c *failover.Config) { c.Timeouts.DNS = -1 },
		"Timeouts.Converge": func(c *failover.Config) { c.Timeouts.Converge = -1 },
		"Timeouts.Probe":    func(c *failover.Config) { c.Timeouts.Probe = -1 },
		"Timeouts.Poll":     func(c *failover.Config) { c.Timeouts.Poll = -1 },
		"Verify.Authoritative": func(c *failover.Config) {
			auth(c, func(a *xmppdns.Authoritative) { a.Resolvers = []string{"ns1.contoso.com"} })
		},
		"Verify.Resolver":   func(c *failover.Config) { c.Verify.Resolver = &xmppdns.Resolver{} },
		"Verify.ProbeFrom":  func(c *failover.Config) { c.Verify.ProbeFrom = "probe from.example" },
		"Verify.ProbeTLS":   func(c *failover.Config) { c.Verify.ProbeTLS = &tls.Config{ServerName: "contoso.com"} },
		"Verify.IMReceiver": func(c *failover.Config) { c.Verify.IMReceiver = "alice" },
		"Verify.IMPool":     func(c *failover.Config) { im(c); c.Verify.IMPool = "" },
		"Verify.IMSender":   func(c *failover.Config) { im(c); c.Verify.IMSender = "bob@contoso.com" },
		"Preflight.CertificateWindow": func(c *failover.Config) {
			c.Preflight.CertificateWindow = -time.Hour
		},
		"Preflight.AcceptWarnings": func(c *failover.Config) { c.Preflight.AcceptWarnings = []preflight.Check{"san"} },
		// Values inside the Verify checkers, beyond the field itself.
		"Verify.Authoritative.Addrs": func(c *failover.Config) {
			auth(c, func(a *xmppdns.Authoritative) { a.Addrs = map[string]string{"ns1.contoso.com": "127.0.0.1"} })
		},
	}
}

// configPkgs are the packages whose struct types configFields descends
// into: failover, and preflight (Config.Preflight is a preflight.Options).
var configPkgs = []string{reflect.TypeFor[failover.Config]().PkgPath(), reflect.TypeFor[preflight.Options]().PkgPath()}

// configFields walks t by reflection: the path of every field, descending
// into the struct types of packages failover and preflight (and slices of
// them).
func configFields(t reflect.Type, prefix string) []string {
	var out []string
	for i := range t.NumField() {
		f := t.Field(i)
		path := prefix + f.Name
		out = append(out, path)
		ft := f.Type
		if ft.Kind() == reflect.Slice {
			ft = ft.Elem()
		}
		if ft.Kind() == reflect.Struct && slices.Contains(configPkgs, ft.PkgPath()) {
			sub := configFields(ft, path+".")
			if f.Type.Kind() == reflect.Struct {
				out = out[:len(out)-1] // a struct field is covered by its fields
			}
			out = append(out, sub...)
		}
	}
	return out
}

var indexRE = regexp.MustCompile(`\[[^\]]*\]`)

// TestConfigFieldsValidated walks failover.Config by reflection and proves
// that each field has a bad value New refuses with a *ConfigError naming
// that field, before the first WS-Man request and the first DNS message.
func TestConfigFieldsValidated(t *testing.T) {
	t.Parallel()
	lab := failovertest.Start(t, failovertest.Options{})
	cases := badValues(lab)
	fields := configFields(reflect.TypeFor[failover.Config](), "")
	sort.Strings(fields)
	for _, f := range fields {
		if _, ok := cases[f]; !ok && noBadValue[f] == "" {
			t.Errorf("field %s has no bad-value case (add one to badValues, or say in noBadValue why none exists)", f)
		}
	}
	for path := range cases {
		if !strings.HasPrefix(path, "Verify.Authoritative.") && !containsString(fields, path) {
			t.Errorf("case %s names no field of failover.Config", path)
		}
	}
	dnsBefore := func() int {
		n := 0
		for _, s := range lab.DNS().Servers() {
			n += len(s.Log())
		}
		return n
	}
	base := forward(lab)
	lab.Deployment().ResetCounters()
	dns0 := dnsBefore()
	paths := make([]string, 0, len(cases))
	for p := range cases {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, path := range paths {
		cfg := base
		cfg.Domains = append([]failover.Domain(nil), base.Domains...)
		cases[path](&cfg)
		p, err := failover.New(context.Background(), cfg)
		if err == nil {
			p.Close()
			t.Errorf("%s: New accepted the bad value", path)
			continue
		}
		var ce *failover.ConfigError
		if !errors.As(err, &ce) || !errors.Is(err, failover.ErrInvalidConfig) {
			t.Errorf("%s: err = %v, want a *ConfigError", path, err)
			continue
		}
		if got := indexRE.ReplaceAllString(ce.Field, ""); !strings.HasPrefix(got, path) && !strings.HasPrefix(path, got) {
			t.Errorf("%s: the error names field %s: %v", path, ce.Field, err)
		}
	}
	// Receives are the long polls of the lab's management session, open
	// since forward(lab): a bad config would first need a Create, Command
	// or Send.
	if c := lab.Deployment().Counters(); c.Total()-c.Requests[lynctest.ActionReceive] != 0 {
		t.Errorf("%d WS-Man requests (besides the long polls) were sent for bad configs, want 0: %v", c.Total()-c.Requests[lynctest.ActionReceive], c.Requests)
	}
	if n := dnsBefore() - dns0; n != 0 {
		t.Errorf("%d DNS messages were sent for bad configs, want 0", n)
	}
	_ = dns.OpcodeUpdate
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
