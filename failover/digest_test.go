package failover

import (
	"crypto/tls"
	"log/slog"
	"net"
	"net/netip"
	"testing"
	"time"

	"github.com/xmppfed/edgefailover/failover/preflight"
	"github.com/xmppfed/edgefailover/xmppdns"
	"github.com/xmppfed/edgefailover/xmppdns/memdns"
)

// TestDigestCoversWhatResumeDoesOrChecks: every field that changes what a
// resumed apply (or a rollback) would do or check changes the journal's
// config digest, so Resume refuses a journal of another config; the fields
// the digest's doc comment leaves out do not change it.
func TestDigestCoversWhatResumeDoesOrChecks(t *testing.T) {
	zone, err := xmppdns.NewZone("contoso.com", memdns.New("contoso.com."), xmppdns.ZoneOptions{})
	if err != nil {
		t.Fatal(err)
	}
	base := func() Config {
		return Config{
			Site: "Site2", TargetPool: "edgepool2.contoso.com.", ReplacedPool: "edgepool1.contoso.com.", ReplacedSite: "Site1",
			Domains: []Domain{{Name: "contoso.com.", Zone: zone}}, FederationHost: "xmpp.contoso.com.", FederationZone: zone,
			Verify: Verify{
				Authoritative: &xmppdns.Authoritative{Resolvers: []string{"192.0.2.53:53"}},
				Resolver:      &xmppdns.Resolver{Servers: []string{"192.0.2.53:53"}},
				ProbeFrom:     "edgefailover.invalid.",
				ProbeTLS:      &tls.Config{},
				IMReceiver:    "alice@jabber.example", IMPool: "fepool1.contoso.com.", IMSender: "sip:bob@contoso.com",
			},
		}
	}
	want := base().digest()
	for name, change := range map[string]func(*Config){
		"Graceful":             func(c *Config) { c.Graceful = true },
		"Verify.Authoritative": func(c *Config) { c.Verify.Authoritative = nil },
		"Verify.Resolver":      func(c *Config) { c.Verify.Resolver = nil },
		"Verify.ProbeFrom":     func(c *Config) { c.Verify.ProbeFrom = "contoso.com." },
		"Verify.ProbeTLS":      func(c *Config) { c.Verify.ProbeTLS = nil },
		"Verify.IMReceiver":    func(c *Config) { c.Verify.IMReceiver = "carol@jabber.example" },
		"Verify.IMPool":        func(c *Config) { c.Verify.IMPool = "fepool2.contoso.com." },
		"Verify.IMSender":      func(c *Config) { c.Verify.IMSender = "sip:dave@contoso.com" },
	} {
		c := base()
		change(&c)
		if c.digest() == want {
			t.Errorf("%s changes what Resume does or checks, not the digest", name)
		}
	}
	for name, change := range map[string]func(*Config){
		"Timeouts": func(c *Config) { c.Timeouts.Probe = time.Minute },
		"Preflight": func(c *Config) {
			c.Preflight = preflight.Options{CheckReachability: true, AcceptWarnings: []preflight.Check{preflight.CheckPartners}}
		},
		"ReplacedAddresses":              func(c *Config) { c.ReplacedAddresses = []netip.Addr{netip.MustParseAddr("192.0.2.10")} },
		"Logger":                         func(c *Config) { c.Logger = slog.Default() },
		"Verify.ProbeDial":               func(c *Config) { c.Verify.ProbeDial = (&net.Dialer{}).DialContext },
		"Verify.Authoritative.Resolvers": func(c *Config) { c.Verify.Authoritative.Resolvers = []string{"192.0.2.54:53"} },
	} {
		c := base()
		change(&c)
		if c.digest() != want {
			t.Errorf("%s changes the digest: it changes nothing Resume does or checks", name)
		}
	}
}
