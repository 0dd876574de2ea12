// Package rfc2136 is a libdns provider that reads a zone by direct queries
// and writes it by RFC 2136 dynamic updates signed with TSIG
// (HMAC-SHA256/384/512), built on github.com/miekg/dns. It works with any
// server that accepts signed updates: BIND, Knot, PowerDNS, Windows DNS in
// "nonsecure and secure" mode.
//
// Compared with the libdns semantics it implements exactly:
//
//   - Reads need no zone-transfer rights: GetRRset asks for one RRset.
//     Only authoritative answers are taken, except the referral that
//     answers the NS set of a delegation (a zone cut below the apex): its
//     authority section holds that set when its owner is the name asked, so
//     delegations are read, extended and deleted like any RRset.
//     GetRecords (the whole zone) needs AXFR rights for the key and returns
//     an error matching ErrListUnsupported when the server refuses.
//   - Every SetRecords, AppendRecords and DeleteRecords call is one atomic
//     UPDATE: all of it is applied or nothing. AppendRecords and
//     DeleteRecords read the RRsets first and write under prerequisites that
//     they are unchanged, so what they return is what really happened.
//   - SetRRsetIf and SetRecordsIf write only if the RRsets still hold the
//     values read before (value-dependent prerequisites); otherwise the error
//     matches ErrConflict and nothing is written.
//   - Every rcode becomes a typed error (*RcodeError matching ErrRefused,
//     ErrNotAuth, ErrNotZone, ErrYXRRSet, ErrNXRRSet, ErrBadSig, ErrBadKey...);
//     a REFUSED answer is never taken for success.
//   - Input is validated (names inside the zone, types, data, TTLs) before
//     any packet is sent; errors match ErrInvalid.
//   - Servers silently ignore an addition that would mix a CNAME with other
//     data; every write guards against it (a prerequisite, or a read for a
//     CNAME being added) and fails with ErrCNAME instead of reporting it done.
//
// Record names are relative to the zone ("@" for the apex), as in libdns.
// Data is zone-file RDATA; names in it must be absolute (an SRV target
// without its trailing dot is refused rather than completed with the zone);
// TXT Data is the unescaped text. TTL 0 is sent as 0. The TSIG secret is redacted whenever the
// Provider or its Secret is printed, logged or marshalled.
//
// # GSS-TSIG (Kerberos)
//
// With Provider.Kerberos set, requests are signed with GSS-TSIG (RFC 3645)
// instead of an HMAC key: what AD-integrated Windows DNS zones require for
// secure dynamic updates, and what BIND accepts with tkey-gssapi-keytab and
// an update-policy granting the principal. Credentials come from a password,
// a keytab or a credential cache ([Kerberos]); the KDC from Kerberos.KDC or
// a krb5.conf. The first signed call gets a service ticket for the server's
// SPN and negotiates a security context in one TKEY exchange (the AP-REQ out,
// the AP-REP back, mutual authentication checked); calls made meanwhile wait
// for it, and every later call reuses it until it expires. An UPDATE or a
// transfer that a server answers BADKEY (it forgot the context) gets one new
// negotiation and is sent once more. Writes keep every guarantee above: one UPDATE per call, the
// same prerequisites, the answer's signature verified (the acceptor's MIC
// token; an answer carrying the request's own token back is
// [ErrSignatureEchoed], never taken for success). Failures to get a ticket
// or a context match [ErrKerberos]; the password is redacted like Secret.
// The Kerberos exchanges themselves use gokrb5, which takes no context: they
// run bounded by its network timeouts, and a call returns when its context
// ends.
package rfc2136
