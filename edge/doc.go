// Package edge checks and operates the Edge servers that carry XMPP federation
// for Lync Server 2013 and Skype for Business Server 2015.
//
// # Operating: Server and Pool
//
// A Server is an Edge server's FQDN and the lync.Client that reaches it; the
// cmdlets run on the server itself, with -ComputerName set to its own FQDN.
// StopServices (gracefully or not) runs Stop-CsWindowsService -NoWait and
// waits until every Lync service is Stopped (lync's wait: one script that
// blocks on the host, or polling where the host will not hold one);
// StartServices does the same for Running; Status reads the states. The states read are returned also on
// failure, with a *ServerError. A Pool is an Edge pool's FQDN and its servers,
// built with NewPool or read from the topology with DiscoverPool, which
// refuses a pool that is not an Edge pool (ErrNotEdgePool) and keeps its Edge
// service record. Its operations, Prepare included, act on every server
// concurrently, at most Concurrency at a time, and report each server's
// outcome in a PoolResult; a partial failure is a *PoolError naming the
// servers that did and did not get there, whose causes errors.Is and
// errors.As reach.
//
// # Checking: Probe and ProbeDomain
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
