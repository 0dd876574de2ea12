package lynctest

import (
	"crypto/sha1"
	"fmt"
	"strings"
	"time"

	"github.com/xmppfed/edgefailover/internal/dnsname"
)

// FederationConfig is the federation side of a fake deployment
// (Config.Federation): Edge certificates, the Access Edge configuration,
// XMPP partners, the version the topology reports, and what the management
// host can reach. The zero value is a fresh deployment as Topology Builder
// leaves it: federation off, no partners, each Edge server with a valid
// AccessEdgeExternal certificate for its pool's Access Edge external FQDN
// only.
type FederationConfig struct {
	// Certificates, by Edge server FQDN, replace that server's default
	// certificates (Get-CsCertificate).
	Certificates map[string][]Certificate
	// AllowFederatedUsers is AllowFederatedUsers of the global Access Edge
	// configuration (Get-CsAccessEdgeConfiguration). Default false.
	AllowFederatedUsers bool
	// Partners are the XMPP allowed partners (Get-CsXmppAllowedPartner).
	Partners []XmppPartner
	// Version is the Version every service of the topology reports
	// (Get-CsService). Default: 6 for Lync2013, 7 for SfB2015. 8 stands for
	// Skype for Business Server 2019 (assumed; unconfirmed).
	Version int
	// Unreachable lists "host:port" pairs the hosts cannot connect to (a
	// firewall between Front End and Edge). Everything else is reachable
	// when it is an Edge server or pool internal FQDN on 23456 or a host of
	// the deployment on 5985/5986; any other port is refused.
	Unreachable []string
}

// Certificate is one Lync certificate of an Edge server.
type Certificate struct {
	// Use is the CertType, e.g. "AccessEdgeExternal" (default).
	Use string
	// Subject and Issuer are distinguished names; defaults "CN=<first
	// alternative name>" and "CN=lynctest Public CA, O=lynctest".
	Subject, Issuer string
	// AlternativeNames are the subject alternative names (DNS names).
	AlternativeNames []string
	// NotBefore and NotAfter default to the deployment's start minus 30
	// days and plus 365 days.
	NotBefore, NotAfter time.Time
}

// XmppPartner is one XMPP allowed partner.
type XmppPartner struct {
	Domain            string
	AdditionalDomains []string
	// PartnerType defaults to "PublicVerified"; TlsNegotiation and
	// SaslNegotiation to "Optional".
	PartnerType, ProxyFqdn, TlsNegotiation, SaslNegotiation string
	// Dialback is SupportDialbackNegotiation.
	Dialback bool
}

// federation is the mutable federation state; guarded by Deployment.mu.
type federation struct {
	certs       map[string][]Certificate // by server FQDN
	allowFed    bool
	partners    []XmppPartner
	version     int
	unreachable map[string]bool
}

// newFederation validates c and fills in the defaults. Call after
// buildTopology.
func (d *Deployment) newFederation(c FederationConfig) (*federation, error) {
	f := &federation{certs: map[string][]Certificate{}, allowFed: c.AllowFederatedUsers,
		version: c.Version, unreachable: map[string]bool{}}
	if f.version == 0 {
		f.version = versionNumber(d.product)
	}
	if f.version < 0 {
		return nil, badConfig("negative topology version")
	}
	for _, p := range d.pools {
		if p.role != Edge {
			continue
		}
		for _, s := range p.servers {
			f.certs[s] = []Certificate{{AlternativeNames: []string{p.accessEdge}}}
		}
	}
	for host, certs := range c.Certificates {
		h := normFQDN(host)
		if hs := d.hostByName[h]; hs == nil || hs.pool == nil || hs.pool.role != Edge {
			return nil, badConfig("certificates for %q, which is not an Edge server", host)
		}
		f.certs[h] = append([]Certificate(nil), certs...)
	}
	for h, certs := range f.certs {
		for i := range certs {
			if err := d.fillCertificate(&certs[i]); err != nil {
				return nil, badConfig("certificate %d of %s: %v", i+1, h, err)
			}
		}
	}
	if err := setPartners(f, c.Partners); err != nil {
		return nil, err
	}
	for _, hp := range c.Unreachable {
		f.unreachable[strings.ToLower(hp)] = true
	}
	return f, nil
}

