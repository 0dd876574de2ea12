package setup

import (
	"context"
	"slices"
	"strings"

	"github.com/xmppfed/edgefailover/xmppdns"
)

// A Constructor builds a provider of a registered type from the
// "settings" member of its entry in "dns_providers". It reads secrets
// through c (c.Secret(ctx, "CLOUDFLARE_API_TOKEN", "Cloudflare API
// token")), never from settings, and sends nothing.
type Constructor func(ctx context.Context, settings map[string]any, c *Console) (xmppdns.Provider, error)

// Registry holds the DNS provider types a program accepts besides the
// built-in "rfc2136", by the name used in "type". A program builds its own
// (there is no global registry) and passes it to DNSProvider.Check and
// Provider.
//
// To plug in any libdns provider, add its module and a few lines where the
// program builds its registry (examples/failover/providers.go,
// examples/prepare-dr/providers.go):
//
//	reg["cloudflare"] = func(ctx context.Context, s map[string]any, c *setup.Console) (xmppdns.Provider, error) {
//		tok, err := c.Secret(ctx, setup.String(s, "api_token_env"), "Cloudflare API token")
//		if err != nil {
//			return nil, err
//		}
//		return &cloudflare.Provider{APIToken: tok}, nil
//	}
//
// and name it in the config: "dns_providers": {"cf": {"type":
// "cloudflare", "settings": {"api_token_env": "CLOUDFLARE_API_TOKEN"}}}.
// The dry run then states what such a provider guarantees (most are
// neither conditional nor atomic: see docs/dns-setup.md).
type Registry map[string]Constructor

// known lists the accepted types for an error message.
func (r Registry) known() string {
	names := []string{"rfc2136"}
	for n := range r {
		names = append(names, n)
	}
	slices.Sort(names[1:])
	return strings.Join(names, ", ")
}

// String returns the string member key of settings ("" if absent or not a
// string), for constructors.
func String(settings map[string]any, key string) string {
	s, _ := settings[key].(string)
	return s
}
