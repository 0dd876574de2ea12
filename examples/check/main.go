// Command check reports the health of XMPP federation for a set of SIP
// domains, for people and for monitoring systems:
//
//   - the remote view: each domain resolved as a remote XMPP server would
//     (RFC 6120 §3.2, through -resolvers), and its first answering candidate
//     probed on 5269: XMPP stream features, STARTTLS, a certificate that
//     covers the domain and chains to the roots (-ca-file or the system's);
//   - DNS on every authoritative server: the SRV set each domain publishes
//     and the A/AAAA records of its targets, asked of every name server of
//     the zone directly (RD=0), which must all agree with the resolvers;
//   - optionally, expectations: every SRV target is -expect-host, and the
//     address that answered is one of -expect-addr (the pool that should
//     host federation);
//   - with management access (-mgmt, -site, -expect-pool): the site's XMPP
//     route is EdgeServer:<pool>, and every server of the pool runs all its
//     Lync services with an up-to-date CMS replica.
//
// Usage:
//
//	check -domains contoso.com,fabrikam.com [-resolvers ip:port,...] [-ns host=ip:port,...]
//	    [-expect-host xmpp.contoso.com] [-expect-addr 192.0.2.20] [-probe-from DOMAIN]
//	    [-ca-file PEM] [-timeout 30s] [-json] [-v]
//	    [-mgmt fe01.contoso.com -user 'CONTOSO\lyncadmin' -site Site2 -expect-pool edgepool2.contoso.com]
//	    [-mgmt-auth basic|ntlm|kerberos -mgmt-realm CONTOSO.COM]
//
// Independent checks (each domain's remote view and SRV set, the SRV
// targets' addresses, the route, each server's services and replica) run
// concurrently, each within its own -timeout budget, and each is reported
// ok, FAIL, or NOT RUN with the reason (a check it depends on failed, or
// an interrupt). Bad input (a resolver that is not ip:port, an -ns
// override that is not host=ip:port, a missing password...) is refused
// before anything is sent.
//
// The WinRM password comes from the environment variable named by
// -password-env (default EDGEFAILOVER_WINRM_PASSWORD), never from a flag.
// Nothing is changed: every check only reads.
//
// Exit codes: 0 healthy (every check passed); 1 unhealthy (a check failed:
// a finding, listed); 2 bad input or usage (nothing was sent); 3
// interrupted before every check ran, none failed.
//
// The code lives in examples/internal/checkcmd so that the rehearsal test
// of examples/failover runs it too.
package main

import (
	"context"
	"os"
	"os/signal"

	"github.com/xmppfed/edgefailover/examples/internal/checkcmd"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := checkcmd.Run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
