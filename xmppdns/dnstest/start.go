package dnstest

import (
	"fmt"
	"testing"

	"github.com/miekg/dns"
)

// DefaultKeyName is the name of the TSIG key NewServer makes.
const DefaultKeyName = "update-key."

// NewServer starts a primary nameserver for one zone, read from zone-file
// text as ParseZone reads it, that accepts UPDATE and zone transfer signed
// with a new HMAC-SHA256 key named DefaultKeyName (Server.Key), and returns
// it once it listens on Server.Addr. It panics if the zone does not load or
// the server cannot listen, as httptest.NewServer does. Call Close when
// done. For several zones, secondaries or other keys, use Start.
func NewServer(origin, text string) *Server {
	s, err := newServer(origin, text)
	if err != nil {
		panic(err)
	}
	return s
}

// NewTestServer is NewServer for a test: it fails tb (Fatal) instead of
// panicking, and closes the server when the test ends (tb.Cleanup).
func NewTestServer(tb testing.TB, origin, text string) *Server {
	tb.Helper()
	s, err := newServer(origin, text)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

func newServer(origin, text string) (*Server, error) {
	z, err := ParseZone(origin, text)
	if err != nil {
		return nil, err
	}
	k, err := NewKey(DefaultKeyName, dns.HmacSHA256)
	if err != nil {
		return nil, err
	}
	s, err := Start(Config{Zones: []*Zone{z}, Keys: []Key{k}})
	if err != nil {
		return nil, fmt.Errorf("dnstest: starting a server for %s: %w", origin, err)
	}
	return s, nil
}

// Zone returns the first zone the server serves (NewServer's only zone),
// or nil if it serves none.
func (s *Server) Zone() *Zone {
	if len(s.zones) == 0 {
		return nil
	}
	return s.zones[0]
}

// Key returns the first TSIG key the server accepts (NewServer's key), with
// its name and algorithm as given, or the zero Key if it accepts none.
func (s *Server) Key() Key { return s.firstKey }
