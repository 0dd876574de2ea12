package setup

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"time"

	"github.com/xmppfed/edgefailover/lync/winrm"
	"github.com/xmppfed/edgefailover/xmppdns"
)

// WinRM says how to reach the WinRM service of Windows hosts. For the
// management host Host is its FQDN; for Edge servers Host is a template in
// which {fqdn} is the server's FQDN from the topology and {name} its first
// label (default "{fqdn}").
type WinRM struct {
	Host string `json:"host"`
	Port int    `json:"port,omitempty"` // default 5986 (HTTPS) or 5985 (plain_http)
	// PlainHTTP selects http:// (5985): with auth ntlm or kerberos every
	// message is encrypted; basic travels unencrypted and needs
	// AllowUnencrypted too (labs only).
	PlainHTTP        bool           `json:"plain_http,omitempty"`
	AllowUnencrypted bool           `json:"allow_unencrypted,omitempty"`
	CAFile           string         `json:"ca_file,omitempty"`     // PEM roots for the host's certificate; default: system roots
	ServerName       string         `json:"server_name,omitempty"` // name checked in the certificate; default the host
	Auth             string         `json:"auth,omitempty"`        // basic (default), ntlm, kerberos
	Kerberos         *WinRMKerberos `json:"kerberos,omitempty"`
	// Addresses map a host name to the "ip:port" to connect to instead of
	// resolving it (like curl --resolve): jump hosts, NAT, labs.
	Addresses        map[string]string `json:"addresses,omitempty"`
	OperationTimeout Duration          `json:"operation_timeout,omitempty"` // WS-Man long poll; default 60s
}

// WinRMKerberos configures "auth": "kerberos" (a domain account; see
// winrm.Kerberos).
type WinRMKerberos struct {
	Realm      string `json:"realm"`
	ConfigPath string `json:"config_path"`
	CCachePath string `json:"ccache_path,omitempty"`
	SPN        string `json:"spn,omitempty"`
}

// Credentials name the WinRM account. The password comes from the
// environment variable PasswordEnv or a prompt, never from the file.
type Credentials struct {
	Username    string `json:"username,omitempty"`     // e.g. CONTOSO\lyncadmin; EDGE01\admin for a local account
	UsernameEnv string `json:"username_env,omitempty"` // or the variable holding it
	PasswordEnv string `json:"password_env"`           // e.g. EDGEFAILOVER_WINRM_PASSWORD
}

// Resolve reads the credentials through c.
func (cr Credentials) Resolve(ctx context.Context, c *Console) (winrm.Credentials, error) {
	user := cr.Username
	if user == "" && cr.UsernameEnv != "" && c.Env != nil {
		user, _ = c.Env(cr.UsernameEnv)
	}
	if user == "" {
		return winrm.Credentials{}, fmt.Errorf("credentials: username (or username_env naming a set variable) is required")
	}
	if cr.PasswordEnv == "" {
		return winrm.Credentials{}, fmt.Errorf("credentials: password_env is required: the name of the environment variable holding the password")
	}
	pw, err := c.Secret(ctx, cr.PasswordEnv, "WinRM password for "+user)
	if err != nil {
		return winrm.Credentials{}, err
	}
	return winrm.Credentials{Username: user, Password: winrm.Password(pw)}, nil
}

// ParseHost validates a host name (FQDN, with or without the trailing dot)
// and returns it in lower case without the trailing dot, the form lync and
// edge take.
func ParseHost(s string) (string, error) {
	n, err := xmppdns.ParseHost(s)
	if ie := (*xmppdns.InputError)(nil); errors.As(err, &ie) {
		return "", errors.New(ie.Reason) // the reason alone: the caller names the field
	}
	return strings.TrimSuffix(n, "."), err
}

