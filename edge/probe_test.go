package edge_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/xmppfed/edgefailover/edge"
	"github.com/xmppfed/edgefailover/edge/xmpptest"
)

func newXMPP(t *testing.T, cfg xmpptest.Config) *xmpptest.Server {
	t.Helper()
	s, err := xmpptest.NewServer(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// testCtx bounds every probe of a test: a probe that hangs past it fails the
// test through the error, not through a timing assertion.
func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func stageErr(t *testing.T, res *edge.ProbeResult, stage edge.Stage, want error) {
	t.Helper()
	var se *edge.StageError
	if !errors.As(res.Failure, &se) || se.Stage != stage || !errors.Is(res.Failure, want) {
		t.Errorf("Failure = %v, want stage %q and %v", res.Failure, stage, want)
	}
}

func TestProbeXMPPTest(t *testing.T) {
	t.Parallel()
	const domain = "contoso.com"
	// A client certificate the server trusts gets SASL EXTERNAL offered
	// after TLS; the server's CA is added as RootCAs below.
	cc := clientCert(t, "probe.example")
	trusted := x509.NewCertPool()
	trusted.AddCert(cc.Leaf)
	withClientCert := &tls.Config{Certificates: []tls.Certificate{cc}}
	tests := []struct {
		name   string
		server xmpptest.Config
		cfg    edge.ProbeConfig // To, From and roots are filled in
		check  func(t *testing.T, res *edge.ProbeResult)
	}{
		{"features", xmpptest.Config{}, edge.ProbeConfig{}, func(t *testing.T, res *edge.ProbeResult) {
			if !res.OK() || res.Stream.From != domain || res.Stream.To != "probe.example" || res.Stream.Version != "1.0" ||
				res.Stream.ID == "" || res.Stream.Namespace != "jabber:server" || res.Stream.Lang != "en" {
				t.Errorf("stream = %+v, OK = %v", res.Stream, res.OK())
			}
			f := res.Features
			if f == nil || !f.StartTLS || f.StartTLSRequired || !f.Dialback || len(f.SASLMechanisms) != 0 || len(f.Other) != 0 {
				t.Errorf("features = %+v", f)
			}
			rt := res.RoundTrip
			if rt.Connect <= 0 || rt.FirstByte < rt.Connect || rt.Features < rt.FirstByte || rt.Total < rt.Features || rt.TLS != 0 {
				t.Errorf("round trip = %+v", rt)
			}
		}},
		{"starttls required, no dialback", xmpptest.Config{TLS: xmpptest.TLSRequired, NoDialback: true}, edge.ProbeConfig{},
			func(t *testing.T, res *edge.ProbeResult) {
				if f := res.Features; f == nil || !f.StartTLS || !f.StartTLSRequired || f.Dialback {
					t.Errorf("features = %+v", f)
				}
			}},
		{"starttls", xmpptest.Config{CertNames: []string{"xmpp.contoso.com", domain}, ClientCAs: trusted},
			edge.ProbeConfig{StartTLS: true, TLSConfig: withClientCert},
			func(t *testing.T, res *edge.ProbeResult) {
				tr := res.TLS
				if !res.OK() || tr == nil || !tr.Proceeded || !tr.HandshakeComplete || tr.Version != tls.VersionTLS13 ||
					tr.VersionName != "TLS 1.3" || tr.CipherSuiteName == "" || !tr.NamesCoverDomain || !tr.ChainVerified {
					t.Fatalf("TLS = %+v, failure %v", tr, res.Failure)
				}
				if len(tr.Chain) != 2 || !slices.Equal(tr.Chain[0].DNSNames, []string{"xmpp.contoso.com", domain}) ||
					tr.Chain[0].Subject != "CN=xmpp.contoso.com" || !tr.Chain[1].IsCA || tr.Chain[0].NotAfter.Before(time.Now()) {
					t.Errorf("chain = %+v", tr.Chain)
				}
				if tr.Features == nil || !slices.Equal(tr.Features.SASLMechanisms, []string{"EXTERNAL"}) || tr.Features.StartTLS ||
					tr.Stream == nil || tr.Stream.From != domain {
					t.Errorf("after TLS: stream %+v features %+v", tr.Stream, tr.Features)
				}
				if res.RoundTrip.TLS < res.RoundTrip.Features {
					t.Errorf("round trip = %+v", res.RoundTrip)
				}
			}},
		{"certificate for other names", xmpptest.Config{CertNames: []string{"edge.fabrikam.com"}}, edge.ProbeConfig{StartTLS: true},
			func(t *testing.T, res *edge.ProbeResult) {
				var he x509.HostnameError
				if tr := res.TLS; tr == nil || tr.NamesCoverDomain || !errors.As(tr.NameError, &he) || !tr.ChainVerified || res.OK() {
					t.Errorf("TLS = %+v", tr)
				}
			}},
		{"wildcard does not cover the bare domain", xmpptest.Config{CertNames: []string{"*.contoso.com"}}, edge.ProbeConfig{StartTLS: true},
			func(t *testing.T, res *edge.ProbeResult) {
				if tr := res.TLS; tr == nil || tr.NamesCoverDomain || !tr.ChainVerified {
					t.Errorf("TLS = %+v", tr)
				}
			}},
		{"wildcard covers one label", xmpptest.Config{Domains: []string{"xmpp.contoso.com"}, CertNames: []string{"*.contoso.com"}},
			edge.ProbeConfig{To: "xmpp.contoso.com", StartTLS: true},
			func(t *testing.T, res *edge.ProbeResult) {
				if tr := res.TLS; tr == nil || !tr.NamesCoverDomain || !res.OK() {
					t.Errorf("TLS = %+v", tr)
				}
			}},
		{"wildcard does not cover two labels", xmpptest.Config{Domains: []string{"a.b.contoso.com"}, CertNames: []string{"*.contoso.com"}},
			edge.ProbeConfig{To: "a.b.contoso.com", StartTLS: true},
			func(t *testing.T, res *edge.ProbeResult) {
				if tr := res.TLS; tr == nil || tr.NamesCoverDomain {
					t.Errorf("TLS = %+v", tr)
				}
			}},
		{"unknown roots", xmpptest.Config{}, edge.ProbeConfig{StartTLS: true, TLSConfig: &tls.Config{RootCAs: x509.NewCertPool()}},
			func(t *testing.T, res *edge.ProbeResult) {
				var ua x509.UnknownAuthorityError
				if tr := res.TLS; tr == nil || tr.ChainVerified || !errors.As(tr.VerifyError, &ua) || !tr.NamesCoverDomain || res.OK() {
					t.Errorf("TLS = %+v", tr)
				}
			}},
		{"starttls not offered", xmpptest.Config{TLS: xmpptest.TLSNone}, edge.ProbeConfig{StartTLS: true},
			func(t *testing.T, res *edge.ProbeResult) {
				stageErr(t, res, edge.StageStartTLS, edge.ErrStartTLSNotOffered)
				if res.Features == nil || res.Features.StartTLS || res.TLS == nil || res.TLS.Proceeded {
					t.Errorf("features %+v TLS %+v", res.Features, res.TLS)
				}
			}},
		{"host-unknown", xmpptest.Config{Domains: []string{"fabrikam.com"}}, edge.ProbeConfig{StartTLS: true},
			func(t *testing.T, res *edge.ProbeResult) {
				if e := res.StreamError; e == nil || e.Condition != "host-unknown" || e.Text != "This host does not serve contoso.com" {
					t.Errorf("stream error = %+v", e)
				}
				if res.Answered() || res.Failure != nil || res.Features != nil || res.TLS != nil || res.Stream == nil {
					t.Errorf("result = %+v", res)
				}
			}},
		{"fault host-unknown", xmpptest.Config{Fault: xmpptest.FaultHostUnknown}, edge.ProbeConfig{},
			func(t *testing.T, res *edge.ProbeResult) {
				if e := res.StreamError; e == nil || e.Condition != "host-unknown" {
					t.Errorf("stream error = %+v", e)
				}
			}},
		{"no features (pre-1.0)", xmpptest.Config{Fault: xmpptest.FaultNoFeatures}, edge.ProbeConfig{},
			func(t *testing.T, res *edge.ProbeResult) {
				if !res.Answered() || res.Stream.Version != "" || res.Stream.ExpectsFeatures() || res.Features != nil || res.Failure != nil || res.OK() {
					t.Errorf("result = %+v", res)
				}
			}},
		{"no features with starttls", xmpptest.Config{Fault: xmpptest.FaultNoFeatures}, edge.ProbeConfig{StartTLS: true},
			func(t *testing.T, res *edge.ProbeResult) {
				stageErr(t, res, edge.StageStartTLS, edge.ErrStartTLSNotOffered)
			}},
		{"silence", xmpptest.Config{Fault: xmpptest.FaultSilence}, edge.ProbeConfig{Timeout: 300 * time.Millisecond},
			func(t *testing.T, res *edge.ProbeResult) {
				stageErr(t, res, edge.StageHeader, edge.ErrTimeout)
				if !res.Connected || res.Stream != nil || res.RoundTrip.FirstByte != 0 {
					t.Errorf("result = %+v", res)
				}
			}},
		{"reset", xmpptest.Config{Fault: xmpptest.FaultReset}, edge.ProbeConfig{},
			func(t *testing.T, res *edge.ProbeResult) {
				stageErr(t, res, edge.StageHeader, edge.ErrPeerClosed)
			}},
		{"garbage", xmpptest.Config{Fault: xmpptest.FaultGarbage}, edge.ProbeConfig{},
			func(t *testing.T, res *edge.ProbeResult) {
				stageErr(t, res, edge.StageHeader, edge.ErrMalformed)
			}},
		{"slow drip within the timeout", xmpptest.Config{Fault: xmpptest.FaultSlowDrip, DripDelay: 100 * time.Microsecond}, edge.ProbeConfig{},
			func(t *testing.T, res *edge.ProbeResult) {
				if !res.OK() || !res.Features.Dialback {
					t.Errorf("result = %+v, failure %v", res, res.Failure)
				}
			}},
		{"slow drip past the timeout", xmpptest.Config{Fault: xmpptest.FaultSlowDrip, DripDelay: 20 * time.Millisecond},
			edge.ProbeConfig{Timeout: 300 * time.Millisecond},
			func(t *testing.T, res *edge.ProbeResult) {
				stageErr(t, res, edge.StageHeader, edge.ErrTimeout)
				if res.RoundTrip.FirstByte == 0 {
					t.Errorf("no first byte: %+v", res.RoundTrip)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if tt.server.Domains == nil {
				tt.server.Domains = []string{domain}
			}
			s := newXMPP(t, tt.server)
			cfg := tt.cfg
			if cfg.To == "" {
				cfg.To = domain
			}
			cfg.From = "probe.example"
			if cfg.TLSConfig == nil {
				cfg.TLSConfig = &tls.Config{}
			}
			if cfg.TLSConfig.RootCAs == nil {
				cfg.TLSConfig = cfg.TLSConfig.Clone()
				cfg.TLSConfig.RootCAs = s.CertPool()
			}
			res, err := edge.Probe(testCtx(t), s.Addr(), cfg)
			if err != nil {
				t.Fatalf("Probe: %v", err)
			}
			if !res.Connected || res.DialError != nil || res.Addr != s.Addr() || res.To != cfg.To {
				t.Errorf("connected = %v, dial error %v, addr %q", res.Connected, res.DialError, res.Addr)
			}
			tt.check(t, res)
		})
	}
}
