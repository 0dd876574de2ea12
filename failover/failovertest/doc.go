// Package failovertest builds a complete simulated deployment for XMPP
// federation failover drills, in the manner of net/http/httptest: one call
// (New, or Start in a test) starts everything on 127.0.0.1, Close stops it
// and waits.
//
// A lab holds:
//
//   - a lynctest deployment: Front End pool fepool1.contoso.com (server
//     fe1.contoso.com, whose management shell Management reaches) and Edge
//     pool edgepool1.contoso.com in Site1, Edge pool edgepool2.contoso.com in
//     Site2, Options.ServersPerPool servers each (edge1a, edge1b, ... and
//     edge2a, edge2b, ...), XMPP enabled on both Edge pools, Access Edge
//     external FQDNs access1/access2.contoso.com. Site1's XMPP route points
//     at edgepool1 (SourcePool); Site2 (TargetSite) has no route: a failover
//     sets Site2's route to edgepool2 (TargetPool). Its federation side
//     passes every preflight check of failover.New: each Edge server's
//     AccessEdgeExternal certificate covers the SIP domains, xmpp.contoso.com
//     and its Access Edge FQDN for a year; AllowFederatedUsers is True; one
//     XMPP partner (PartnerDomain) exists; 23456 is reachable. One
//     PreflightFault per field cause (Options.PreflightFaults,
//     BreakPreflight) breaks it for TargetPool.
//   - a dnstest cluster (a primary and lagging secondaries) serving
//     contoso.com and a zone per SIP domain outside it (fabrikam.com by
//     default): SRV _xmpp-server._tcp.<domain> 5269 -> xmpp.contoso.com. for
//     every domain, A xmpp.contoso.com -> 192.0.2.10 (pool 1), A
//     access1/access2.contoso.com -> 192.0.2.10/192.0.2.20, NS and SOA. A
//     TSIG key may update every zone: Provider, Zone, Zones and ZoneOf give
//     the rfc2136 provider and ready xmppdns zones; Authoritative and
//     Resolver give verifiers wired to the lab's servers (NameserverAddrs,
//     ResolverAddrs).
//   - an edge/xmpptest listener per Edge pool serving the SIP domains with
//     STARTTLS and a certificate for the domains, xmpp.contoso.com and the
//     pool's Access Edge FQDN (trust CertPool or TLSConfig). A pool's
//     listener is up exactly while the pool serves federation (see The Edge
//     model below). The lab reconciles the listeners on the deployment's
//     service, route and replication callbacks (lynctest delivers service
//     and route callbacks before the cmdlet that caused them returns, so a
//     client that stopped services or set a route finds the listener
//     already changed) and again before every Snapshot and Dial.
//
// # The Edge model
//
// A pool serves federation while some site's XMPP route is
// EdgeServer:<pool> and at least one of its servers serves: every Lync
// service of that server is Running, and its CMS replica has received the
// pool's current routing, that is, the replica was up to date at some
// moment since the pool became routed. lynctest replicates a topology change
// to a replica only while that server's REPLICA service runs, Latency.
// Replication after the later of the change and REPLICA's start, and never
// under FaultReplicationStuck. So a route set while the pool's services are
// stopped (Microsoft's order) reaches a server only after its services start
// again and replication completes; a route set while the pool runs (the
// Rolling strategy) reaches it after the replication delay. A server keeps
// the routing it received when a later, unrelated topology change makes its
// replica fall behind again.
//
// Confirmed (Microsoft's documentation, see the project's field reference):
// Edge servers get their configuration only through CMS replication; the
// File Transfer Agent pushes it to the Edge's REPLICA service (HTTPS 4443),
// retrying on failure; Stop-CsWindowsService without -Name stops REPLICA
// too. Assumed (no primary source): that a running Edge starts serving a
// route its replica received without a restart of its services (the
// Rolling strategy restarts them anyway, so it is correct either way; in
// Microsoft's order the services start before replication completes, so
// that order works only if this holds); that one server serving is enough
// for the pool's listener (a remote server reaches the pool's one external
// address); that the replication delay is a constant (the field reports
// 1-5 minutes).
//
// The external addresses 192.0.2.10 and 192.0.2.20 (RFC 5737) are never
// dialled: Dial maps them, the pool names and any name the lab's DNS
// resolves to them onto the listeners' loopback ports, so no traffic leaves
// 127.0.0.1. The connections it returns report the external address as
// RemoteAddr, as a remote server would see it.
//
// FailPool starts a drill: it stops every service of an Edge pool behind
// the SDK's back, as an outage would; RecoverPool brings them back. The
// dead pool then refuses connections at once; SetUnreachable makes its
// external address drop every packet instead, as a site without power or
// uplink does, so a remote server's attempt lasts its connect timeout.
// FailoverConfig and FailbackConfig return a failover.Config wired to the
// lab.
//
// Snapshot returns the State a failover touches (routes, service states,
// replication, the federation RRsets on the primary, listeners) as plain
// values: compare two with go-cmp (cmp.Diff) to prove that a dry run changed
// nothing or that an undo restored everything.
//
// # Remote peers
//
// StartPeers runs remote XMPP servers (Peers) that federate with a SIP
// domain as a lab's partners would: each with its own caching resolver that
// honours TTLs and an RFC 6120 connection loop (SRV order and weights, the
// next target after a refused connection or a timeout, a reconnect
// interval), caches warm, with a time Scale. MarkOutage starts a
// measurement; Outages, Wait and Summary tell when each peer first
// federated again: with a single SRV record and a moved A record that
// tracks the old TTL; with the prioritized SRV set it is as soon as the
// target pool serves, plus at most one reconnect interval.
//
// # Injecting faults
//
// The doubles are reachable for fault injection:
//
//   - Lync hosts: lab.Deployment().Inject(lynctest.Fault{Kind: ..., Host:
//     "edge2a.contoso.com", Cmdlet: "Set-CsSite", Nth: 1}) returns a remove
//     func. Kinds: FaultSOAP, FaultUnauthorized, FaultReset, FaultHang,
//     FaultTimedOut, FaultRefuse, FaultCmdletError, FaultPersistentExit,
//     FaultServiceWontStop, FaultServiceWontStart, FaultReplicationStuck.
//     Deployment().SetServiceStatus changes a service behind the SDK's back
//     (an operator at the console; the listeners follow), SetLatency changes
//     the latency profile.
//   - DNS: lab.DNS().Primary.Inject(dnstest.Fault{Kind: dnstest.FaultServFail,
//     Opcode: dns.OpcodeUpdate, OnlyOpcode: true, Count: 1}) (or on
//     DNS().Secondaries[i]); kinds FaultRefused, FaultServFail, FaultDrop,
//     FaultTruncate, FaultBadSig; ClearFaults. DNS().Secondaries[i].SetLag
//     makes a secondary stale (time.Hour: stuck). lab.DNSZone("contoso.com").
//     SetRRset changes an RRset as another administrator would (a
//     conditional write then meets a conflict).
//   - XMPP: pool.Listener.SetFault(xmpptest.FaultSilence) (FaultNoFeatures,
//     FaultReset, FaultGarbage, FaultSlowDrip, FaultHostUnknown) changes how
//     a running listener answers new connections; the lab only starts and
//     stops listeners, it never resets their fault.
package failovertest
