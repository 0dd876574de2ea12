// Package xmppdns manages and verifies the DNS records of XMPP federation for
// Lync Server 2013 / Skype for Business Server 2015 Edge pools: runbook steps
// 4 (the A/AAAA records of the federation host) and 5 (the SRV records
// _xmpp-server._tcp.<domain> on port 5269), and the runbook's disaster
// recovery tip (an SRV record for every Edge pool, each with its own
// priority).
//
// # Writing: Zone
//
// A [Zone] is a zone name plus any libdns provider
// (github.com/libdns/libdns v1.1). Changes are values: [Zone.Plan] reads the
// RRsets that desired states ([SRVSet], [AddrSet], a raw [RRset]) name and
// returns a [Change], a diff that prints in dnscontrol style and marshals to
// JSON; [Zone.Apply] writes it. [Zone.SetSRV] and [Zone.SetAddrs] plan and
// apply in one call. Every write is checked against the values the plan read,
// atomically when the provider can write conditionally (no lost update:
// [ErrConflict]), and followed by a read-back (a provider that claims success
// without holding the records gives [ErrNotApplied]). All the
// RRsets of one change go to the provider in one write when it can: one
// SetRecords, or one conditional batch for providers that implement
// [BatchConditionalSetter] (the rfc2136 provider: one UPDATE per zone).
// [Zone.Undo] reverts what of a change the zone still holds, leaving alone
// (and reporting) RRsets someone changed since. [Zone.Snapshot] and
// [Zone.Restore] save and put back exactly the RRsets a change touches;
// [Change.Before] is that snapshot.
//
// # Guarantees per provider
//
// What a write promises depends on the provider, and [Zone.Guarantees]
// says it as data before anything is sent ([Guarantees]: conditional, i.e.
// no lost update; atomic, i.e. one message), with a sentence a dry run can
// print per zone. The rfc2136 provider is both. Third-party libdns
// providers (cloudflare, route53, digitalocean, libdns/rfc2136) implement
// no optional interface: with them a write is read-compare-write, so a
// change landing between the check and the write is overwritten, and it
// takes several calls. Apply then orders them so that a failure between
// calls leaves federation reachable: records are added first (with
// libdns.RecordAppender, each RRset briefly holds old and new records),
// RRsets are replaced next, RRsets that go away are deleted last. A failure
// that left part of the change is a [PartialError] saying what each RRset
// holds.
//
// Input is validated before anything is sent, with an [InputError]: names
// outside the zone, a domain too long for its SRV owner name (255 octets),
// SRV targets that are not fully qualified, port 0, a "." target mixed with
// others, an SRV set with no target, TTLs out of [MinTTL, MaxTTL].
//
// # Checking: Authoritative and Resolver
//
// [Authoritative] asks every authoritative server of a zone directly (no
// recursion, UDP then TCP on truncation or timeout, bounded retries) and
// reports per server and per RRset what it answered and whether that is what
// was expected; [Authoritative.WaitConverged] polls until every server agrees.
// [Resolver.Candidates] resolves a domain as a remote XMPP server does (RFC
// 6120 §3.2, RFC 2782), to the ordered host:port candidates it would dial.
// Results are data; errors are for failures to ask.
//
// # Names
//
// Every name the package takes (zone, domain, host, SRV target, pool, the
// owner name of an [RRset] or [Key]) may be given with or without the
// trailing dot and in any case. Every name it returns is absolute and in
// lower case ("edgepool2.contoso.com."), except [Candidate].Host, a host to
// dial, which has no trailing dot. [ParseHost], [InZone] and [SameName]
// validate and compare names by the same rules.
//
// # Testing
//
// The package memdns (xmppdns/memdns) is an in-memory libdns provider with
// the three shapes a Zone tells apart (plain, appending, conditional) and
// failure hooks; dnstest (xmppdns/dnstest) is an in-process authoritative
// DNS server, and its Table an exchange function for [Resolver] and
// [Authoritative] without sockets.
//
// Optional provider interfaces ([RRsetGetter], [ConditionalSetter],
// [BatchConditionalSetter]) let a provider read one RRset without a zone
// transfer and write conditionally; a Zone uses them when present.
package xmppdns
