// Command failover fails XMPP federation over to another Lync Server 2013 /
// Skype for Business Server 2015 Edge pool, in a real deployment, from a
// JSON config file. It is the program an admin adapts.
//
// Usage:
//
//	failover -config FILE [-failback] [-json]                 # dry run: print the plan
//	failover -config FILE -apply [-yes] [-failback] [-json]   # apply it, with a journal
//	failover resume   -config FILE [-failback] [-yes] [-json] # finish an apply that a crash interrupted
//	failover rollback -config FILE [-failback] [-yes] [-json] # undo what the journal says was done
//
// The config file (see README.md and config.sample.json in this folder)
// names the management host's WinRM endpoint, how to reach the Edge servers,
// the site and pools, the SIP domains and their zones with the DNS provider
// (RFC 2136 with TSIG or GSS-TSIG, or a libdns provider registered in
// providers.go), the federation host, SRV policy, TTLs, strategy, timeouts
// and how to verify. It never holds a secret: the WinRM password and the DNS
// secrets come from the environment variables the file names, or from a
// prompt after every file is loaded (echo off on a terminal, any OS; one line
// of stdin otherwise, an empty one being bad input). A file that holds a
// password or secret in clear is refused.
//
// The dry run ends with each zone's DNS guarantees (conditional, atomic).
// -v logs each connection attempt (host, scheme, elapsed, outcome).
//
// Without -apply nothing changes: the program builds the plan from live state
// (read-only cmdlets and DNS queries) and prints it. With -apply it asks for
// confirmation (unless -yes), records every step in a journal (file named by
// -journal, the file's "journal" member, or FILE.journal; with -failback, the
// member's value or FILE.journal with ".failback" appended), applies,
// verifies, and undoes everything on failure. After a crash, `resume`
// finishes the apply and `rollback` undoes it, from the journal, taking over
// the lock the dead process left.
//
// Exit codes: 0 done (plan printed, applied, resumed or rolled back);
// 1 failed before changing anything (the plan could not be built, or the
// journal's apply has ended); 2 bad input (flags, config file, missing
// secret): nothing was sent; 3 not confirmed: nothing was changed; 4 the
// apply failed and every change was undone: the deployment is as before;
// 5 inconsistent: an undo failed, or the journal's apply was rolling back
// (a resume refuses it): clear the cause, then run rollback.
package main

import (
	"context"
	"io"
	"os"
	"os/signal"

	"github.com/xmppfed/edgefailover/examples/internal/setup"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	a := &app{stdin: os.Stdin, env: os.LookupEnv}
	code := a.run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// app is one run's outside world.
type app struct {
	stdin io.Reader // nil: no prompt possible
	env   setup.Env
}
