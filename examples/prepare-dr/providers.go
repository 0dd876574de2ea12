package main

import "github.com/xmppfed/edgefailover/examples/internal/setup"

// providers returns the DNS provider types this program accepts besides
// the built-in "rfc2136". Add a libdns provider here in a few lines (see
// setup.Registry for an example with cloudflare) and name its type in
// dns_providers.
func providers() setup.Registry {
	return setup.Registry{}
}
