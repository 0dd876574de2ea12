package failover

import (
	"errors"
	"strings"
	"testing"

	"github.com/xmppfed/edgefailover/edge"
)

// A failed verification names what the probe lacked, not "features, TLS or
// certificate": the admin must know which to look at.
func TestProbeSummaryNamesTheShortfall(t *testing.T) {
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
		{"no features", &edge.ProbeResult{Connected: true, Stream: stream}, "no stream features"},
		{"no starttls", &edge.ProbeResult{Connected: true, Stream: stream, Features: feats, TLS: &edge.TLSResult{}}, "STARTTLS not accepted"},
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
		{"features after tls", &edge.ProbeResult{Connected: true, Stream: stream, Features: feats, TLS: func() *edge.TLSResult {
			t := good()
			t.Features = nil
			return t
		}()}, "no stream features after TLS"},
	} {
		if got := probeSummary(tc.r); !strings.Contains(got, tc.want) || strings.HasSuffix(got, ": unknown") {
			t.Errorf("%s: probeSummary = %q, want it to say %q", tc.name, got, tc.want)
		}
	}
	if got := probeSummary(&edge.ProbeResult{Connected: true, Stream: stream, Features: feats, TLS: good()}); got != "XMPP features offered" {
		t.Errorf("a good probe: %q", got)
	}
}
