package xmppdns

import (
	"context"
	"errors"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/xmppfed/edgefailover/xmppdns/memdns"
)

// TestPlanRefusesBadInput checks that bad input gives a typed *InputError
// and that nothing reaches the provider, not even a read.
func TestPlanRefusesBadInput(t *testing.T) {
	t.Parallel()
	ok := srv("edgepool2.contoso.com.", 10)
	tests := []struct {
		name    string
		desired Desired
		field   string // prefix of InputError.Field
	}{
		{"domain outside the zone", SRVSet{Domain: "fabrikam.com", Records: []SRV{ok}}, "SRVSet.Domain"},
		{"domain with a service label", SRVSet{Domain: "_x.contoso.com", Records: []SRV{ok}}, "SRVSet.Domain"},
		{"lookalike domain", SRVSet{Domain: "evilcontoso.com", Records: []SRV{ok}}, "SRVSet.Domain"},
		{"single-label target without the dot", SRVSet{Domain: "contoso.com", Records: []SRV{srv("edgepool2", 10)}}, "SRVSet.Records[0].Target"},
		{"single-label target", SRVSet{Domain: "contoso.com", Records: []SRV{srv("edgepool2.", 10)}}, "SRVSet.Records[0].Target"},
		{"target with a space", SRVSet{Domain: "contoso.com", Records: []SRV{srv("edge pool.contoso.com.", 10)}}, "SRVSet.Records[0].Target"},
		{"port 0", SRVSet{Domain: "contoso.com", Records: []SRV{{Target: "edgepool2.contoso.com."}}}, "SRVSet.Records[0].Port"},
		{"no target", SRVSet{Domain: "contoso.com"}, "SRVSet.Records"},
		{"dot mixed with others", SRVSet{Domain: "contoso.com", Records: []SRV{ok, NotAvailable()}}, "SRVSet.Records[1].Target"},
		{"dot with a port", SRVSet{Domain: "contoso.com", Records: []SRV{{Target: ".", Port: 5269}}}, "SRVSet.Records[0]"},
		{"duplicate target", SRVSet{Domain: "contoso.com", Records: []SRV{ok, srv("EdgePool2.contoso.com.", 20)}}, "SRVSet.Records[1]"},
		{"TTL too short", SRVSet{Domain: "contoso.com", TTL: time.Millisecond, Records: []SRV{ok}}, "SRVSet.TTL"},
		{"TTL too long", SRVSet{Domain: "contoso.com", TTL: 30 * 24 * time.Hour, Records: []SRV{ok}}, "SRVSet.TTL"},
		{"negative TTL", SRVSet{Domain: "contoso.com", TTL: -time.Second, Records: []SRV{ok}}, "SRVSet.TTL"},
		{"fractional TTL", SRVSet{Domain: "contoso.com", TTL: 1500 * time.Millisecond, Records: []SRV{ok}}, "SRVSet.TTL"},
		{"host outside the zone", AddrSet{Host: "xmpp.fabrikam.com", IPs: []netip.Addr{netip.MustParseAddr("192.0.2.1")}}, "AddrSet.Host"},
		{"no address", AddrSet{Host: "xmpp.contoso.com"}, "AddrSet.IPs"},
		{"invalid address", AddrSet{Host: "xmpp.contoso.com", IPs: []netip.Addr{{}}}, "AddrSet.IPs[0]"},
		{"unspecified address", AddrSet{Host: "xmpp.contoso.com", IPs: []netip.Addr{netip.MustParseAddr("0.0.0.0")}}, "AddrSet.IPs[0]"},
		{"zoned address", AddrSet{Host: "xmpp.contoso.com", IPs: []netip.Addr{netip.MustParseAddr("fe80::1%eth0")}}, "AddrSet.IPs[0]"},
		{"duplicate address", AddrSet{Host: "xmpp.contoso.com", IPs: []netip.Addr{netip.MustParseAddr("192.0.2.1"), netip.MustParseAddr("::ffff:192.0.2.1")}}, "AddrSet.IPs[1]"},
		{"raw RRset of another type", RRset{Name: "www.contoso.com.", Type: "TXT", Data: []string{"x"}}, "type"},
		{"raw A with IPv6 data", RRset{Name: "xmpp.contoso.com.", Type: "A", TTL: time.Minute, Data: []string{"2001:db8::1"}}, "RRset.Data"},
		{"raw SRV with a relative target", RRset{Name: "_xmpp-server._tcp.contoso.com.", Type: "SRV", TTL: time.Minute, Data: []string{"10 0 5269 edge"}}, "RRset.Data"},
		{"raw SRV out of uint16", RRset{Name: "_xmpp-server._tcp.contoso.com.", Type: "SRV", TTL: time.Minute, Data: []string{"70000 0 5269 edge.contoso.com."}}, "RRset.Data"},
		{"nil desired", nil, "desired[0]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := seeded()
			z := newTestZone(t, p)
			_, err := z.Plan(context.Background(), tt.desired)
			var ie *InputError
			if !errors.Is(err, ErrInvalidInput) || !errors.As(err, &ie) {
				t.Fatalf("Plan error = %v, want *InputError", err)
			}
			if !strings.HasPrefix(ie.Field, tt.field) {
				t.Errorf("Field = %q, want prefix %q (%v)", ie.Field, tt.field, err)
			}
			if n := p.Calls("GetRecords"); n != 0 {
				t.Errorf("%d reads before refusing", n)
			}
		})
	}
}

