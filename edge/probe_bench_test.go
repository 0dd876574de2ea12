package edge_test

import (
	"context"
	"crypto/tls"
	"testing"

	"github.com/xmppfed/edgefailover/edge"
	"github.com/xmppfed/edgefailover/edge/xmpptest"
)

// BenchmarkProbe measures one probe against the in-process double: plain
// (header and features) and with STARTTLS (handshake and restarted stream).
func BenchmarkProbe(b *testing.B) {
	srv, err := xmpptest.NewServer(xmpptest.Config{Domains: []string{"contoso.com"}})
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	for _, tc := range []struct {
		name     string
		startTLS bool
	}{{"plain", false}, {"starttls", true}} {
		b.Run(tc.name, func(b *testing.B) {
			cfg := edge.ProbeConfig{To: "contoso.com", From: "probe.example", StartTLS: tc.startTLS,
				TLSConfig: &tls.Config{RootCAs: srv.CertPool()}}
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				res, err := edge.Probe(ctx, srv.Addr(), cfg)
				if err != nil || !res.OK() {
					b.Fatalf("%+v %v", res, err)
				}
			}
		})
	}
}
