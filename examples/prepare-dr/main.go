// Command prepare-dr prepares DNS for an Edge pool failover ahead of time:
// it writes the prioritized SRV set of the runbook's disaster-recovery tip
// (one _xmpp-server._tcp record per Edge pool's federation host, each with
// its own priority, the pool that hosts federation now first) for every SIP
// domain, and can lower the TTLs of those SRV sets and of the federation
// hosts' A/AAAA records ahead of a maintenance window, so that a repoint
// reaches remote servers quickly.
//
// Note that SRV priorities alone do not fail XMPP over (Lync 2013's Edge DR
// page says inbound and outbound XMPP both fail while the designated pool is
// down): the route must still be repointed, which examples/failover does.
//
// Usage:
//
//	prepare-dr -server NS:PORT -key-name KEY -domains contoso.com=contoso.com. \
//	    -targets xmpp1.contoso.com,xmpp2.contoso.com [-ttl 60s] [-hosts xmpp.contoso.com] [-apply] [-json]
//	prepare-dr -config prepare-dr.json [-apply] [-json] [-timeout 2m]
//
// The config file (prepare-dr.sample.json in this folder) uses the members
// of examples/failover: "dns_providers" (rfc2136 with "auth": "tsig" or
// "gss-tsig", or a type registered in providers.go) and "domains" naming
// each one's zone and provider; the single "dns_provider" of earlier
// versions is still read, with a deprecation warning. Secrets come from the
// environment variables the file (or -secret-env, default
// EDGEFAILOVER_TSIG_SECRET) names, never from a flag or the file. Dry run
// by default: the changes are printed with what each zone's provider
// guarantees, and nothing is written; -apply writes them (with rfc2136, one
// atomic, conditional UPDATE per zone) and reads them back. -timeout bounds
// the whole run.
//
// Exit codes: 0 done (dry run printed, or applied); 1 a DNS read or write
// failed; 2 bad input (flags, config, a missing or malformed secret, a
// negative TTL): nothing was sent.
package main

import (
	"context"
	"os"
	"os/signal"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
