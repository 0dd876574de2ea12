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
//	prepare-dr -config prepare-dr.json [-apply] [-json]
//
// The TSIG secret comes from the environment variable named by -secret-env
// (default EDGEFAILOVER_TSIG_SECRET), never from a flag or the file. Dry run
// by default: the changes are printed and nothing is written; -apply writes
// them (one atomic, conditional UPDATE per zone) and reads them back.
//
// Exit codes: 0 done (dry run printed, or applied); 1 a DNS read or write
// failed; 2 bad input (nothing was sent).
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
