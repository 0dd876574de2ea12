package pwsh

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Null is the PowerShell literal $null.
const Null = "$null"

// isQuote reports whether r ends a PowerShell single-quoted string: ' or one of
// the typographic single quotes U+2018..U+201B.
func isQuote(r rune) bool {
	return r == '\'' || (r >= '\u2018' && r <= '\u201B')
}

// Quote returns s as a PowerShell single-quoted string literal. Each of the
// five single-quote characters is doubled as itself; everything else, NUL and
// newlines included, is copied. Each run of bytes that is not valid UTF-8 is
// replaced with U+FFFD (check values with Valid first to refuse them instead).
func Quote(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('\'')
	for _, r := range s {
		if isQuote(r) {
			b.WriteRune(r)
		}
		b.WriteRune(r)
	}
	b.WriteByte('\'')
	return b.String()
}

// Valid returns ErrInvalidString when s is not valid UTF-8, and nil otherwise.
// A valid s survives Quote and the script encodings unchanged.
func Valid(s string) error {
	if !utf8.ValidString(s) {
		return ErrInvalidString
	}
	return nil
}

// Bool returns the PowerShell literal $true or $false.
func Bool(b bool) string {
	if b {
		return "$true"
	}
	return "$false"
}

// Int returns i as a PowerShell integer literal, e.g. "42" or "-7".
func Int(i int64) string { return strconv.FormatInt(i, 10) }

// Array returns an array literal of quoted strings: "@('a', 'b')", or "@()"
// for none.
func Array(ss ...string) string {
	var b strings.Builder
	b.WriteString("@(")
	for i, s := range ss {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(Quote(s))
	}
	b.WriteString(")")
	return b.String()
}

// Join returns scripts as one statement sequence, "a; b".
func Join(scripts ...string) string { return strings.Join(scripts, "; ") }
