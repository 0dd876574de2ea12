// Package dnsname validates and normalizes DNS names and host FQDNs before they
// reach a PowerShell script or a DNS packet.
//
// The rules are those of RFC 1035 §2.3.1 (LDH labels) as relaxed by RFC 1123
// §2.1 (labels may start with a digit), with the lengths of RFC 1035 §2.3.4: a
// label is 1 to 63 octets and a name at most 253 octets in its text form
// without the trailing dot. Service labels such as "_xmpp-server" are accepted
// only where a caller asks for them ([ParseOwner]).
//
// Names are compared case-insensitively (RFC 4343); the canonical form returned
// by the parsers is lower case.
package dnsname
