// Package winrm is the [lync.Runner] of a real Windows host: WS-Management
// over HTTP(S) with github.com/masterzen/winrm, the Lync or Skype for
// Business management shell module imported once per session. [Dial]
// returns a *lync.Client on it, [NewWinRM] the runner itself. It imports
// lync (the Runner contract and its errors); lync does not import it.
//
// # Transport
//
// A [lync.Runner] runs one PowerShell script on one host and returns its output
// (a JSON array) or a typed error. [WinRM] is the Runner for a real host: it
// keeps one persistent session per host (one shell, one
// `powershell.exe -NoProfile -NonInteractive -Command -`, the SkypeForBusiness
// or Lync module detected and imported once), feeds it one framed line per
// script over stdin (docs/wire.md), and serializes the scripts of the host.
// The session is rebuilt on the next call after a transport error, a call
// whose context ended mid-script, or an idle period (Options.IdleTimeout).
//
// The fallback rule: [ModeAuto] runs one `-EncodedCommand` process per
// script only when the persistent mode itself cannot work on the host, which
// a [*PersistentError] says with its [PersistentReason]: the `-Command -`
// process ended before answering its first script ([PersistentExited]), or
// answered none within Options.StartTimeout ([PersistentSilent]). It then
// tries a persistent session again after 10 minutes. Nothing else makes it
// fall back: a fault of the moment (an HTTP 500 or another WSManFault on
// Create, Command, Send or Receive, a reset, a timeout) fails that call with
// [lync.ErrSessionBroken], and the next call builds a new persistent session.
//
// Every request goes through a transport decorator that turns HTTP 401 into
// [lync.ErrUnauthorized] (or a [*SchemeError]) and other non-200 answers into a [*WSManFault], and
// treats the w:TimedOut fault of a Receive as the normal long poll. Long
// polls are paced by the time they were meant to last: one that comes back
// without output before half the OperationTimeout makes the next wait, from
// 50 ms doubling up to 1 s (or a quarter of the OperationTimeout, if longer),
// and a Send ends the wait, so an idle session costs at most a few requests
// per OperationTimeout whatever the host does, and a new script's result is
// not delayed. Every call has a deadline ([Options].CallTimeout when ctx has
// none) and returns by it.
//
// [WinRM.Close] ends everything the runner opened within [CloseTimeout]
// (5 s): the call in flight returns [lync.ErrClosed], the command is terminated
// (a Signal) and its shell deleted, also when the session is broken or the
// host does not answer the Signal. Every per-script process's shell is
// deleted when its script ends. A Windows host allows 30 shells per user and
// keeps an undeleted one for 2 hours, so a Client that is not closed can
// lock its account out of the host: always Close it.
//
// # Authentication and message encryption
//
// An [Endpoint] names the listener and the authentication; its doc lists
// the combinations a Windows host accepts. A host enabled the default way
// (winrm quickconfig) has an HTTP listener on 5985 only, Basic off and
// AllowUnencrypted off: reach it with [AuthNTLM] or [AuthKerberos] over
// plain HTTP, and every message is sealed in the multipart/encrypted body
// of MS-WSMV 2.2.9.1 (protocol application/HTTP-SPNEGO-session-encrypted,
// as pywinrm sends it under the Negotiate scheme). AuthNTLM seals and signs
// with the NTLM session key (NTLMv2, MS-NLMP 3.4). AuthKerberos logs in
// with an AP-REQ that asks for mutual authentication, reads the host's
// AP-REP from the WWW-Authenticate header of its 200 answer, and seals
// every message as an RFC 4121 Wrap token with confidentiality under the
// AP-REP's subkey (MS-KILE 3.1.1.2; the authenticator's subkey if the host
// sends none): key usages 24 out and 22 in, a sequence number per
// direction, the trailer rotated into the header (RRC 28, a 60-octet header
// for aes*-cts-hmac-sha1-96), as MIT krb5's gss_wrap_iov lays it out. Only
// the AES enctypes (RFC 3962, RFC 8009) seal: an RC4-HMAC or DES3 session
// key fails with [ErrKerberosEtype] before any message is sent. Both run on
// connections of their own, each logged in once and holding its security
// context; concurrent requests use separate connections; they are dialled
// with Endpoint.Dial and, over HTTPS, use Endpoint.TLS. An answer that does
// not unseal (framing, checksum, header, flags or sequence number) fails
// with [ErrEncryption] and is never retried in clear. Over HTTPS,
// AuthKerberos sends a fresh AP-REQ with every request and TLS protects
// the messages. [AuthBasic] needs HTTPS and a local account: a Basic
// credential naming a domain is refused before anything is sent
// ([ErrBasicDomainAccount]). Edge servers usually sit in a workgroup: give
// each its own local account ([LocalCredentials]). A 401 that does not
// offer the scheme tried is a [*SchemeError] that lists what the host
// offers. The Kerberos client (gokrb5) talks to the KDC without the call's
// context: over HTTP the login still returns by the call's deadline (the
// KDC exchange ends by gokrb5's own timeouts); over HTTPS those timeouts
// bound a KDC that does not answer. See
// docs/winrm-setup.md for the host side.
package winrm
