package conformance

import (
	"testing"

	"github.com/libdns/libdns/libdnstest"
	"github.com/xmppfed/edgefailover/xmppdns/memdns"
)

// TestLibdnstestMemdns runs libdnstest unchanged against the in-memory
// provider, in its shape with all four record interfaces (memdns.Appender),
// so that the double keeps the contract the real providers are held to.
func TestLibdnstestMemdns(t *testing.T) {
	p := memdns.Appender{Provider: memdns.New("example.test.")}
	libdnstest.NewTestSuite(p, "example.test.").RunTests(t)
}
