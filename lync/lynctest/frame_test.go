package lynctest

import (
	"strings"
	"testing"
)

func TestMatchFrame(t *testing.T) {
	t.Parallel()
	mk := func(m, b string) string {
		return strings.Replace(strings.Replace(frameTemplate, "<M>", m, 1), "<B>", b, 1)
	}
	tests := []struct {
		name, line, marker, payload string
		ok                          bool
	}{
		{"plain", mk("EF01-1", "R2V0"), "EF01-1", "R2V0", true},
		{"doubled quotes", mk("a''b\u2019\u2018c", "x"), "a'b\u2018c", "x", true},
		{"curly quote ends the literal", mk("a\u2019b", "x"), "", "", false},
		{"extra space", strings.Replace(mk("m", "x"), "try {", "try  {", 1), "", "", false},
		{"prefix only", "& { $ErrorActionPreference = 'Stop'; $m = '", "", "", false},
		// Found by FuzzFrameLine: invalid UTF-8 in the marker hole panicked.
		{"invalid utf-8", "& { $ErrorActionPreference = 'Stop'; $m = '\xc4'", "", "", false},
		{"invalid utf-8 in a hole", mk("\xc4", "x"), "\uFFFD", "x", true},
		{"trailing text", mk("m", "x") + " ", "", "", false},
	}
	for _, tt := range tests {
		m, p, _, ok := matchFrame(tt.line)
		if ok != tt.ok || m != tt.marker || p != tt.payload {
			t.Errorf("%s: got %q %q %v", tt.name, m, p, ok)
		}
	}
}
