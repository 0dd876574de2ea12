// Package xmpptest provides an XMPP server-to-server listener double for tests,
// in the manner of net/http/httptest: a Server listens on a loopback port,
// answers the initial stream header of a server-to-server connection (RFC 6120)
// with its own header and stream features for the domains it is configured to
// serve, performs STARTTLS with a generated certificate, and injects faults
// (host-unknown, pre-1.0 peer without features, silence, connection reset,
// garbage, slow drip).
//
// A Server can be stopped and started again on the same address, so a test can
// tie it to the state of a fake Edge server: stopping the Edge services stops
// the listener, starting them brings it back on the same port.
//
// The package imports nothing else of this module.
package xmpptest
