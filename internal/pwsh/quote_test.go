package pwsh

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

func TestQuote(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"", "''"},
		{"Site2", "'Site2'"},
		{"it's", "'it''s'"},
		{"'", "''''"},
		{"\u2018\u2019\u201A\u201B", "'\u2018\u2018\u2019\u2019\u201A\u201A\u201B\u201B'"},
		{"''", "''''''"},
		{"'\u2019", "'''\u2019\u2019'"},
		{"$(Remove-Item C:\\)", "'$(Remove-Item C:\\)'"},
		{"`n`'", "'`n`'''"},
		{"a;b|c", "'a;b|c'"},
		{"line1\r\nline2", "'line1\r\nline2'"},
		{"nul\x00byte", "'nul\x00byte'"},
		{"\"double\"", "'\"double\"'"},
		{"\u201C\u201D", "'\u201C\u201D'"}, // double typographic quotes need no escape here
		{"bad\xffbytes\xfe\xfd", "'bad\uFFFDbytes\uFFFD'"},
		{"😀", "'😀'"},
	}
	for _, tt := range tests {
		if got := Quote(tt.in); got != tt.want {
			t.Errorf("Quote(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestValid(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"", "Site2", "a\x00b", "\r\n", "😀", "'\u2019"} {
		if err := Valid(s); err != nil {
			t.Errorf("Valid(%q) = %v, want nil", s, err)
		}
	}
	for _, s := range []string{"\xff", "a\xc3", "\xed\xa0\x80" /* encoded surrogate */} {
		if err := Valid(s); !errors.Is(err, ErrInvalidString) {
			t.Errorf("Valid(%q) = %v, want ErrInvalidString", s, err)
		}
	}
}

func TestLiterals(t *testing.T) {
	t.Parallel()
	tests := []struct{ got, want string }{
		{Bool(true), "$true"},
		{Bool(false), "$false"},
		{Null, "$null"},
		{Int(0), "0"},
		{Int(42), "42"},
		{Int(-7), "-7"},
		{Int(-9223372036854775808), "-9223372036854775808"},
		{Array(), "@()"},
		{Array("a"), "@('a')"},
		{Array("SkypeForBusiness", "Lync"), "@('SkypeForBusiness', 'Lync')"},
		{Array("it's", ""), "@('it''s', '')"},
		{Join(), ""},
		{Join("a"), "a"},
		{Join("a", "b", "c"), "a; b; c"},
	}
	for i, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("case %d: got %q, want %q", i, tt.got, tt.want)
		}
	}
}

// TestTokenizer checks the independent reader against PowerShell behaviour
// known from its documentation and source, so the fuzz targets rest on it.
func TestTokenizer(t *testing.T) {
	t.Parallel()
	tests := []struct {
		src  string
		want []token
	}{
		{"Get-Date", []token{{tWord, "Get-Date"}}},
		{"'a''b'", []token{{tString, "a'b"}}},
		{"'a\u2019'b'", []token{{tString, "a'b"}}},      // any doubled pair stands for the second
		{"'a'\u2019b'", []token{{tString, "a\u2019b"}}}, // ...in either order
		{"'a\u2018", []token{{tString, "a"}}},           // U+2018 closes a string opened by '
		{"'x'\u2018y'", []token{{tString, "x\u2018y"}}},
		{"\u2018x\u2019", []token{{tString, "x"}}}, // typographic quotes open and close too
		{"-Name:$true", []token{{tParam, "-Name"}, {tPunct, ":"}, {tVar, "$true"}}},
		{"\u2013Name \u2014X \u2015Y", []token{{tParam, "-Name"}, {tParam, "-X"}, {tParam, "-Y"}}},
		{"-5 12", []token{{tInt, "-5"}, {tInt, "12"}}},
		{"@('a', 'b')", []token{{tPunct, "@("}, {tString, "a"}, {tPunct, ","}, {tString, "b"}, {tPunct, ")"}}},
		{"{ [string[]]$_.X }", []token{{tPunct, "{"}, {tPunct, "[string[]]"}, {tVar, "$_"}, {tPunct, "."}, {tWord, "X"}, {tPunct, "}"}}},
		{"'unterminated", nil},
		{"$env", nil},
		{"\"dq\"", nil},
		{"a`b", nil},
		{"'\x00'", []token{{tString, "\x00"}}},
	}
	for _, tt := range tests {
		got, err := tokenize(tt.src)
		if tt.want == nil {
			if err == nil {
				t.Errorf("tokenize(%q) = %v, want an error", tt.src, got)
			}
			continue
		}
		if err != nil {
			t.Errorf("tokenize(%q): %v", tt.src, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(token{})); diff != "" {
			t.Errorf("tokenize(%q) (-want +got):\n%s", tt.src, diff)
		}
	}
}

var quoteSeeds = []string{
	"", "'", "\u2018", "\u2019", "\u201A", "\u201B", "$(Remove-Item -Recurse C:\\)",
	"`", "``'", ";", "a; Stop-Computer", "\n", "\r\n", "\x00", "''", "'\u2019",
	"x' -Other 'y", "\u2019; Stop-Computer; \u2018", "\u2013Force", "\xff'\xfe",
}

// FuzzQuote shows that no value can escape its literal: the command reads back
// as exactly the five tokens it was built from.
func FuzzQuote(f *testing.F) {
	for _, s := range quoteSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := s
		if !utf8.ValidString(s) {
			want = strings.ToValidUTF8(s, "\uFFFD")
		}
		got, err := tokenize("Set-Thing -Name " + Quote(s) + " -Other 'x'")
		if err != nil {
			t.Fatalf("Quote(%q) = %q does not tokenize: %v", s, Quote(s), err)
		}
		wantToks := []token{{tWord, "Set-Thing"}, {tParam, "-Name"}, {tString, want}, {tParam, "-Other"}, {tString, "x"}}
		if diff := cmp.Diff(wantToks, got, cmp.AllowUnexported(token{})); diff != "" {
			t.Fatalf("Quote(%q) = %q (-want +got):\n%s", s, Quote(s), diff)
		}
	})
}

// FuzzArray does the same for array literals of two values.
func FuzzArray(f *testing.F) {
	for _, s := range quoteSeeds {
		f.Add(s, "'")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		if !utf8.ValidString(a) || !utf8.ValidString(b) {
			t.Skip("invalid UTF-8 is covered by FuzzQuote")
		}
		src := "Set-Thing -Name " + Array(a, b) + " -Other 'x'"
		got, err := tokenize(src)
		if err != nil {
			t.Fatalf("%q does not tokenize: %v", src, err)
		}
		want := []token{{tWord, "Set-Thing"}, {tParam, "-Name"}, {tPunct, "@("}, {tString, a}, {tPunct, ","},
			{tString, b}, {tPunct, ")"}, {tParam, "-Other"}, {tString, "x"}}
		if diff := cmp.Diff(want, got, cmp.AllowUnexported(token{})); diff != "" {
			t.Fatalf("%q (-want +got):\n%s", src, diff)
		}
	})
}
