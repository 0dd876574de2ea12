// Command drill runs a whole XMPP federation failover and failback against
// the in-process lab of package failovertest: a simulated Lync/Skype for
// Business deployment (WinRM hosts, two Edge pools in two sites), its DNS
// (three authoritative name servers) and the pools' XMPP listeners on 5269.
// Nothing leaves 127.0.0.1.
//
// With no flags it:
//
//  1. builds the lab and "kills" the source pool edgepool1.contoso.com: every
//     Lync service of its servers stops behind the SDK's back (Lab.FailPool), as in a real
//     outage, so remote XMPP servers can no longer reach contoso.com;
//  2. builds the failover plan to edgepool2.contoso.com from live state and
//     prints it (the dry run), proving with a lab snapshot that the dry run
//     changed nothing;
//  3. applies it with live progress (elapsed, step, event, server), then
//     verifies: route, replication, services, DNS on every name server, and
//     the remote view of every SIP domain reaching the new pool over STARTTLS;
//  4. recovers the source pool and fails back with a plan computed from live
//     state: the A record of xmpp.contoso.com points at pool 1 (192.0.2.10)
//     again, where Microsoft's failback page copies the pool 2 address;
//  5. prints a summary: the XMPP outage window measured from the events (first
//     change to the remote view verified), the steps, what was verified.
//
// Usage:
//
//	go run ./examples/drill [-fault NAME] [-strategy runbook|rolling]
//	    [-servers N] [-latency none|realistic] [-scale F] [-json] [-q]
//
// A -fault is injected after the plan is printed and before it is applied:
// the drill then fails, Apply undoes what it did newest first, and the drill
// compares the lab with its state before Apply (routes, services, replicas,
// RRsets, listeners) to print "rolled back, lab restored: yes". A preflight
// fault (missing-san, expired-cert, expiring-cert, federation-off,
// no-partners, sfb2019, port-23456) is injected before the plan is built:
// failover.New refuses it with its findings, and the drill shows that
// nothing changed.
//
// Exit codes: 0 the drill passed (failover and failback applied and
// verified); 1 the drill failed (a step failed: rolled back or inconsistent,
// or the lab could not start); 2 bad flags.
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
