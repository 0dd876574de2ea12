package lync

import (
	"errors"
	"strings"
	"testing"

	"github.com/xmppfed/edgefailover/internal/dnsname"
)

// FuzzParseRoute feeds route identities, as a config file, a flag or a
// journal gives them, to ParseRoute and the text round trip. An accepted
// route is canonical ("EdgeServer:<lower-case fqdn>"), parses back to itself
// (parse∘format is the identity), equals the input as the host would write
// it (hostRoute, Equal), and survives MarshalText/UnmarshalText; a refusal
// is an *InputError.
func FuzzParseRoute(f *testing.F) {
	for _, s := range []string{
		"", "EdgeServer:edgepool2.contoso.com", "edgeserver:EdgePool2.Contoso.com.", "EDGESERVER:x.y",
		"EdgeServer:", "EdgeServer:edgepool2", "EdgeServer:a..b", "Registrar:pool.contoso.com",
		"EdgeServer:edge_pool.contoso.com", "EdgeServer: edgepool2.contoso.com", "EdgeServe",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParseRoute(s)
		if err != nil {
			if !errors.Is(err, ErrInvalidInput) {
				t.Fatalf("ParseRoute(%q): %v is not ErrInvalidInput", s, err)
			}
			if h := hostRoute(s); h.Pool() != "" || h.String() != s {
				t.Fatalf("hostRoute(%q) = %+v for a route ParseRoute refuses", s, h)
			}
			return
		}
		if s == "" {
			if !r.IsZero() || r.String() != "" || r.Pool() != "" {
				t.Fatalf("ParseRoute(\"\") = %+v, want no route", r)
			}
			return
		}
		if r.IsZero() || r.String() != routePrefix+r.Pool() {
			t.Fatalf("ParseRoute(%q) = %q (pool %q): not canonical", s, r.String(), r.Pool())
		}
		if p, err := dnsname.ParseFQDN(r.Pool()); err != nil || p != r.Pool() {
			t.Fatalf("ParseRoute(%q): pool %q is not a canonical FQDN", s, r.Pool())
		}
		again, err := ParseRoute(r.String())
		if err != nil || again != r {
			t.Fatalf("ParseRoute(%q) = %q, which parses as %+v, %v", s, r, again, err)
		}
		if h := hostRoute(s); !h.Equal(r) || !r.Equal(h) || h.Pool() != r.Pool() {
			t.Fatalf("the host's %q is not Equal to ParseRoute's %q", s, r)
		}
		if up := hostRoute(strings.ToUpper(s)); !up.Equal(r) {
			t.Fatalf("%q in upper case is not Equal to %q", s, r)
		}
		b, err := r.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		var u Route
		if err := u.UnmarshalText(b); err != nil || u != r {
			t.Fatalf("text round trip of %q: %+v, %v", r, u, err)
		}
		for _, sp := range r.spellings() {
			if !hostRoute(sp).Equal(r) {
				t.Fatalf("spelling %q of %q is not Equal to it", sp, r)
			}
		}
	})
}
