// Package dnstest provides an in-process authoritative DNS server for tests,
// in the manner of net/http/httptest.
//
// A Server listens on 127.0.0.1 over UDP and TCP (one port, in Server.Addr)
// and serves Zones loaded from records (NewZone) or zone-file text
// (ParseZone). NewServer is the one-call start, as httptest.NewServer is: one
// zone from text and a new TSIG key, bound before it returns;
// NewTestServer also closes it when the test ends. Start takes a Config for
// several zones, secondaries or given keys. It answers queries authoritatively (AA set; NXDOMAIN or NODATA
// with the SOA in the authority section; TC set when a UDP answer exceeds the
// client's buffer), applies RFC 2136 UPDATE messages signed with a TSIG Key
// (HMAC-SHA256/384/512) atomically, with prerequisites, and increments the
// zone's SOA serial on every change. Unsigned updates are REFUSED and bad keys
// or signatures get NOTAUTH with the TSIG error BADKEY/BADSIG, as BIND does.
// Signed AXFR over TCP is answered too. Zones and updates are held to what
// BIND, as primary, loads and accepts (check-names fail, one CNAME at a name
// and nothing beside it, the SOA at the apex); TestSameAnswersAsBIND and
// TestParseZoneAsBIND compare the two.
//
// Several servers can serve one Zone: a primary and secondaries that see the
// zone as it was some time ago (Config.Lag, Server.SetLag) and refuse updates
// (StartCluster builds such a set). Each server can inject faults (Inject:
// REFUSED, SERVFAIL, no answer, truncation, BADSIG) for the next N matching
// messages or until cleared, and logs every message it receives (Log).
//
// A Table answers from a fixed set of records without sockets, through an
// Exchange method that a DNS client taking an exchange function (such as
// xmppdns.Resolver) can call: for tests of how replies are read.
//
// The package imports nothing of the SDK; it serves any DNS client.
package dnstest