func TestPlanRefusesSameRRsetTwice(t *testing.T) {
	t.Parallel()
	z := newTestZone(t, seeded())
	s := SRVSet{Domain: "contoso.com", Records: []SRV{srv("edgepool2.contoso.com.", 10)}}
	if _, err := z.Plan(context.Background(), s, s); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("error = %v", err)
	}
}

func TestNotAvailableIsAccepted(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	z := newTestZone(t, seeded())
	ch, err := z.SetSRV(ctx, "contoso.com", NotAvailable())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(ch.String(), "-> (0 0 0 . ttl=3600)") {
		t.Errorf("change: %s", ch)
	}
}

func TestInputErrorIsBounded(t *testing.T) {
	t.Parallel()
	z := newTestZone(t, seeded())
	_, err := z.Plan(context.Background(), SRVSet{Domain: strings.Repeat("a", 5000) + ".contoso.com"})
	if err == nil || len(err.Error()) > 400 {
		t.Fatalf("error not bounded: %d bytes", len(err.Error()))
	}
}

// TestNamesWithOrWithoutTheTrailingDot: every name a caller gives (zone,
// domain, host, SRV target, pool) may carry the trailing dot or not; what
// comes back is absolute and lower case either way.
func TestNamesWithOrWithoutTheTrailingDot(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	plan := func(zone, domain, target, host string) string {
		t.Helper()
		z, err := NewZone(zone, memdns.New(testZone), ZoneOptions{})
		if err != nil {
			t.Fatal(err)
		}
		ch, err := z.Plan(ctx,
			SRVSet{Domain: domain, Records: []SRV{srv(target, 10)}},
			AddrSet{Host: host, IPs: []netip.Addr{netip.MustParseAddr("192.0.2.1")}})
		if err != nil {
			t.Fatal(err)
		}
		return ch.String()
	}
	abs := plan("contoso.com.", "contoso.com.", "edgepool2.contoso.com.", "xmpp.contoso.com.")
	if rel := plan("Contoso.com", "contoso.COM", "EdgePool2.contoso.com", "xmpp.contoso.com"); rel != abs {
		t.Errorf("without the dot:\n%s\nwith it:\n%s", rel, abs)
	}
	if !strings.Contains(abs, "_xmpp-server._tcp.contoso.com. SRV 10 0 5269 edgepool2.contoso.com.") {
		t.Errorf("plan does not show absolute names: %s", abs)
	}
	if SRVName("contoso.com") != SRVName("Contoso.com.") || SRVName("contoso.com") != "_xmpp-server._tcp.contoso.com." {
		t.Errorf("SRVName: %q, %q", SRVName("contoso.com"), SRVName("Contoso.com."))
	}
}
