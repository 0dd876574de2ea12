// Package lynctest is a fake Lync Server 2013 / Skype for Business Server 2015
// deployment for tests, in the manner of net/http/httptest: every Windows host
// of the deployment is a WinRM listener on 127.0.0.1 that speaks real
// WS-Management (Create, Command, Send, Receive, Signal, Delete, long-poll
// w:TimedOut faults, authentication), and whose powershell.exe runs the
// PowerShell subset of docs/wire.md against one in-memory topology shared by
// all hosts of the deployment.
//
// Build a Config (sites, Front End and Edge pools, servers, services, product,
// route parameter name), call New, and point a WinRM client at a Host: either
// at its FQDN on port 5985 (HTTP) or 5986 (HTTPS) through
// Deployment.DialContext, or at its loopback address directly. The HTTPS
// listeners present a certificate for the host FQDN signed by a per-deployment
// test CA (Deployment.CACertPEM, Deployment.CertPool).
//
// Authentication is a default Windows host's (Config.WinRM, a
// WinRMService, configured like winrm/config/service): Negotiate with an
// NTLMv2 acceptor that checks the client's proof (and MIC) against the
// account's password and, over HTTP, unseals every request and seals every
// answer with the connection's keys (MS-NLMP 3.4, MS-WSMV 2.2.9.1); a
// request in clear over HTTP gets 401 unless AllowUnencrypted; Basic is off
// unless enabled, and then takes local accounts only (LocalAccounts, per
// host); Kerberos tickets are checked against a keytab when configured
// (gokrb5's service side), and over HTTP a login that asks for mutual
// authentication gets an AP-REP with a new subkey, under which every
// request is unsealed and every answer sealed as an RFC 4121 Wrap token
// (krbseal.go); with WorkgroupEdge, Edge servers take their local
// accounts only. Config.Username (CONTOSO\lyncadmin by default) and
// Config.Accounts are domain accounts. The acceptor is written from the
// specifications and shares no code with the client; Counters.Auth counts
// logins and sealed messages.
//
// The PowerShell reader is written independently of the client's script
// builder: it has its own tokenizer (single-quoted strings end at any of
// ' U+2018 U+2019 U+201A U+201B and a doubled quote stands for its second
// character; U+2013..U+2015 start a parameter like '-'), accepts only the
// frame line of docs/wire.md §2 and the inner-script subset of §4, and answers
// anything else the way PowerShell would: CommandNotFoundException,
// NamedParameterNotFound, MissingArgument, ParseException. The subset's wait
// loop (a [DateTime]::UtcNow deadline, while, Where-Object, Start-Sleep) runs
// as on a host: each pass reads the topology, Start-Sleep really sleeps
// (rounded up to Latency.SleepGranularity), and a terminated process ends it.
//
// Behaviour that matters for a failover drill is modelled: Stop-CsWindowsService
// stops every Lync service of the target host (REPLICA included), -Graceful
// takes longer, -NoWait returns while services pass through StopPending; a
// CMS replica becomes up to date after a topology change only while its
// REPLICA service runs, after the replication delay. Faults (HTTP 500 SOAP
// fault, 401, reset, hang, refused dial, cmdlet error, services that will not
// stop or start, replication that never completes, "the Nth call") and a
// latency profile with a time scale are set per deployment at run time.
// Counters and Snapshot report what happened as plain values.
//
// Limits of a real host are kept, so that a client that would fail on
// Windows fails here: cmd.exe's 8191-character command line (an
// -EncodedCommand frame line holds about 1,700 characters of script), the
// WinRS shell quota per user (Config.MaxShellsPerUser, 30) and idle timeout
// (Config.ShellIdleTimeout, 2 hours), so that a client that does not delete
// its shells is locked out here as on Windows (Counters.QuotaFaults,
// Host.ShellCount), module imports that last only for the process (and,
// without -Global, only for the script).
//
// Rules a real host applies and this one applies the same way, with where
// each comes from (confirmed: a source says it; assumed: no source was
// found, and the behaviour is the strict choice):
//
//   - A shell belongs to the user who created it (rsp:Owner of the Create
//     answer). A Command, Send, Receive, Signal or Delete on its ShellId by
//     another authenticated user is refused with "Access is denied."
//     (HTTP 500, s:Receiver, w:InternalError, WSManFault Code 2147942405,
//     E_ACCESSDENIED) and the shell is left as it was (Counters.OwnerFaults).
//     Confirmed: the fault shape is the one a real host sends for Access
//     is denied (wazuh/wazuh-ansible#581); that WinRM ties a shell to its
//     creator is assumed (the WinRS plugin runs per user); that the other
//     user gets this fault rather than w:InvalidSelectors is assumed.
//     User names compare case-insensitively, as Windows account names do.
//   - Over HTTP a request body is SOAP in clear (application/soap+xml) or
//     sealed, and a sealed one is taken only as MS-WSMV 2.2.9.1 lays it
//     out: Content-Type multipart/encrypted with
//     protocol="application/HTTP-SPNEGO-session-encrypted" and
//     boundary="Encrypted Boundary"; a first part whose Content-Type is
//     that protocol and whose OriginalContent is
//     type=application/soap+xml;...;Length=<length of the message>; a
//     second part application/octet-stream holding the signature length,
//     the signature and the sealed message (confirmed: MS-WSMV 2.2.9.1,
//     2.2.9.1.1.2.2). Header lines of the parts may be indented or not
//     (MS-WSMV asks for a tab; that Windows takes requests without one is
//     reported in ozelis/winrmexec#1). A SOAP body in clear without
//     AllowUnencrypted gets 401 (confirmed: jborean93 in hashicorp/packer#6205;
//     pywinrm#129 reports a 500 for Kerberos, not modelled). A body of any
//     other type, or none, gets 415 Unsupported Media Type (the status is
//     confirmed by winrm4j#72 for a wrong Content-Type; that it comes before
//     the encryption rule is assumed). A multipart/encrypted body of another
//     protocol or boundary, or framed otherwise, gets 400 and drops the
//     connection's login (assumed). Counters.Auth counts each refusal.
//   - Kerberos over HTTP (confirmed: MS-KILE 3.1.1.2 for the key, RFC 4121
//     for the token, pywinrm and MIT krb5 for the layout; the tests
//     cross-check it against MIT's gss_wrap_iov and gss_unwrap): an empty
//     POST with "Negotiate <AP-REQ>" (a bare KRB5 token, as pywinrm sends
//     it, or SPNEGO) or "Kerberos <AP-REQ>" gets 200 and, when the AP-REQ
//     asks for mutual authentication, the AP-REP in WWW-Authenticate (in
//     the form the AP-REQ came in), holding a new subkey of the
//     authenticator subkey's enctype and the host's first sequence number.
//     An authenticator that logged in to the host before (same client and
//     time: the replay cache of RFC 4120 3.2.3) gets 401, however the
//     ticket spells the service name (assumed: Windows matches SPNs in any
//     case). Messages are then Wrap tokens with confidentiality under that subkey
//     (without mutual authentication: the authenticator's subkey, else the
//     ticket's session key), key usage 24 in and 22 out, the trailer
//     rotated into the header (RRC = 16 + checksum length, EC = 0), the
//     first 16 + RRC + 16 octets the multipart body's signature. A request
//     whose token is not TOK_ID 05 04 with flags Sealed (and AcceptorSubkey
//     when the subkey is the host's) and without SentByAcceptor, whose
//     checksum, header copy or sequence number (exactly the next one: a
//     replay or a gap is refused) does not verify, whose login did not ask
//     for confidentiality, or whose protocol is not the scheme's
//     (application/HTTP-SPNEGO-session-encrypted under Negotiate,
//     application/HTTP-Kerberos-session-encrypted under Kerberos, MS-WSMV
//     2.2.9.1.2; the strict choice, assumed) gets 400 and drops the login,
//     as a sealed body that does not open does with NTLM (assumed). Only
//     the AES enctypes seal here: a Windows host would also seal with
//     RC4-HMAC (RFC 4757), which this double does not model.
//   - NTLM's MIC follows MS-NLMP 3.2.5.1.2 as Windows applies it
//     (confirmed: the section; the June 2019 fix of CVE-2019-1040, "Drop
//     the MIC", made Windows enforce it): when the NTLMv2 blob's
//     MsvAvFlags has 0x2 the AUTHENTICATE message must have the MIC field
//     (its payload starts at offset 88 or later) and the MIC must verify,
//     else the login gets 401. Without that flag no MIC is needed, although
//     the CHALLENGE carries MsvAvTimestamp: "the client SHOULD provide a
//     MIC" (MS-NLMP 3.1.5.1.2) is a client rule, and Windows hosts take
//     Azure/go-ntlmssp, which never sends one (masterzen/winrm's
//     ClientNTLM). Stripping the flag with the MIC fails the NTProofStr,
//     which covers the blob.
//
// Config.OnServiceChange, OnRouteChange and OnReplication let a harness follow
// the deployment (bring an XMPP listener up or down with the services or the
// route). They run one at a time, in order, on a goroutine of the deployment
// that holds no lock; they may call any method except Close.
//
// Every method of Deployment and Host is safe for concurrent use.
package lynctest
