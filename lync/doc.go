// Package lync is a typed client for the Lync Server 2013 / Skype for
// Business Server 2015 management shell of one Windows host, over
// WS-Management (github.com/masterzen/winrm).
//
// # Transport
//
// A [Runner] runs one PowerShell script on one host and returns its output
// (a JSON array) or a typed error. [WinRM] is the Runner for a real host: it
// keeps one persistent session per host (one shell, one
// `powershell.exe -NoProfile -NonInteractive -Command -`, the SkypeForBusiness
// or Lync module detected and imported once), feeds it one framed line per
// script over stdin (docs/wire.md), and serializes the scripts of the host.
// The session is rebuilt after a transport error, a call whose context ended
// mid-script, or an idle period. When a persistent session cannot start, each
// script runs as its own `-EncodedCommand` process ([ModeAuto]).
//
// Every request goes through a transport decorator that turns HTTP 401 into
// [ErrUnauthorized] and other non-200 answers into a [*WSManFault], treats the
// w:TimedOut fault of a Receive as the normal long poll, and backs off when a
// host answers it instantly, so that a broken host can never make the client
// spin. Every call has a deadline ([Options].CallTimeout when ctx has none)
// and returns by it.
//
// # Resources
//
// A [Client] (one per host) groups the cmdlets by resource, go-github style:
// [SitesService] (Get-CsSite, Set-CsSite with the XMPP route parameter found
// at run time), [PoolsService] (Get-CsPool, Get-CsService -EdgeServer),
// [ServicesService] (Get/Start/Stop-CsWindowsService) and
// [ReplicationService] (Get-CsManagementStoreReplicationStatus). The design
// card's Site.SetXmppRoute is client.Site(name).SetXmppRoute(ctx, edgePool).
//
// # Errors and validation
//
// Every value from outside is checked before anything is sent (FQDNs with
// internal/dnsname, [ParseSiteName], [ParseServiceName]) and refused with an
// [*InputError]. Errors of the host are [*CmdletError] values that match the
// sentinels ([ErrNotFound], [ErrCommandNotFound], [ErrParameterNotFound],
// [ErrParse], [ErrModuleNotFound], [ErrServiceOperation]) by their
// FullyQualifiedErrorId and category, never by text. Transport failures are
// [*TransportError] values wrapping the cause. Passwords redact themselves
// ([Password]) and are never logged.
package lync
