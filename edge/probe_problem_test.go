package edge_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/xmppfed/edgefailover/edge"
)

// Problem names what a probe lacked, not "features, TLS or certificate": an
// admin reading a failed verification must know which to look at.
func TestProbeProblemNamesTheShortfall(t *testing.T) {
	t.Parallel()
	stream := &edge.StreamHeader{Version: "1.0"}
	feats := &edge.Features{}
	good := func() *edge.TLSResult {
		return &edge.TLSResult{Proceeded: true, HandshakeComplete: true, ChainVerified: true, NamesCoverDomain: true,
			Stream: stream, Features: feats}
	}
	for _, tc := range []struct {
		name string
		r    *edge.ProbeResult
		want string
	}{
		{"nil", nil, "no result"},
		{"refused", &edge.ProbeResult{DialError: errors.New("connection refused")}, "not connected: connection refused"},
		{"no header", &edge.ProbeResult{Connected: true}, "no stream header"},
		{"stream error", &edge.ProbeResult{Connected: true, Stream: stream, StreamError: &edge.StreamError{Condition: "host-unknown"}}, "stream error host-unknown"},
		{"failure", &edge.ProbeResult{Connected: true, Stream: stream, Failure: errors.New("peer went silent")}, "failed: peer went silent"},
		{"no features", &edge.ProbeResult{Connected: true, Stream: stream}, "no stream features"},
		{"no starttls", &edge.ProbeResult{Connected: true, Stream: stream, Features: feats, TLS: &edge.TLSResult{}}, "STARTTLS not accepted"},
		{"handshake", &edge.ProbeResult{Connected: true, Stream: stream, Features: feats, TLS: &edge.TLSResult{Proceeded: true}}, "TLS handshake not completed"},
		{"chain", &edge.ProbeResult{Connected: true, Stream: stream, Features: feats, TLS: func() *edge.TLSResult {
			t := good()
			t.ChainVerified, t.VerifyError = false, errors.New("x509: certificate signed by unknown authority")
			return t
		}()}, "certificate chain not verified: x509: certificate signed by unknown authority"},
		{"names", &edge.ProbeResult{Connected: true, To: "contoso.com", Stream: stream, Features: feats, TLS: func() *edge.TLSResult {
			t := good()
			t.NamesCoverDomain, t.NameError = false, errors.New("no DNS-ID, SRV-ID or XmppAddr")
			return t
		}()}, "certificate names do not cover contoso.com"},
		{"stream error after tls", &edge.ProbeResult{Connected: true, Stream: stream, Features: feats, TLS: func() *edge.TLSResult {
			t := good()
			t.StreamError = &edge.StreamError{Condition: "not-authorized"}
			return t
		}()}, "stream error not-authorized after TLS"},
		{"features after tls", &edge.ProbeResult{Connected: true, Stream: stream, Features: feats, TLS: func() *edge.TLSResult {
			t := good()
			t.Features = nil
			return t
		}()}, "no stream features after TLS"},
	} {
		got := tc.r.Problem()
		if !strings.Contains(got, tc.want) {
			t.Errorf("%s: Problem = %q, want it to say %q", tc.name, got, tc.want)
		}
		if tc.r.OK() {
			t.Errorf("%s: OK with problem %q", tc.name, got)
		}
	}
	for _, r := range []*edge.ProbeResult{
		{Connected: true, Stream: stream, Features: feats},
		{Connected: true, Stream: stream, Features: feats, TLS: good()},
	} {
		if p := r.Problem(); p != "" || !r.OK() {
			t.Errorf("a good probe: Problem %q, OK %v", p, r.OK())
		}
	}
}

// OK is Problem() == "", and agrees with the conditions it had before
// Problem existed, over every combination of the fields they read.
func TestProbeOKIsNoProblem(t *testing.T) {
	t.Parallel()
	oldOK := func(r *edge.ProbeResult) bool {
		if !r.Answered() || r.Features == nil || r.Failure != nil {
			return false
		}
		if r.TLS == nil {
			return true
		}
		return r.TLS.NamesCoverDomain && r.TLS.ChainVerified && r.TLS.Features != nil && r.TLS.StreamError == nil
	}
	n := 0
	for bits := range 1 << 12 {
		on := func(i int) bool { return bits&(1<<i) != 0 }
		r := &edge.ProbeResult{Connected: on(0)}
		if on(1) {
			r.Stream = &edge.StreamHeader{Version: "1.0"}
		}
		if on(2) {
			r.StreamError = &edge.StreamError{Condition: "host-unknown"}
		}
		if on(3) {
			r.Failure = errors.New("closed")
		}
		if on(4) {
			r.Features = &edge.Features{}
		}
		if on(5) {
			r.TLS = &edge.TLSResult{Proceeded: on(6), HandshakeComplete: on(7), ChainVerified: on(8), NamesCoverDomain: on(9)}
			if on(10) {
				r.TLS.Features = &edge.Features{}
			}
			if on(11) {
				r.TLS.StreamError = &edge.StreamError{Condition: "not-authorized"}
			}
		}
		n++
		if got, want := r.OK(), oldOK(r); got != want {
			t.Errorf("%+v (TLS %+v): OK %v, want %v (Problem %q)", r, r.TLS, got, want, r.Problem())
		}
	}
	t.Logf("%d combinations", n)
}
