package edge_test

import (
	"crypto/tls"
	"encoding/json"
	"strings"
	"testing"

	"github.com/xmppfed/edgefailover/edge"
	"github.com/xmppfed/edgefailover/edge/xmpptest"
)

func TestProbeResultReport(t *testing.T) {
	t.Parallel()
	s := newXMPP(t, xmpptest.Config{Domains: []string{"contoso.com"}, CertNames: []string{"edge.fabrikam.com"}})
	res, err := edge.Probe(testCtx(t), s.Addr(), edge.ProbeConfig{To: "contoso.com", From: "probe.example", StartTLS: true,
		TLSConfig: &tls.Config{RootCAs: s.CertPool()}})
	if err != nil {
		t.Fatal(err)
	}
	want := s.Addr() + ` contoso.com: connected, stream "1.0" from "contoso.com", features [starttls dialback], TLS 1.3, names do not cover the domain, chain ok`
	if got := res.String(); got != want {
		t.Errorf("String() =\n%s\nwant\n%s", got, want)
	}
	b, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Connected bool
		Failure   string
		Stream    struct{ From string }
		TLS       struct {
			NamesCoverDomain bool
			NameError        string
			VerifyError      string
			Chain            []struct{ DNSNames []string }
		}
	}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	if !m.Connected || m.Stream.From != "contoso.com" || m.TLS.NamesCoverDomain || !strings.Contains(m.TLS.NameError, "edge.fabrikam.com") ||
		m.TLS.VerifyError != "" || len(m.TLS.Chain) != 2 || m.Failure != "" {
		t.Errorf("JSON = %s", b)
	}

	s.Stop()
	res, _ = edge.Probe(testCtx(t), s.Addr(), edge.ProbeConfig{To: "contoso.com", From: "probe.example"})
	if got := res.String(); !strings.HasPrefix(got, s.Addr()+" contoso.com: not connected (dial tcp") {
		t.Errorf("String() = %s", got)
	}
	if b, _ := json.Marshal(res); !strings.Contains(string(b), `"DialError":"dial tcp`) {
		t.Errorf("JSON = %s", b)
	}
}
