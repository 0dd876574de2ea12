package dnsname

import (
	"errors"
	"strings"
	"testing"
)

func TestParseFQDN(t *testing.T) {
	t.Parallel()
	long63 := strings.Repeat("a", 63)
	tests := []struct {
		in   string
		want string // "" = must fail
	}{
		{"edge01.contoso.com", "edge01.contoso.com"},
		{"Edge01.Contoso.COM.", "edge01.contoso.com"},
		{"1edge.contoso.com", "1edge.contoso.com"},
		{"a-b.c-d.example", "a-b.c-d.example"},
		{long63 + ".example", long63 + ".example"},
		{"", ""},
		{".", ""},
		{"contoso", ""},
		{"contoso.", ""},
		{"a..b.com", ""},
		{".a.com", ""},
		{"a.com..", ""},
		{"-a.com", ""},
		{"a-.com", ""},
		{"a_b.com", ""},
		{"_xmpp-server._tcp.contoso.com", ""},
		{"*.contoso.com", ""},
		{"192.0.2.1", ""},
		{"a b.com", ""},
		{"a'b.com", ""},
		{"a\u2019b.com", ""},
		{"a\x00b.com", ""},
		{"éx.com", ""},
		{strings.Repeat("a", 64) + ".com", ""},
		{strings.Repeat(long63+".", 4) + "com", ""},
	}
	for _, tt := range tests {
		got, err := ParseFQDN(tt.in)
		if tt.want == "" {
			if err == nil {
				t.Errorf("ParseFQDN(%q) = %q, want error", tt.in, got)
			} else if !errors.Is(err, ErrInvalid) {
				t.Errorf("ParseFQDN(%q) error %v does not match ErrInvalid", tt.in, err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseFQDN(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestMaxLength(t *testing.T) {
	t.Parallel()
	// 63+1+63+1+63+1+61 = 253 octets: the longest name allowed.
	l := strings.Repeat("a", 63)
	ok := l + "." + l + "." + l + "." + strings.Repeat("b", 61)
	if len(ok) != 253 {
		t.Fatalf("test name is %d octets", len(ok))
	}
	if _, err := ParseFQDN(ok); err != nil {
		t.Errorf("253 octets refused: %v", err)
	}
	if _, err := ParseFQDN(ok + "."); err != nil {
		t.Errorf("253 octets plus trailing dot refused: %v", err)
	}
	if _, err := ParseFQDN(ok + "b"); err == nil {
		t.Error("254 octets accepted")
	}
}

func TestParseOwner(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"_xmpp-server._tcp.Contoso.com.": "_xmpp-server._tcp.contoso.com",
		"xmpp.contoso.com":               "xmpp.contoso.com",
		"contoso":                        "contoso",
	} {
		got, err := ParseOwner(in)
		if err != nil || got != want {
			t.Errorf("ParseOwner(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", ".", "a._tcp.com", "_.com", "_a b.com", "x..com"} {
		if got, err := ParseOwner(in); err == nil {
			t.Errorf("ParseOwner(%q) = %q, want error", in, got)
		}
	}
}

func TestErrorExcerptIsBounded(t *testing.T) {
	t.Parallel()
	_, err := ParseFQDN(strings.Repeat("x", 10000))
	if err == nil || len(err.Error()) > 200 {
		t.Fatalf("error not bounded: %d bytes", len(err.Error()))
	}
}

func TestHelpers(t *testing.T) {
	t.Parallel()
	if !Equal("A.com.", "a.COM") || Equal("a.com", "b.com") {
		t.Error("Equal")
	}
	if !IsSubdomain("x.Contoso.com.", "contoso.com") || !IsSubdomain("contoso.com", "contoso.com.") || IsSubdomain("xcontoso.com", "contoso.com") {
		t.Error("IsSubdomain")
	}
	if Absolute("a.com") != "a.com." || Absolute("a.com.") != "a.com." {
		t.Error("Absolute")
	}
	if l, err := ParseLabel("Site2"); err != nil || l != "site2" {
		t.Errorf("ParseLabel = %q, %v", l, err)
	}
	if _, err := ParseLabel("a.b"); err == nil {
		t.Error("ParseLabel accepted a dot")
	}
}

func FuzzParseFQDN(f *testing.F) {
	for _, s := range []string{"edge.contoso.com", "a..b", "_x._tcp.a.b", "\xff.com", strings.Repeat("a.", 200)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseFQDN(s)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		// Whatever is accepted is plain LDH text, idempotent, and short enough.
		if len(got) > MaxLength || strings.ContainsAny(got, " '\"`$;\x00_*") {
			t.Fatalf("accepted %q", got)
		}
		again, err := ParseFQDN(got)
		if err != nil || again != got {
			t.Fatalf("not idempotent: %q -> %q, %v", got, again, err)
		}
	})
}
