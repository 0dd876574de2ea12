package edge_test

import (
	"crypto/tls"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xmppfed/edgefailover/edge"
	"github.com/xmppfed/edgefailover/edge/xmpptest"
)

// TestProbeOtherNames: per RFC 6125/7590 an SRV-ID or an XmppAddr for the
// domain covers it, as a DNS-ID does; one for another domain does not.
func TestProbeOtherNames(t *testing.T) {
	t.Parallel()
	const domain = "contoso.com"
	for _, tc := range []struct {
		name      string
		srv, xmpp []string
		by        string
	}{
		{"SRV-ID", []string{"_xmpp-server.Contoso.com"}, nil, edge.MatchSRVID},
		{"XmppAddr", nil, []string{"contoso.com"}, edge.MatchXmppAddr},
		{"SRV-ID of client service", []string{"_xmpp-client.contoso.com"}, nil, ""},
		{"SRV-ID and XmppAddr of another domain", []string{"_xmpp-server.fabrikam.com"}, []string{"user@contoso.com", "fabrikam.com"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := newXMPP(t, xmpptest.Config{Domains: []string{domain}, CertNames: []string{"edge.example"},
				CertSRVNames: tc.srv, CertXmppAddrs: tc.xmpp})
			cfg := edge.ProbeConfig{To: domain, From: "probe.example", StartTLS: true, TLSConfig: &tls.Config{RootCAs: s.CertPool()}}
			res, err := edge.Probe(testCtx(t), s.Addr(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			tr := res.TLS
			if tr == nil || !tr.HandshakeComplete {
				t.Fatalf("TLS = %+v, failure %v", tr, res.Failure)
			}
			if tr.NamesCoverDomain != (tc.by != "") || tr.NamesMatchedBy != tc.by || res.OK() != (tc.by != "") {
				t.Errorf("covers %v by %q (err %v), want by %q", tr.NamesCoverDomain, tr.NamesMatchedBy, tr.NameError, tc.by)
			}
			if leaf := tr.Chain[0]; !slices.Equal(leaf.SRVNames, tc.srv) || !slices.Equal(leaf.XmppAddrs, tc.xmpp) ||
				!slices.Equal(leaf.DNSNames, []string{"edge.example"}) {
				t.Errorf("leaf = %+v", leaf)
			}
		})
	}
}

// TestProbeNonXMLBanner: a peer that answers with a banner (SMTP, FTP) or
// HTTP is reported at once as malformed, not at the probe's deadline.
func TestProbeNonXMLBanner(t *testing.T) {
	t.Parallel()
	for _, banner := range []string{"220 mail.contoso.com ESMTP Postfix\r\n", "  HTTP/1.1 400 Bad Request\r\n\r\n", "\x15\x03\x01\x00\x02\x02\x46"} {
		dial := pipePeer(func(w io.Writer) error { _, err := io.WriteString(w, banner); return err }, true)
		start := time.Now()
		res, err := edge.Probe(testCtx(t), "peer.contoso.com:5269", edge.ProbeConfig{To: "contoso.com", From: "probe.example", Dial: dial, Timeout: 10 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		if !errors.Is(res.Failure, edge.ErrMalformed) || time.Since(start) > 2*time.Second {
			t.Errorf("%q: failure %v after %v", banner, res.Failure, time.Since(start))
		}
		if first := strings.Fields(banner); len(first) > 0 && first[0] == "220" && !strings.Contains(res.Failure.Error(), "220 mail.contoso.com") {
			t.Errorf("failure does not quote the banner: %v", res.Failure)
		}
	}
}
