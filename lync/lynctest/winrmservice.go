package lynctest

import (
	"fmt"
	"log/slog"
	"strings"
)

// WinRMService is the authentication configuration of every host's WinRM
// service, named after winrm/config/service. Its zero value is what
// `winrm quickconfig` leaves on a Windows Server: Basic off,
// AllowUnencrypted off, Negotiate (NTLM) on, so that over HTTP (5985) only
// NTLM with message encryption (MS-WSMV 2.2.9.1) gets in, and over HTTPS
// (5986) NTLM. Kerberos needs a realm: it is on when Kerberos is set.
type WinRMService struct {
	// Basic enables Basic authentication (winrm/config/service/auth Basic).
	// As on Windows, it then authenticates local accounts only
	// (LocalAccounts): a domain account with Basic gets 401.
	Basic bool
	// AllowUnencrypted lets requests over HTTP travel in clear: Basic over
	// HTTP, and NTLM- or Kerberos-authenticated requests without message
	// encryption. Off, such requests get 401.
	AllowUnencrypted bool
	// DisableNegotiate turns Negotiate (NTLM, and Kerberos inside SPNEGO) off.
	DisableNegotiate bool
	// Kerberos, if set, makes every host accept Kerberos tickets (SPNEGO in
	// the Negotiate or Kerberos scheme) for HTTP/<host fqdn> in its keytab;
	// over HTTP, with message encryption under the AP-REP's subkey.
	Kerberos *KerberosService
	// LocalAccounts are accounts of one host each (workgroup Edge servers),
	// next to the domain accounts of Config.Username and Config.Accounts.
	LocalAccounts []LocalAccount
	// WorkgroupEdge makes the servers of Edge pools workgroup members, as
	// they usually are: they accept their local accounts only, no domain
	// account and no Kerberos.
	WorkgroupEdge bool
}

// KerberosService is a host's Kerberos acceptor.
type KerberosService struct {
	// Keytab is the path of a keytab holding the keys of HTTP/<fqdn>@Realm
	// for the hosts that accept Kerberos.
	Keytab string
	// Realm is the Kerberos realm whose users map to domain accounts: a
	// ticket of user@Realm logs in as the domain account whose user name
	// (without its domain) is user.
	Realm string
}

// LocalAccount is an account of one host. It logs in as "user", ".\user"
// or "HOST\user" (HOST the first label of the host's FQDN). %v and logs show
// its host and user name only.
type LocalAccount struct {
	Host, Username, Password string
}

// String describes the account without its password.
func (a LocalAccount) String() string {
	return fmt.Sprintf("lynctest.LocalAccount{Host: %q, Username: %q, Password: [redacted]}", a.Host, a.Username)
}

// GoString is String.
func (a LocalAccount) GoString() string { return a.String() }

// LogValue logs the host and user name only.
func (a LocalAccount) LogValue() slog.Value {
	return slog.GroupValue(slog.String("host", a.Host), slog.String("username", a.Username))
}

var (
	_ fmt.Stringer   = LocalAccount{}
	_ slog.LogValuer = LocalAccount{}
)

func (s WinRMService) validate(hosts map[string]*Host) error {
	for _, a := range s.LocalAccounts {
		if hosts[normFQDN(a.Host)] == nil {
			return badConfig("local account of unknown host %q", a.Host)
		}
		if a.Username == "" || a.Password == "" || strings.ContainsAny(a.Username, `\@`) {
			return badConfig("local account of %s: user name without domain and a password required", a.Host)
		}
	}
	if k := s.Kerberos; k != nil && (k.Keytab == "" || k.Realm == "") {
		return badConfig("Kerberos needs Keytab and Realm")
	}
	return nil
}

// principal is who a request authenticated as.
type principal struct {
	name string // canonical account name: "CONTOSO\lyncadmin", "EDGE01\admin"
	pass string
}

