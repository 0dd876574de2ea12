package pwsh

// An independent reader of the PowerShell subset, written from PowerShell's
// tokenizer rules (CharTraits.IsSingleQuote, IsDash; ScanStringLiteral) and
// wire.md §4, not from quote.go: the fuzz targets use it to show that what the
// builder writes reads back as exactly the values it was given.

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

type tokKind int

const (
	tWord   tokKind = iota // bare word: cmdlet or property name
	tParam                 // -Name (any of the four dashes)
	tString                // single-quoted string; text is the value
	tVar                   // $true, $false, $null, $_
	tInt                   // integer literal
	tPunct                 // @( @{ ( ) , | ; . { } = : and [type]
)

type token struct {
	kind tokKind
	text string
}

func (t token) String() string { return fmt.Sprintf("%d:%q", t.kind, t.text) }

// PowerShell's single quotes: ' U+2018 U+2019 U+201A U+201B.
func tkIsSingleQuote(r rune) bool {
	switch r {
	case '\'', '‘', '’', '‚', '‛':
		return true
	}
	return false
}

// PowerShell's dashes: - U+2013 U+2014 U+2015.
func tkIsDash(r rune) bool {
	switch r {
	case '-', '–', '—', '―':
		return true
	}
	return false
}

func tkIsLetter(r rune) bool { return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' }
func tkIsDigit(r rune) bool  { return r >= '0' && r <= '9' }

// tokenize splits src into tokens, or fails on anything outside the subset.
func tokenize(src string) ([]token, error) {
	if !utf8.ValidString(src) {
		return nil, fmt.Errorf("not UTF-8")
	}
	rs := []rune(src)
	var out []token
	i := 0
	for i < len(rs) {
		r := rs[i]
		switch {
		case r == ' ' || r == '\t':
			i++
		case tkIsSingleQuote(r):
			var b strings.Builder
			i++
			closed := false
			for i < len(rs) {
				c := rs[i]
				i++
				if tkIsSingleQuote(c) {
					if i < len(rs) && tkIsSingleQuote(rs[i]) {
						c = rs[i] // a doubled quote stands for the second one
						i++
					} else {
						closed = true
						break
					}
				}
				b.WriteRune(c)
			}
			if !closed {
				return nil, fmt.Errorf("unterminated string")
			}
			out = append(out, token{tString, b.String()})
		case tkIsDash(r):
			j := i + 1
			switch {
			case j < len(rs) && tkIsLetter(rs[j]):
				for j < len(rs) && (tkIsLetter(rs[j]) || tkIsDigit(rs[j])) {
					j++
				}
				out = append(out, token{tParam, "-" + string(rs[i+1:j])})
			case j < len(rs) && tkIsDigit(rs[j]):
				for j < len(rs) && tkIsDigit(rs[j]) {
					j++
				}
				out = append(out, token{tInt, "-" + string(rs[i+1:j])})
			default:
				return nil, fmt.Errorf("lone dash at %d", i)
			}
			i = j
		case tkIsDigit(r):
			j := i
			for j < len(rs) && tkIsDigit(rs[j]) {
				j++
			}
			out = append(out, token{tInt, string(rs[i:j])})
			i = j
		case r == '$':
			j := i + 1
			for j < len(rs) && (tkIsLetter(rs[j]) || tkIsDigit(rs[j]) || rs[j] == '_') {
				j++
			}
			name := strings.ToLower(string(rs[i:j]))
			if name != "$true" && name != "$false" && name != "$null" && name != "$_" {
				return nil, fmt.Errorf("variable %q outside the subset", name)
			}
			out = append(out, token{tVar, name})
			i = j
		case r == '@':
			if i+1 < len(rs) && (rs[i+1] == '(' || rs[i+1] == '{') {
				out = append(out, token{tPunct, string(rs[i : i+2])})
				i += 2
			} else {
				return nil, fmt.Errorf("lone @")
			}
		case strings.ContainsRune("(),|;.{}=:", r):
			out = append(out, token{tPunct, string(r)})
			i++
		case r == '[':
			rest := string(rs[i:])
			typ := ""
			for _, t := range []string{"[string[]]", "[string]", "[int]", "[bool]"} {
				if strings.HasPrefix(rest, t) {
					typ = t
					break
				}
			}
			if typ == "" {
				return nil, fmt.Errorf("type outside the subset at %d", i)
			}
			out = append(out, token{tPunct, typ})
			i += len(typ)
		case tkIsLetter(r):
			j := i
			for j < len(rs) && (tkIsLetter(rs[j]) || tkIsDigit(rs[j]) || rs[j] == '-') {
				j++
			}
			out = append(out, token{tWord, string(rs[i:j])})
			i = j
		default:
			return nil, fmt.Errorf("character %q outside the subset at %d", r, i)
		}
	}
	return out, nil
}
