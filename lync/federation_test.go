package lync_test

import (
	"errors"
	"testing"
	"time"

	"github.com/xmppfed/edgefailover/lync"
	"github.com/xmppfed/edgefailover/lync/lynctest"
	"github.com/xmppfed/edgefailover/lync/winrm"
)

func TestCertificatesOnEdge(t *testing.T) {
	t.Parallel()
	cfg := topology(lynctest.SfB2015, "")
	exp := time.Date(2031, 3, 4, 5, 6, 7, 0, time.UTC)
	cfg.Federation.Certificates = map[string][]lynctest.Certificate{
		edge03: {{AlternativeNames: []string{"sip.contoso.com", "*.fabrikam.com", "contoso.com"}, NotAfter: exp},
			{Use: "Internal", AlternativeNames: []string{edge03}}},
	}
	d := newDeployment(t, cfg)
	c := lync.NewClient(newRunner(t, endpoint(d, edge03, true), winrm.Options{}), lync.ClientOptions{})
	certs, err := c.Federation.Certificates(t.Context(), lync.UseAccessEdgeExternal)
	if err != nil {
		t.Fatal(err)
	}
	if len(certs) != 1 {
		t.Fatalf("certs = %+v", certs)
	}
	ce := certs[0]
	if ce.Use != lync.UseAccessEdgeExternal || !ce.NotAfter.Equal(exp) || ce.Thumbprint == "" || ce.Issuer == "" {
		t.Errorf("cert = %+v", ce)
	}
	for name, want := range map[string]bool{"contoso.com": true, "xmpp.fabrikam.com": true, "fabrikam.com": false,
		"a.b.fabrikam.com": false, "xmpp.contoso.com": false, "SIP.Contoso.COM.": true} {
		if got := ce.Covers(name); got != want {
			t.Errorf("Covers(%s) = %v, want %v", name, got, want)
		}
	}
	all, err := c.Federation.Certificates(t.Context())
	if err != nil || len(all) != 2 {
		t.Errorf("List() = %+v, %v", all, err)
	}
	if _, err := c.Federation.Certificates(t.Context(), "NoSuchType"); !errors.Is(err, lync.ErrInvalidInput) && err == nil {
		t.Errorf("List(NoSuchType) err = %v", err)
	}
	if _, err := c.Federation.Certificates(t.Context(), "Bad'Type"); !errors.Is(err, lync.ErrInvalidInput) {
		t.Errorf("List(quote) err = %v", err)
	}
}

func TestFederationSettings(t *testing.T) {
	t.Parallel()
	cfg := topology(lynctest.Lync2013, "")
	cfg.Federation.AllowFederatedUsers = true
	cfg.Federation.Partners = []lynctest.XmppPartner{{Domain: "jabber.example", AdditionalDomains: []string{"chat.example"}, Dialback: true}}
	d := newDeployment(t, cfg)
	c := newClient(t, d, true, winrm.Options{})
	ctx := t.Context()
	ae, err := c.Federation.AccessEdge(ctx)
	if err != nil || !ae.AllowFederatedUsers || ae.Identity != "Global" {
		t.Fatalf("AccessEdge = %+v, %v", ae, err)
	}
	ps, err := c.Federation.XmppPartners(ctx)
	if err != nil || len(ps) != 1 || ps[0].Domain != "jabber.example" || ps[0].TlsNegotiation != "Optional" ||
		!ps[0].Dialback || len(ps[0].AdditionalDomains) != 1 {
		t.Fatalf("XmppPartners = %+v, %v", ps, err)
	}
	r, err := c.Federation.TestXmppIM(ctx, fePool, "alice@chat.example", "sip:bob@contoso.com")
	if err != nil || !r.OK() {
		t.Fatalf("TestXmppIM = %+v, %v", r, err)
	}
	d.SetAllowFederatedUsers(false)
	if r, err := c.Federation.TestXmppIM(ctx, fePool, "alice@chat.example", ""); err != nil || r.OK() || r.Error == "" {
		t.Errorf("TestXmppIM with federation off = %+v, %v", r, err)
	}
	if _, err := c.Federation.TestXmppIM(ctx, fePool, "alice'@x.example", ""); !errors.Is(err, lync.ErrInvalidInput) {
		t.Errorf("bad receiver err = %v", err)
	}
	if es, err := c.Pools.EdgeServices(ctx, edgeP2); err != nil || es[0].Version != 6 {
		t.Errorf("Version = %+v, %v", es, err)
	}
	d.SetVersion(8)
	if es, err := c.Pools.EdgeServices(ctx, edgeP2); err != nil || es[0].Version != 8 {
		t.Errorf("Version after SetVersion(8) = %+v, %v", es, err)
	}
}

func TestTCPReachability(t *testing.T) {
	t.Parallel()
	d := newDeployment(t, topology(lynctest.SfB2015, ""))
	c := newClient(t, d, true, winrm.Options{})
	ctx := t.Context()
	r, err := c.Federation.TestTCP(ctx, edge03, 23456)
	if err != nil || !r.Reachable {
		t.Fatalf("TestTCP = %+v, %v", r, err)
	}
	d.SetReachable(edge03, 23456, false)
	r, err = c.Federation.TestTCP(ctx, edge03, 23456)
	if err != nil || r.Reachable || r.Error == "" {
		t.Fatalf("TestTCP blocked = %+v, %v", r, err)
	}
	if r, err := c.Federation.TestTCP(ctx, edge03, 4443); err != nil || r.Reachable {
		t.Errorf("TestTCP closed port = %+v, %v", r, err)
	}
	if _, err := c.Federation.TestTCP(ctx, edge03, 0); !errors.Is(err, lync.ErrInvalidInput) {
		t.Errorf("port 0 err = %v", err)
	}
}
