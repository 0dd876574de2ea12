package xmppdns

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/xmppfed/edgefailover/xmppdns/dnstest"
)

// longDomain returns a valid domain of n octets (without the trailing dot)
// in testZone: labels of 63 "a" and a shorter one, then "contoso.com".
func longDomain(t *testing.T, n int) string {
	t.Helper()
	suffix := ".contoso.com"
	var labels []string
	left := n - len(suffix)
	for left > 0 {
		l := min(63, left)
		if left-l == 1 { // a label needs its dot: never leave one octet
			l--
		}
		labels = append(labels, strings.Repeat("a", l))
		left -= l + 1
	}
	d := strings.Join(labels, ".") + suffix
	if len(d) != n {
		t.Fatalf("longDomain(%d) is %d octets", n, len(d))
	}
	return d
}

// TestSRVOwnerTooLong: a domain that is a valid name (at most 253 octets)
// can still be too long to carry the 18 octets of "_xmpp-server._tcp.": the
// owner name would exceed RFC 1035's 255 octets on the wire. That is bad
// input, refused before anything is sent, not a name handed to a provider
// or packed into a query.
func TestSRVOwnerTooLong(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	fits, over := longDomain(t, 253-len("_xmpp-server._tcp.")), longDomain(t, 253-len("_xmpp-server._tcp.")+1)

	p := seeded()
	z := newTestZone(t, p)
	if _, err := z.Plan(ctx, SRVSet{Domain: fits, Records: []SRV{srv("edge.contoso.com", 10)}}); err != nil {
		t.Errorf("Plan with a %d-octet domain: %v", len(fits), err)
	}
	before := p.Calls("GetRecords") + p.Calls("GetRRset")
	var ie *InputError
	if _, err := z.Plan(ctx, SRVSet{Domain: over, Records: []SRV{srv("edge.contoso.com", 10)}}); !errors.As(err, &ie) || ie.Field != "SRVSet.Domain" {
		t.Errorf("Plan with a %d-octet domain = %v, want an *InputError for SRVSet.Domain", len(over), err)
	}
	if _, err := z.GetSRV(ctx, over); !errors.As(err, &ie) || ie.Field != "domain" {
		t.Errorf("GetSRV with a %d-octet domain = %v, want an *InputError for domain", len(over), err)
	}
	if n := p.Calls("GetRecords") + p.Calls("GetRRset"); n != before {
		t.Errorf("the provider was read %d times for refused domains", n-before)
	}

	tb, err := dnstest.NewTable()
	if err != nil {
		t.Fatal(err)
	}
	r := &Resolver{Servers: []string{"192.0.2.53:53"}, Exchange: tb.Exchange}
	if _, err := r.Candidates(ctx, over); !errors.As(err, &ie) || ie.Field != "domain" {
		t.Errorf("Candidates with a %d-octet domain = %v, want an *InputError for domain", len(over), err)
	}
	if n := tb.Asked("192.0.2.53:53"); n != 0 {
		t.Errorf("Candidates sent %d queries for a refused domain", n)
	}
}

// TestNameErrorsShowTheNameOnce: an invalid name is in the error once (the
// InputError's Value, an excerpt), not a second time inside its Reason, so
// that a long hostile name cannot double an error or a log line.
func TestNameErrorsShowTheNameOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	bad := "bad_label.contoso.com"
	z := newTestZone(t, seeded())
	r := &Resolver{Servers: []string{"192.0.2.53:53"}}
	_, prioErr := Prioritized(bad)
	_, hostErr := ParseHost(bad)
	_, zoneErr := NewZone(bad, seeded(), ZoneOptions{})
	_, srvErr := z.Plan(ctx, SRVSet{Domain: "contoso.com", Records: []SRV{srv(bad, 10)}})
	_, domErr := r.Candidates(ctx, bad)
	for name, err := range map[string]error{"ParseHost": hostErr, "NewZone": zoneErr, "Prioritized": prioErr, "SRV target": srvErr, "Candidates": domErr} {
		if !errors.Is(err, ErrInvalidInput) {
			t.Errorf("%s: %v, want ErrInvalidInput", name, err)
			continue
		}
		if n := strings.Count(err.Error(), bad); n != 1 {
			t.Errorf("%s: the name appears %d times in %q", name, n, err)
		}
	}
}
