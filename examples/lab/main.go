// Command lab runs the failovertest lab as a deployment you can talk to:
// a simulated Lync/Skype for Business deployment (WinRM hosts over HTTPS
// with a generated CA, a Front End and two Edge pools in two sites), its
// DNS (three authoritative name servers taking TSIG-signed updates) and
// the pools' XMPP listeners on 5269, all on 127.0.0.1, so that the real
// examples/failover, examples/check and examples/prepare-dr can be
// rehearsed against it exactly as they will be run in production.
//
// Usage:
//
//	lab [-dir DIR] [-servers N] [-latency realistic|none] [-scale F]
//	    [-kill-source] [-fault NAME]...          # start, write the files, stay up until interrupted
//	lab -dir DIR kill-source                     # from a second terminal: stop every service of the source pool
//	lab -dir DIR recover-source                  # start them again
//	lab -dir DIR fault NAME                      # inject one of the drill's faults
//	lab -dir DIR clear                           # end every injected fault
//	lab -dir DIR status                          # routes, listeners, the federation A record
//
// Started, it writes into DIR (default ./lab): failover.json (the config of
// examples/failover, HTTPS with ca_file, NTLM, the lab's name servers
// and listeners), prepare-dr.json, check.args (the flags of examples/check,
// one a line, for $(cat DIR/check.args)), winrm-ca.pem and xmpp-ca.pem, and
// env.sh with the two secrets as environment variables
// (EDGEFAILOVER_WINRM_PASSWORD, EDGEFAILOVER_TSIG_SECRET), as in
// production: no file holds a secret, except env.sh (mode 0600), which the
// programs never read. It also writes control.json (mode 0600): the
// loopback address and a random token through which the subcommands reach
// the running lab.
//
// The lab is made up at every start (new ports, new credentials, new
// keys): source the new env.sh after each start.
//
// Exit codes: 0 stopped by an interrupt, or a subcommand done; 1 the lab
// could not start, or a subcommand failed; 2 bad flags.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
