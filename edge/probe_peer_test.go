package edge_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"net"
	"testing"

	"github.com/xmppfed/edgefailover/edge"
	"github.com/xmppfed/edgefailover/edge/xmpptest"
	"github.com/xmppfed/edgefailover/internal/testpeer"
)

// The same checks run against the xmpptest double and against real Prosody,
// so the double cannot drift into accepting what Prosody refuses.

func TestProbeProsody(t *testing.T) {
	t.Parallel()
	p := testpeer.StartProsody(t, "peer.test")
	checkS2SPeer(t, p.S2SAddr, "peer.test", p.CertPool)
	if t.Failed() {
		t.Logf("prosody log:\n%s", p.Log())
	}
}

func TestProbeXMPPTestConforms(t *testing.T) {
	t.Parallel()
	s := newXMPP(t, xmpptest.Config{Domains: []string{"peer.test"}})
	checkS2SPeer(t, s.Addr(), "peer.test", s.CertPool())
}

func checkS2SPeer(t *testing.T, addr, domain string, roots *x509.CertPool) {
	cfg := edge.ProbeConfig{To: domain, From: "probe.example", TLSConfig: &tls.Config{RootCAs: roots}}
	t.Run("features", func(t *testing.T) {
		res, err := edge.Probe(testCtx(t), addr, cfg)
		if err != nil {
			t.Fatal(err)
		}
		if !res.OK() || res.Stream.From != domain || res.Stream.To != "probe.example" || res.Stream.Version != "1.0" || res.Stream.ID == "" {
			t.Fatalf("result %+v stream %+v failure %v", res, res.Stream, res.Failure)
		}
		if f := res.Features; !f.StartTLS || f.StartTLSRequired || !f.Dialback {
			t.Errorf("features = %+v", f)
		}
	})
	t.Run("starttls", func(t *testing.T) {
		cfg := cfg
		cfg.StartTLS = true
		res, err := edge.Probe(testCtx(t), addr, cfg)
		if err != nil {
			t.Fatal(err)
		}
		tr := res.TLS
		if !res.OK() || tr.Version != tls.VersionTLS13 || !tr.NamesCoverDomain || !tr.ChainVerified || len(tr.Chain) == 0 {
			t.Fatalf("TLS %+v failure %v", tr, res.Failure)
		}
		// Prosody offers no SASL mechanism to a peer without a certificate.
		if tr.Features.StartTLS || !tr.Features.Dialback || len(tr.Features.SASLMechanisms) != 0 || tr.Stream.From != domain {
			t.Errorf("after TLS: stream %+v features %+v", tr.Stream, tr.Features)
		}
	})
	t.Run("starttls with an untrusted client certificate", func(t *testing.T) {
		// Prosody 0.12 offers SASL EXTERNAL only for a certificate it can
		// verify; this self-signed one it cannot.
		cfg := cfg
		cfg.StartTLS = true
		cfg.TLSConfig = &tls.Config{RootCAs: roots, Certificates: []tls.Certificate{clientCert(t, "probe.example")}}
		res, err := edge.Probe(testCtx(t), addr, cfg)
		if err != nil {
			t.Fatal(err)
		}
		if !res.OK() || len(res.TLS.Features.SASLMechanisms) != 0 {
			t.Errorf("after TLS: features %+v failure %v", res.TLS.Features, res.Failure)
		}
	})
	t.Run("host-unknown", func(t *testing.T) {
		cfg := cfg
		cfg.To = "other.test"
		res, err := edge.Probe(testCtx(t), addr, cfg)
		if err != nil {
			t.Fatal(err)
		}
		if e := res.StreamError; e == nil || e.Condition != "host-unknown" || e.Text != "This host does not serve other.test" || res.Failure != nil {
			t.Errorf("stream error %+v failure %v", e, res.Failure)
		}
		if res.Stream == nil || res.Stream.From != "other.test" {
			t.Errorf("stream = %+v", res.Stream)
		}
	})
	t.Run("no from", func(t *testing.T) {
		// Prosody 0.12 (as configured here: dialback allowed, no secure
		// auth) still offers its features to a stream without 'from'; the
		// double must neither refuse it nor answer differently.
		cfg := cfg
		cfg.Dial = stripFrom
		res, err := edge.Probe(testCtx(t), addr, cfg)
		if err != nil {
			t.Fatal(err)
		}
		if f := res.Features; res.StreamError != nil || f == nil || !f.StartTLS || !f.Dialback {
			t.Errorf("stream error %+v features %+v failure %v", res.StreamError, f, res.Failure)
		}
	})
	t.Run("no version, no features", func(t *testing.T) {
		// Prosody 0.12 answers a header without version with a header
		// without version and then waits (for dialback): no features, no
		// error. The probe must not wait for features in that case.
		cfg := cfg
		cfg.Dial = stripVersion
		res, err := edge.Probe(testCtx(t), addr, cfg)
		if err != nil {
			t.Fatal(err)
		}
		if !res.Answered() || res.Stream.Version != "" || res.Features != nil || res.Failure != nil || res.Stream.From != domain {
			t.Errorf("result %+v stream %+v failure %v", res, res.Stream, res.Failure)
		}
	})
}

// stripFrom dials a connection that removes from='...' from what the probe
// writes: a stream that does not say where it comes from.
func stripFrom(ctx context.Context, network, addr string) (net.Conn, error) {
	return dialRewriting(ctx, network, addr, " from='probe.example'", "")
}

// stripVersion dials a connection that removes version='1.0' from what the
// probe writes, to play a pre-1.0 server.
func stripVersion(ctx context.Context, network, addr string) (net.Conn, error) {
	return dialRewriting(ctx, network, addr, " version='1.0'>", ">")
}

func dialRewriting(ctx context.Context, network, addr, old, new string) (net.Conn, error) {
	var d net.Dialer
	c, err := d.DialContext(ctx, network, addr)
	if err != nil {
		return nil, err
	}
	return rewriter{c, []byte(old), []byte(new)}, nil
}

// rewriter replaces the first occurrence of old in each write.
type rewriter struct {
	net.Conn
	old, new []byte
}

func (r rewriter) Write(b []byte) (int, error) {
	if _, err := r.Conn.Write(bytes.Replace(b, r.old, r.new, 1)); err != nil {
		return 0, err
	}
	return len(b), nil
}