func (d *Deployment) fillCertificate(c *Certificate) error {
	if c.Use == "" {
		c.Use = "AccessEdgeExternal"
	}
	names := make([]string, len(c.AlternativeNames))
	for i, n := range c.AlternativeNames {
		names[i] = strings.ToLower(n)
	}
	c.AlternativeNames = names
	if c.Subject == "" && len(names) > 0 {
		c.Subject = "CN=" + names[0]
	}
	if c.Issuer == "" {
		c.Issuer = "CN=lynctest Public CA, O=lynctest"
	}
	if c.NotBefore.IsZero() {
		c.NotBefore = d.start.Add(-30 * 24 * time.Hour)
	}
	if c.NotAfter.IsZero() {
		c.NotAfter = d.start.Add(365 * 24 * time.Hour)
	}
	if c.NotAfter.Before(c.NotBefore) {
		return fmt.Errorf("NotAfter before NotBefore")
	}
	return nil
}

func setPartners(f *federation, ps []XmppPartner) error {
	out := make([]XmppPartner, len(ps))
	for i, p := range ps {
		dom, err := dnsname.ParseFQDN(p.Domain)
		if err != nil {
			return badConfig("XMPP partner %d: %v", i+1, err)
		}
		p.Domain = dom
		if p.PartnerType == "" {
			p.PartnerType = "PublicVerified"
		}
		if p.TlsNegotiation == "" {
			p.TlsNegotiation = "Optional"
		}
		if p.SaslNegotiation == "" {
			p.SaslNegotiation = "Optional"
		}
		out[i] = p
	}
	f.partners = out
	return nil
}

// SetCertificates replaces the Lync certificates of an Edge server, as an
// administrator's Set-CsCertificate would (defaults as in Config).
func (d *Deployment) SetCertificates(server string, certs ...Certificate) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	h := d.hostByName[normFQDN(server)]
	if h == nil || h.pool == nil || h.pool.role != Edge {
		return badConfig("%q is not an Edge server", server)
	}
	list := append([]Certificate(nil), certs...)
	for i := range list {
		if err := d.fillCertificate(&list[i]); err != nil {
			return badConfig("certificate %d: %v", i+1, err)
		}
	}
	d.fed.certs[h.fqdn] = list
	return nil
}

// SetAllowFederatedUsers sets AllowFederatedUsers of the global Access
// Edge configuration.
func (d *Deployment) SetAllowFederatedUsers(on bool) {
	d.mu.Lock()
	d.fed.allowFed = on
	d.mu.Unlock()
}

// SetXmppPartners replaces the XMPP allowed partners.
func (d *Deployment) SetXmppPartners(ps ...XmppPartner) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	return setPartners(d.fed, ps)
}

// SetVersion sets the Version every service of the topology reports (8:
// Skype for Business Server 2019, assumed); 0 restores the product's.
func (d *Deployment) SetVersion(v int) {
	if v <= 0 {
		v = versionNumber(d.product)
	}
	d.mu.Lock()
	d.fed.version = v
	d.mu.Unlock()
}

// SetReachable makes host:port reachable (true) or unreachable (false)
// from every host of the deployment.
func (d *Deployment) SetReachable(host string, port int, reachable bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	key := fmt.Sprintf("%s:%d", normFQDN(host), port)
	if reachable {
		delete(d.fed.unreachable, key)
	} else {
		d.fed.unreachable[key] = true
	}
}

// thumbprint is a stable SHA-1 over the certificate's fields, upper-case
// hex like Windows shows it.
func thumbprint(host string, c Certificate) string {
	sum := sha1.Sum([]byte(host + "|" + c.Use + "|" + c.Subject + "|" + strings.Join(c.AlternativeNames, ",") +
		"|" + c.NotAfter.UTC().String()))
	return strings.ToUpper(fmt.Sprintf("%x", sum))
}
