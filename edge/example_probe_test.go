package edge_test

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"time"

	"github.com/xmppfed/edgefailover/edge"
	"github.com/xmppfed/edgefailover/edge/xmpptest"
)

// Probe an Edge server's federation port as a remote XMPP server would,
// including STARTTLS and the certificate check. The xmpptest double stands in
// for the Edge server.
func ExampleProbe() {
	srv, err := xmpptest.NewServer(xmpptest.Config{
		Domains:   []string{"contoso.com"},
		CertNames: []string{"xmpp.contoso.com", "contoso.com"},
	})
	if err != nil {
		panic(err)
	}
	defer srv.Close()

	res, err := edge.Probe(context.Background(), srv.Addr(), edge.ProbeConfig{
		To:        "contoso.com",
		From:      "probe.example",
		StartTLS:  true,
		TLSConfig: &tls.Config{RootCAs: srv.CertPool()}, // in production: nil for the system roots
		Timeout:   5 * time.Second,
	})
	if err != nil {
		panic(err) // invalid input or a cancelled context
	}
	fmt.Println("connected:", res.Connected)
	fmt.Println("stream from:", res.Stream.From, "version:", res.Stream.Version)
	fmt.Println("starttls:", res.Features.StartTLS, "dialback:", res.Features.Dialback)
	fmt.Println("tls:", res.TLS.VersionName)
	fmt.Println("certificate names:", res.TLS.Chain[0].DNSNames)
	fmt.Println("names cover contoso.com:", res.TLS.NamesCoverDomain, "chain verified:", res.TLS.ChainVerified)
	fmt.Println("ok:", res.OK())
	// Output:
	// connected: true
	// stream from: contoso.com version: 1.0
	// starttls: true dialback: true
	// tls: TLS 1.3
	// certificate names: [xmpp.contoso.com contoso.com]
	// names cover contoso.com: true chain verified: true
	// ok: true
}

// A stopped listener, an unknown domain and a silent peer are outcomes in
// the result, not errors.
func ExampleProbe_outcomes() {
	srv, err := xmpptest.NewServer(xmpptest.Config{Domains: []string{"contoso.com"}})
	if err != nil {
		panic(err)
	}
	defer srv.Close()
	ctx := context.Background()
	cfg := edge.ProbeConfig{To: "fabrikam.com", From: "probe.example", Timeout: 200 * time.Millisecond}

	res, _ := edge.Probe(ctx, srv.Addr(), cfg)
	fmt.Println("unknown domain:", res.StreamError.Condition)

	cfg.To = "contoso.com"
	srv.SetFault(xmpptest.FaultSilence)
	res, _ = edge.Probe(ctx, srv.Addr(), cfg)
	var se *edge.StageError
	if errors.As(res.Failure, &se) {
		fmt.Println("silent peer: connected", res.Connected, "stage:", se.Stage, "timeout:", errors.Is(se, edge.ErrTimeout))
	}

	srv.Stop()
	res, _ = edge.Probe(ctx, srv.Addr(), cfg)
	fmt.Println("stopped: connected", res.Connected, "dial error:", res.DialError != nil)
	// Output:
	// unknown domain: host-unknown
	// silent peer: connected true stage: stream header timeout: true
	// stopped: connected false dial error: true
}