// Check validates w; template says whether Host is a template.
func (w WinRM) Check(template bool) error {
	host := w.Host
	if template {
		if host == "" {
			host = "{fqdn}"
		}
		host = strings.NewReplacer("{fqdn}", "edge.example.com", "{name}", "edge").Replace(host)
	}
	if _, err := ParseHost(host); err != nil {
		return fmt.Errorf("host %q: %v", w.Host, err)
	}
	if w.Port < 0 || w.Port > 65535 {
		return fmt.Errorf("port %d out of range", w.Port)
	}
	auth, err := w.auth()
	if err != nil {
		return err
	}
	if w.PlainHTTP && !w.AllowUnencrypted && w.Auth == "" {
		return fmt.Errorf("plain_http: say how: auth ntlm or kerberos (every message encrypted, what a default Windows host accepts) or allow_unencrypted (labs only)")
	}
	if w.PlainHTTP && !w.AllowUnencrypted && auth != winrm.AuthNTLM && auth != winrm.AuthKerberos {
		return fmt.Errorf("plain_http with auth %s sends scripts (and a Basic password) unencrypted: use auth ntlm or kerberos, which encrypt, or HTTPS, or set allow_unencrypted (labs only)", auth)
	}
	for h, a := range w.Addresses {
		if _, err := ParseHost(h); err != nil {
			return fmt.Errorf("addresses: %q: %v", h, err)
		}
		if err := CheckServer(a); err != nil || !strings.Contains(a, ":") {
			return fmt.Errorf("addresses[%s]: %q is not host:port", h, a)
		}
	}
	return nil
}

// LoadFiles reads the files w names (the CA file), so that a program can
// fail on a bad path before it asks for a secret.
func (w WinRM) LoadFiles() error {
	if w.CAFile == "" {
		return nil
	}
	if _, err := LoadCertPool(w.CAFile); err != nil {
		return fmt.Errorf("ca_file: %v", err)
	}
	return nil
}

func (w WinRM) auth() (winrm.AuthMethod, error) {
	switch strings.ToLower(w.Auth) {
	case "", "ntlm", "negotiate":
		return winrm.AuthNTLM, nil
	case "basic":
		return winrm.AuthBasic, nil
	case "kerberos":
		if w.Kerberos == nil || w.Kerberos.Realm == "" {
			return 0, fmt.Errorf("auth kerberos needs a kerberos member (realm, config_path)")
		}
		return winrm.AuthKerberos, nil
	}
	return 0, fmt.Errorf("auth %q: use ntlm, kerberos or basic", w.Auth)
}

// Endpoint returns the lync endpoint of host (the FQDN of the management
// host, or of an Edge server to put in the template).
func (w WinRM) Endpoint(fqdn string, template bool, cred winrm.Credentials) (winrm.Endpoint, error) {
	host := fqdn
	if template {
		t := w.Host
		if t == "" {
			t = "{fqdn}"
		}
		name, _, _ := strings.Cut(fqdn, ".")
		host = strings.NewReplacer("{fqdn}", fqdn, "{name}", name).Replace(t)
	}
	name, err := ParseHost(host)
	if err != nil {
		return winrm.Endpoint{}, fmt.Errorf("host %q: %v", host, err)
	}
	host = name
	auth, err := w.auth()
	if err != nil {
		return winrm.Endpoint{}, err
	}
	ep := winrm.Endpoint{
		Host: host, Port: w.Port, PlainHTTP: w.PlainHTTP, AllowUnencrypted: w.AllowUnencrypted,
		Auth: auth, Credentials: cred, OperationTimeout: time.Duration(w.OperationTimeout),
		TLS: winrm.TLSConfig{ServerName: w.ServerName},
	}
	if w.CAFile != "" {
		pool, err := LoadCertPool(w.CAFile)
		if err != nil {
			return winrm.Endpoint{}, err
		}
		ep.TLS.RootCAs = pool
	}
	if k := w.Kerberos; k != nil {
		ep.Kerberos = &winrm.Kerberos{Realm: k.Realm, ConfigPath: k.ConfigPath, CCachePath: k.CCachePath, SPN: k.SPN}
	}
	if addr, ok := lookupFold(w.Addresses, host); ok {
		var d net.Dialer
		ep.Dial = func(ctx context.Context, network, _ string) (net.Conn, error) {
			return d.DialContext(ctx, network, addr)
		}
	}
	return ep, nil
}

func lookupFold(m map[string]string, host string) (string, bool) {
	for k, v := range m {
		if xmppdns.SameName(k, host) {
			return v, true
		}
	}
	return "", false
}

// LoadCertPool reads PEM certificates from path.
func LoadCertPool(path string) (*x509.CertPool, error) {
	pem, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("%s: no PEM certificate", path)
	}
	return pool, nil
}

func timeDuration(d Duration) time.Duration { return time.Duration(d) }
