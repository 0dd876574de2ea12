package setup

import (
	"context"
	"fmt"
	"net"

	"github.com/xmppfed/edgefailover/xmppdns/rfc2136"
)

// DNSProvider is a DNS provider in a config file. Only RFC 2136 dynamic
// update with TSIG is built in; the secret comes from the environment
// variable SecretEnv or a prompt, never from the file.
type DNSProvider struct {
	Type      string   `json:"type"`                // "rfc2136"
	Server    string   `json:"server"`              // primary server, "host:port" or "host" (port 53)
	Net       string   `json:"net,omitempty"`       // "", "tcp" or "udp" (see rfc2136.Provider.Net)
	KeyName   string   `json:"key_name"`            // TSIG key name, e.g. "xmpp-update."
	Algorithm string   `json:"algorithm,omitempty"` // hmac-sha256 (default), hmac-sha384, hmac-sha512
	SecretEnv string   `json:"secret_env"`          // environment variable holding the base64 TSIG secret
	Timeout   Duration `json:"timeout,omitempty"`   // per exchange; default rfc2136.DefaultTimeout
}

// Check validates the fields that need no secret.
func (p DNSProvider) Check() error {
	switch {
	case p.Type != "rfc2136":
		return fmt.Errorf("type %q: only \"rfc2136\" is supported", p.Type)
	case p.Server == "":
		return fmt.Errorf("server is required")
	case p.KeyName == "":
		return fmt.Errorf("key_name is required")
	case p.SecretEnv == "":
		return fmt.Errorf("secret_env is required: the name of the environment variable holding the TSIG secret")
	}
	if _, _, err := net.SplitHostPort(p.Server); err != nil && net.ParseIP(p.Server) == nil {
		if _, err := ParseHost(p.Server); err != nil {
			return fmt.Errorf("server %q: %v", p.Server, err)
		}
	}
	switch p.Algorithm {
	case "", "hmac-sha256", "hmac-sha384", "hmac-sha512":
	default:
		return fmt.Errorf("algorithm %q: use hmac-sha256, hmac-sha384 or hmac-sha512", p.Algorithm)
	}
	return nil
}

// Provider builds the rfc2136 provider, reading the secret through c.
func (p DNSProvider) Provider(ctx context.Context, c *Console) (*rfc2136.Provider, error) {
	if err := p.Check(); err != nil {
		return nil, err
	}
	secret, err := c.Secret(ctx, p.SecretEnv, "TSIG secret of key "+p.KeyName)
	if err != nil {
		return nil, err
	}
	return &rfc2136.Provider{
		Server: p.Server, Net: p.Net, KeyName: p.KeyName, Algorithm: p.Algorithm,
		Secret: rfc2136.Secret(secret), Timeout: timeDuration(p.Timeout),
	}, nil
}
