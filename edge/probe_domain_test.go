package edge_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"testing"
	"time"

	"github.com/xmppfed/edgefailover/edge"
	"github.com/xmppfed/edgefailover/edge/xmpptest"
	"github.com/xmppfed/edgefailover/xmppdns"
	"github.com/xmppfed/edgefailover/xmppdns/dnstest"
)

// fakeResolver returns fixed candidates.
type fakeResolver struct {
	cands []xmppdns.Candidate
	err   error
	calls int
}

func (f *fakeResolver) Candidates(context.Context, string) ([]xmppdns.Candidate, error) {
	f.calls++
	return f.cands, f.err
}

var _ edge.Resolver = (*fakeResolver)(nil)

// candidate turns a loopback host:port into a candidate.
func candidate(t *testing.T, addr string, prio uint16) xmppdns.Candidate {
	t.Helper()
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatal(err)
	}
	var p uint16
	if _, err := fmt.Sscan(port, &p); err != nil {
		t.Fatal(err)
	}
	return xmppdns.Candidate{Host: host, Port: p, Priority: prio, FromSRV: true}
}

func TestProbeDomain(t *testing.T) {
	t.Parallel()
	domains := []string{"contoso.com"}
	stopped := newXMPP(t, xmpptest.Config{Domains: domains})
	stopped.Stop()
	silent := newXMPP(t, xmpptest.Config{Domains: domains, Fault: xmpptest.FaultSilence})
	good := newXMPP(t, xmpptest.Config{Domains: domains})
	unknown := newXMPP(t, xmpptest.Config{Domains: []string{"fabrikam.com"}})
	cfg := edge.ProbeConfig{From: "probe.example", Timeout: 300 * time.Millisecond}

	tests := []struct {
		name     string
		cands    []xmppdns.Candidate
		attempts int
		answered int
		check    func(t *testing.T, r *edge.DomainResult)
	}{
		{"moves on past refused and silent", []xmppdns.Candidate{
			candidate(t, stopped.Addr(), 0), candidate(t, silent.Addr(), 5), candidate(t, good.Addr(), 10), candidate(t, unknown.Addr(), 20),
		}, 3, 2, func(t *testing.T, r *edge.DomainResult) {
			if a := r.Attempts; a[0].Result.Connected || a[0].Result.DialError == nil ||
				!errors.Is(a[1].Result.Failure, edge.ErrTimeout) || !r.Answer().Result.OK() || r.Answer().Candidate.Priority != 10 {
				t.Errorf("attempts = %+v", a)
			}
		}},
		{"a stream error stops the search", []xmppdns.Candidate{
			candidate(t, unknown.Addr(), 0), candidate(t, good.Addr(), 10),
		}, 1, 0, func(t *testing.T, r *edge.DomainResult) {
			if e := r.Answer().Result.StreamError; e == nil || e.Condition != "host-unknown" {
				t.Errorf("stream error = %+v", e)
			}
		}},
		{"invalid candidate is recorded and skipped", []xmppdns.Candidate{
			{Host: "bad_host.contoso.com", Port: 5269}, candidate(t, good.Addr(), 10),
		}, 2, 1, func(t *testing.T, r *edge.DomainResult) {
			if a := r.Attempts[0]; !errors.Is(a.Err, edge.ErrInvalidInput) || a.Result != nil {
				t.Errorf("attempt = %+v", a)
			}
		}},
		{"nobody answers", []xmppdns.Candidate{candidate(t, stopped.Addr(), 0)}, 1, -1, func(t *testing.T, r *edge.DomainResult) {
			if r.Answer() != nil {
				t.Errorf("answer = %+v", r.Answer())
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r, err := edge.ProbeDomain(testCtx(t), &fakeResolver{cands: tt.cands}, "Contoso.com.", cfg)
			if err != nil {
				t.Fatal(err)
			}
			if r.Domain != "contoso.com" || len(r.Attempts) != tt.attempts || r.Answered != tt.answered || len(r.Candidates) != len(tt.cands) {
				t.Fatalf("result = %+v", r)
			}
			tt.check(t, r)
		})
	}
}

func TestProbeDomainResolveFailureIsData(t *testing.T) {
	t.Parallel()
	r, err := edge.ProbeDomain(testCtx(t), &fakeResolver{err: xmppdns.ErrServiceNotAvailable}, "contoso.com", edge.ProbeConfig{From: "probe.example"})
	if err != nil || !errors.Is(r.ResolveError, xmppdns.ErrServiceNotAvailable) || len(r.Attempts) != 0 || r.Answer() != nil {
		t.Errorf("ProbeDomain = %+v, %v", r, err)
	}
}

func TestProbeDomainRejectsInput(t *testing.T) {
	t.Parallel()
	f := &fakeResolver{}
	for _, tc := range []struct {
		domain string
		r      edge.Resolver
		cfg    edge.ProbeConfig
	}{
		{"contoso", f, edge.ProbeConfig{From: "probe.example"}},
		{"_xmpp-server._tcp.contoso.com", f, edge.ProbeConfig{From: "probe.example"}},
		{"contoso.com", f, edge.ProbeConfig{}},
		{"contoso.com", nil, edge.ProbeConfig{From: "probe.example"}},
	} {
		if _, err := edge.ProbeDomain(testCtx(t), tc.r, tc.domain, tc.cfg); !errors.Is(err, edge.ErrInvalidInput) {
			t.Errorf("ProbeDomain(%q) = %v, want ErrInvalidInput", tc.domain, err)
		}
	}
	if f.calls != 0 {
		t.Errorf("resolver called %d times", f.calls)
	}
}

// TestProbeDomainThroughDNS resolves with the real xmppdns.Resolver against
// dnstest, and dials through a vantage-point dialer that maps the Edge pools'
// names to xmpptest listeners: the pool with the lowest SRV priority is down,
// so the probe reports the second pool answering.
func TestProbeDomainThroughDNS(t *testing.T) {
	t.Parallel()
	dns := dnstest.NewTestServer(t, "contoso.test", `
$TTL 300
_xmpp-server._tcp IN SRV 10 0 5269 edgepool2.contoso.test.
_xmpp-server._tcp IN SRV 20 0 5269 edgepool1.contoso.test.
edgepool1 IN A 192.0.2.10
edgepool2 IN A 192.0.2.20
`)
	pool1 := newXMPP(t, xmpptest.Config{Domains: []string{"contoso.test"}})
	pool2 := newXMPP(t, xmpptest.Config{Domains: []string{"contoso.test"}})
	pool2.Stop() // its Edge services are stopped
	routes := map[string]string{"edgepool1.contoso.test:5269": pool1.Addr(), "edgepool2.contoso.test:5269": pool2.Addr()}
	cfg := edge.ProbeConfig{From: "probe.example", StartTLS: true, Dial: func(ctx context.Context, network, addr string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, network, routes[addr])
	}}
	cfg.TLSConfig = tlsRoots(pool1.CertPool())
	res := &xmppdns.Resolver{Servers: []string{dns.Addr}, Rand: rand.New(rand.NewPCG(1, 2))}
	r, err := edge.ProbeDomain(testCtx(t), res, "contoso.test", cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Attempts) != 2 || r.Attempts[0].Addr != "edgepool2.contoso.test:5269" || r.Attempts[0].Result.Connected ||
		r.Answered != 1 || r.Answer().Addr != "edgepool1.contoso.test:5269" || !r.Answer().Result.OK() {
		t.Errorf("result = %+v", r)
	}
}