// splitUser splits "DOMAIN\user" and "user@domain" into user and domain.
func splitUser(s string) (user, domain string) {
	if d, u, ok := strings.Cut(s, `\`); ok {
		return u, d
	}
	if u, d, ok := strings.Cut(s, "@"); ok {
		return u, d
	}
	return s, ""
}

func firstLabel(s string) string {
	l, _, _ := strings.Cut(s, ".")
	return l
}

// workgroup reports whether h is outside the domain.
func (d *Deployment) workgroup(h *Host) bool {
	return d.service.WorkgroupEdge && h.pool != nil && h.pool.role == Edge
}

// ntlmTarget names h in its NTLM CHALLENGEs: a domain member names the
// domain of Config.Username (CONTOSO), a workgroup host itself.
func (d *Deployment) ntlmTarget(h *Host) ntlmTarget {
	short, dns, _ := strings.Cut(h.fqdn, ".")
	tg := ntlmTarget{domain: short, dnsDomain: h.fqdn, computer: short, dnsComputer: h.fqdn, workgroup: true}
	if d.workgroup(h) {
		return tg
	}
	if _, dom := splitUser(d.user); dom != "" {
		tg.domain, tg.dnsDomain, tg.workgroup = firstLabel(dom), dns, false
	}
	return tg
}

// localAccount finds the local account of h that user (with domain as the
// client wrote it: "", "." or h's name) names.
func (d *Deployment) localAccount(h *Host, user, domain string) (principal, bool) {
	short := firstLabel(h.fqdn)
	if domain != "" && domain != "." && !strings.EqualFold(domain, short) && !strings.EqualFold(domain, h.fqdn) {
		return principal{}, false
	}
	for _, a := range d.service.LocalAccounts {
		if normFQDN(a.Host) == h.fqdn && strings.EqualFold(a.Username, user) {
			return principal{name: strings.ToUpper(short) + `\` + a.Username, pass: a.Password}, true
		}
	}
	return principal{}, false
}

// domainAccount finds the domain account user@domain, where domain is a
// NetBIOS or DNS domain name ("CONTOSO", "contoso.com"), unless h is in a
// workgroup.
func (d *Deployment) domainAccount(h *Host, user, domain string) (principal, bool) {
	if d.workgroup(h) {
		return principal{}, false
	}
	for _, a := range d.accounts {
		u, dom := splitUser(a.Username)
		if strings.EqualFold(u, user) && strings.EqualFold(firstLabel(dom), firstLabel(domain)) {
			return principal{name: a.Username, pass: a.Password}, true
		}
	}
	return principal{}, false
}

// account finds the account a client names as user and domain: a local
// account when the domain is empty, "." or the host's own name, else a
// domain account.
func (d *Deployment) account(h *Host, user, domain string) (principal, bool) {
	if p, ok := d.localAccount(h, user, domain); ok {
		return p, true
	}
	return d.domainAccount(h, user, domain)
}

// configureService checks and keeps the WinRM service configuration.
func (d *Deployment) configureService(s WinRMService) error {
	if err := s.validate(d.hostByName); err != nil {
		return err
	}
	d.service = s
	d.service.LocalAccounts = append([]LocalAccount(nil), s.LocalAccounts...)
	if s.Kerberos != nil {
		ka, err := loadKerberos(s.Kerberos)
		if err != nil {
			return err
		}
		d.krb = ka
	}
	return nil
}

// AuthCounters counts the logins of a host and its encrypted messages.
type AuthCounters struct {
	Handshakes   int // NTLM CHALLENGEs sent: one per connection that logs in
	NTLM         int // NTLM logins (AUTHENTICATE verified)
	Kerberos     int // Kerberos tickets accepted (over HTTP: one login per connection)
	Basic        int // Basic logins of local accounts
	Sealed       int // requests that came encrypted and unsealed
	SealFailures int // encrypted requests refused: bad framing, signature or length
	Unencrypted  int // requests refused for coming in clear over HTTP
	MediaRefused int // requests refused with 415: a body neither SOAP nor multipart/encrypted
}

func (c *AuthCounters) add(o AuthCounters) {
	c.Handshakes += o.Handshakes
	c.NTLM += o.NTLM
	c.Kerberos += o.Kerberos
	c.Basic += o.Basic
	c.Sealed += o.Sealed
	c.SealFailures += o.SealFailures
	c.Unencrypted += o.Unencrypted
	c.MediaRefused += o.MediaRefused
}
