// Package lync is a typed client for the Lync Server 2013 / Skype for
// Business Server 2015 management shell of one Windows host, over any
// [Runner] (lync/winrm: WS-Management with github.com/masterzen/winrm).
//
// # Transport
//
// A [Runner] runs one PowerShell script on one host and returns its output
// (a JSON array) or a typed error: a [*CmdletError] when the script threw, a
// [*TransportError] wrapping the cause when the host could not be reached.
// Package lync/winrm is the Runner of a real host over WS-Management (a
// persistent PowerShell session per host, NTLM, Kerberos, Basic or
// certificate authentication, message encryption); winrm.Dial returns a
// Client on it. Any other Runner works too (a recorder, a dry run). A
// [Scripts] value renders, without running it, the script each call sends.
//
// # Resources
//
// A [Client] (one per host) groups the cmdlets by resource, go-github style:
// [SitesService] (Get-CsSite, Set-CsSite with the XMPP route parameter found
// at run time), [PoolsService] (Get-CsPool, Get-CsService -EdgeServer),
// [ServicesService] (Get/Start/Stop-CsWindowsService),
// [ReplicationService] (Get-CsManagementStoreReplicationStatus), and for a
// failover's preflight [FederationService] (Get-CsAccessEdgeConfiguration,
// Get-CsXmppAllowedPartner, Test-CsXmppIM; Get-CsCertificate, read on the
// host itself, so an Edge server's with that server's client; a TCP
// connection made by the host with .NET sockets). The design
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
//
// Which errors a caller may retry: one that matches [ErrSessionBroken] (the
// next call builds a new session; a script that was cut off may or may not
// have run, so read the state before repeating a change), and
// context.DeadlineExceeded of the caller's own deadline, with a longer one.
// Retrying does not help with [ErrUnauthorized] (a 401: fix the
// credentials or the host's authentication settings), [ErrClosed], [ErrInvalidInput], a *winrm.PersistentError (use
// winrm.ModeAuto or winrm.ModePerScript), [ErrProtocol], or a [*CmdletError] (the host's
// answer).
package lync
