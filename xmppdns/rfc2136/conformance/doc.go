// Package conformance runs libdns's own conformance suite (libdnstest,
// shipped by github.com/libdns/libdns v1.2.0-alpha.1) against the rfc2136
// provider and a real BIND, and against the in-memory provider memdns (so
// the double keeps the contract the real providers are held to).
//
// It is a module of its own so that the main module stays on the released
// libdns v1.1: xmppdns.Provider is made of libdns interfaces, and by minimal
// version selection every program importing this SDK would otherwise be
// moved onto a libdns pre-release, and with it every third-party provider
// it links. Only this test module requires the pre-release; it replaces the
// SDK with the working tree. The main module's rfc2136 tests run it (go
// test in this directory) so that it is part of `go test ./...`.
package conformance
