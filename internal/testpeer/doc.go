// Package testpeer finds and starts the real protocol peers that tests talk to
// (BIND's named, with HMAC TSIG keys or GSS-TSIG; an MIT Kerberos KDC;
// Prosody), each on loopback in the test's temporary directory, and decides
// what happens when one is missing: the test
// is skipped with a message that says how to install it, or, when the
// environment variable EDGEFAILOVER_REQUIRE_PEERS is "1" (as .ci/run sets it),
// the test fails.
//
// It is test support only: no non-test code of the SDK imports it.
package testpeer
