package xmppdns

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/libdns/libdns"
)

// malformedSRV is SRV rdata that libdns.RR.Parse refuses, as the hand
// parsers it replaced did: non-numeric, signed or out-of-range numbers,
// missing and extra fields.
var malformedSRV = []string{
	"ten 0 5269 edge.contoso.com.",
	"10 x 5269 edge.contoso.com.",
	"10 0 xmpp edge.contoso.com.",
	"10 0 70000 edge.contoso.com.",
	"10 0 65536 edge.contoso.com.",
	"70000 0 5269 edge.contoso.com.",
	"-1 0 5269 edge.contoso.com.",
	"+1 0 5269 edge.contoso.com.",
	"0x10 0 5269 edge.contoso.com.",
	"1_0 0 5269 edge.contoso.com.",
	"10 0 5269",
	"10 0 5269 edge.contoso.com. extra",
	"edge.contoso.com.",
	"",
}

func TestMalformedSRVRefused(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, d := range malformedSRV {
		if _, err := parseSRVData(d); !errors.Is(err, ErrMalformed) {
			t.Errorf("parseSRVData(%q) = %v, want ErrMalformed", d, err)
		}
		if got := canonicalData("SRV", d); got != d {
			t.Errorf("canonicalData(%q) = %q, want it kept as read", d, got)
		}
		set := RRset{Name: "_xmpp-server._tcp.contoso.com.", Type: "SRV", TTL: time.Hour, Data: []string{d}}
		for _, r := range set.toLibdns(testZone) {
			if _, ok := r.(libdns.SRV); ok || r.RR().Data != d {
				t.Errorf("toLibdns(%q) = %#v, want a libdns.RR holding the data", d, r)
			}
		}
		if d == "" {
			continue // an RRset with no data is absent, not malformed
		}
		p := seeded()
		z := newTestZone(t, p)
		if _, err := z.Plan(ctx, set); !errors.Is(err, ErrInvalidInput) {
			t.Errorf("Plan(%q) = %v, want ErrInvalidInput", d, err)
		}
		p.Put(testZone, libdns.RR{Name: "_xmpp-server._tcp", TTL: time.Hour, Type: "SRV", Data: d})
		if _, err := z.GetSRV(ctx, "contoso.com"); !errors.Is(err, ErrMalformed) {
			t.Errorf("GetSRV of %q = %v, want ErrMalformed", d, err)
		}
	}
}

func TestSRVDataCanonical(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"010 0 5269 Edge.Contoso.com":  "10 0 5269 edge.contoso.com.",
		" 1  2\t3   x. ":               "1 2 3 x.",
		"65535 65535 65535 a.":         "65535 65535 65535 a.",
		"0 0 0 .":                      "0 0 0 .",
		"10 5 5269 edge2.contoso.com.": "10 5 5269 edge2.contoso.com.",
	} {
		if got := canonicalData("SRV", in); got != want {
			t.Errorf("canonicalData(%q) = %q, want %q", in, got, want)
		}
		srv, err := parseSRVData(want)
		if err != nil || srv.String() != want {
			t.Errorf("parseSRVData(%q) = %v, %v", want, srv, err)
		}
	}
}

// TestSRVRecordKeepsOwner: the libdns.SRV a provider receives names the
// RRset's owner whatever its labels. The hand split this replaced turned
// "_._" into "@" (empty service and transport make libdns.SRV.RR take
// Name alone); the public API refuses such names before they get here.
func TestSRVRecordKeepsOwner(t *testing.T) {
	t.Parallel()
	for _, rel := range []string{"_xmpp-server._tcp", "_xmpp-server._tcp.fabrikam", "__x._tcp", "xmpp", "a._tcp", "_a.b", "@", "_._", "_._.x"} {
		r := srvRecord(rel, time.Hour, "10 0 5269 edge.contoso.com.")
		srv, ok := r.(libdns.SRV)
		if !ok {
			t.Fatalf("srvRecord(%q) = %#v, want a libdns.SRV", rel, r)
		}
		if rr := srv.RR(); rr.Name != rel || rr.Data != "10 0 5269 edge.contoso.com." || rr.TTL != time.Hour {
			t.Errorf("srvRecord(%q).RR() = %+v", rel, rr)
		}
	}
}
