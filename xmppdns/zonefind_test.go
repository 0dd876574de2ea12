package xmppdns

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/miekg/dns"
)

func TestFindZone(t *testing.T) {
	t.Parallel()
	_, _, a := startCluster(t, 1, "")
	for _, name := range []string{"example.test", "_xmpp-server._tcp.example.test.", "Deep.Missing.EXAMPLE.test."} {
		zone, err := a.FindZone(context.Background(), name)
		if err != nil || zone != "example.test." {
			t.Errorf("FindZone(%q) = %q, %v", name, zone, err)
		}
	}
	if _, err := a.FindZone(context.Background(), "other.invalid."); !errors.Is(err, ErrRcode) {
		t.Errorf("zone not served: %v", err) // dnstest answers REFUSED outside its zones
	}
}

func TestNameserverWithoutAddress(t *testing.T) {
	t.Parallel()
	_, _, a := startCluster(t, 1, "@ IN NS ns.elsewhere.invalid.\n")
	rep, err := a.Check(context.Background(), wantNone)
	if err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, s := range rep.Servers {
		if s.Host == "ns.elsewhere.invalid." {
			found = s.Addr == "" && !s.Match && s.Err != nil
		}
	}
	if !found || rep.Converged {
		t.Errorf("NS without address not reported: %+v", rep)
	}
}

func TestNameserversLookup(t *testing.T) {
	t.Parallel()
	_, c, a := startCluster(t, 1, "@ IN NS nsx\nnsx IN A 192.0.2.77\nnsx IN AAAA 2001:db8::77\n")
	ctx := context.Background()
	got, err := a.Nameservers(ctx, "Example.Test")
	if err != nil {
		t.Fatal(err)
	}
	want := []Nameserver{
		{Host: "ns1.example.test.", Addr: c.Addrs()[0]},
		{Host: "ns2.example.test.", Addr: c.Addrs()[1]},
		{Host: "nsx.example.test.", Addr: "192.0.2.77:53"},
		{Host: "nsx.example.test.", Addr: "[2001:db8::77]:53"},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	a.NoIPv6 = true
	got, err = a.Nameservers(ctx, "example.test.")
	if err != nil || len(got) != 3 || got[2].Addr != "192.0.2.77:53" {
		t.Errorf("NoIPv6: %v, %v", got, err)
	}
}

// TestFindZoneWalksUp checks the SOA walk when negative answers carry no
// SOA (minimal responses): it asks each parent in turn.
func TestFindZoneWalksUp(t *testing.T) {
	t.Parallel()
	f := table(t)
	var asked []string
	f.SetAnswer(func(q dns.Question, r *dns.Msg) {
		asked = append(asked, q.Name)
		if q.Name == "contoso.com." && q.Qtype == dns.TypeSOA {
			r.Answer = rrs(t, "contoso.com. 300 IN SOA ns1.contoso.com. h.contoso.com. 1 2 3 4 5")
		}
	})
	a := &Authoritative{Resolvers: []string{"192.0.2.53:53"}, Exchange: f.Exchange}
	zone, err := a.FindZone(context.Background(), "_xmpp-server._tcp.fabrikam.contoso.com")
	if err != nil || zone != "contoso.com." {
		t.Fatalf("FindZone = %q, %v", zone, err)
	}
	want := []string{"_xmpp-server._tcp.fabrikam.contoso.com.", "_tcp.fabrikam.contoso.com.", "fabrikam.contoso.com.", "contoso.com."}
	if d := cmp.Diff(want, asked); d != "" {
		t.Errorf("walk (-want +got):\n%s", d)
	}
	f.SetAnswer(func(dns.Question, *dns.Msg) {})
	if _, err := a.FindZone(context.Background(), "a.b.example"); !errors.Is(err, ErrNoAnswer) {
		t.Errorf("no SOA anywhere: %v", err)
	}
}
