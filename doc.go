// Package edgefailover is a Go SDK for failing XMPP federation over from one
// Lync Server 2013 / Skype for Business Server 2015 Edge pool to another, and
// back, safely: every change is previewed before it is made, applied in the
// right order, verified from the outside, and undone when something fails.
//
// It turns Microsoft's seven-step runbook (TechNet JJ688065, "Failing over the
// Edge pool used for XMPP federation") into typed clients and a plan:
//
//	runbook step                                   package
//	1 deploy another Edge pool (preflight)          failover, lync
//	2 Stop-CsWindowsService on the new pool         edge (over lync)
//	3 Set-CsSite ... XMPP federation route          lync (Site.SetXmppRoute)
//	4 A record of the federation host               xmppdns
//	5 SRV _xmpp-server._tcp.<domain> port 5269      xmppdns (Zone.SetSRV)
//	6 port 5269 open                                edge (Probe)
//	7 Start-CsWindowsService on the new pool        edge (over lync)
//	- verify, roll back, fail back                  failover
//
// The packages:
//
//   - lync: a typed client for the Lync/SfB management shell of one Windows
//     host, over WinRM; lync/lynctest is a fake Windows host for tests.
//   - xmppdns: the SRV and A/AAAA records of XMPP federation through any libdns
//     provider, an RFC 2136 provider, and verification on every authoritative
//     server; xmppdns/dnstest is an in-process authoritative DNS server and
//     xmppdns/memdns an in-memory libdns provider.
//   - edge: Edge servers and pools, and the server-to-server probe on port
//     5269; edge/xmpptest is an XMPP listener double.
//   - failover: the runbook as a plan that is built from live state, printed
//     (dry run), applied, verified and undone.
//
// This root package holds documentation only. Start with the drill, a whole
// failover and failback against in-process doubles:
//
//	go run ./examples/drill
package edgefailover
