// Package edge checks and operates the Edge servers that carry XMPP federation
// for Lync Server 2013 and Skype for Business Server 2015.
//
// Probe checks one federation address the way a remote XMPP server would: it
// dials TCP (through a pluggable dialer, so the check can run from an outside
// vantage point or through a proxy), sends the initial stream header of a
// server-to-server connection (RFC 6120 §4), parses the answer with an XML
// decoder over a size-limited reader, and reports as data what it saw: whether
// the port accepted, the timings, the stream header, the stream features
// (STARTTLS, dialback, SASL mechanisms), stream errors such as host-unknown,
// and, with STARTTLS, the TLS version, cipher suite, certificate chain, whether
// the certificate names the XMPP domain and whether the chain verifies.
// ProbeDomain resolves an XMPP domain as a remote server would (SRV, then the
// domain itself) and probes the candidates in order.
//
// An unreachable or misbehaving peer is an outcome, reported in the
// ProbeResult; errors are for invalid input (*InputError) and for a cancelled
// context. Every read is bounded in bytes, XML depth, token count and value
// length, and every network operation has a deadline, so a silent, slow or
// hostile peer can neither hang a probe past its Timeout nor exhaust memory.
//
// The package edge/xmpptest provides a server-to-server listener double to
// probe in tests.
package edge
