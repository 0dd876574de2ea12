package lynctest

import (
	"fmt"
	"unicode"
)

// tokKind is the kind of a token of the PowerShell subset (docs/wire.md §4).
type tokKind int

const (
	tEOF        tokKind = iota
	tNewline            // \n, \r or \r\n: a statement separator
	tSemi               // ;
	tPipe               // |
	tComma              // ,
	tLParen             // (
	tRParen             // )
	tLBrace             // {
	tRBrace             // }
	tLBracket           // [
	tRBracket           // ]
	tAtParen            // @(
	tAtBrace            // @{
	tEquals             // =
	tDot                // .
	tColonColon         // :: (static member access)
	tString             // single-quoted literal; text is its value
	tNumber             // decimal integer; num is its value
	tVariable           // $name; text is the name
	tParam              // -Name or -Name: ; text is the name, colon tells the colon
	tWord               // bare word: command or property name
)

type token struct {
	kind  tokKind
	text  string
	num   int64
	colon bool
	pos   int  // 0-based rune offset, for messages
	space bool // whitespace precedes the token
}

// parseError is a ParseException of the reader: where and why.
type parseError struct {
	pos int
	msg string
}

func (e *parseError) Error() string { return fmt.Sprintf("char %d: %s", e.pos+1, e.msg) }

// isQuote reports PowerShell's single-quote characters (CharTraits.IsSingleQuote).
func isQuote(r rune) bool {
	return r == '\'' || r == '\u2018' || r == '\u2019' || r == '\u201A' || r == '\u201B'
}

// isDash reports the characters PowerShell takes as the dash of a parameter.
func isDash(r rune) bool {
	return r == '-' || r == '\u2013' || r == '\u2014' || r == '\u2015'
}

func isDoubleQuote(r rune) bool {
	return r == '"' || r == '\u201C' || r == '\u201D' || r == '\u201E'
}

func isNameStart(r rune) bool { return unicode.IsLetter(r) || r == '_' }

func isNameChar(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' }

// isDelim reports runes that may follow a word or number.
func isDelim(r rune) bool {
	switch r {
	case ';', ',', ')', '}', '|', '=', '.', ']', '\r', '\n':
		return true
	}
	return unicode.IsSpace(r)
}

// readQuoted reads a single-quoted literal starting at rs[i] (a quote
// character) and returns its value and the index after it.
func readQuoted(rs []rune, i int) (string, int, bool) {
	var out []rune
	for j := i + 1; j < len(rs); j++ {
		if isQuote(rs[j]) {
			if j+1 < len(rs) && isQuote(rs[j+1]) {
				out = append(out, rs[j+1])
				j++
				continue
			}
			return string(out), j + 1, true
		}
		out = append(out, rs[j])
	}
	return "", len(rs), false
}

// tokenize splits an inner script into tokens, refusing every character
// outside the subset.
func tokenize(src string) ([]token, error) {
	rs := []rune(src)
	var toks []token
	space := false
	for i := 0; i < len(rs); {
		r := rs[i]
		t := token{pos: i, space: space}
		space = false
		switch {
		case r == '\r' || r == '\n':
			if r == '\r' && i+1 < len(rs) && rs[i+1] == '\n' {
				i++
			}
			i++
			t.kind = tNewline
		case unicode.IsSpace(r):
			i++
			space = true
			continue
		case isQuote(r):
			s, next, ok := readQuoted(rs, i)
			if !ok {
				return nil, &parseError{i, "The string is missing the terminator: '."}
			}
			t.kind, t.text, i = tString, s, next
		case isDoubleQuote(r):
			return nil, &parseError{i, "Double-quoted strings are outside the supported subset."}
		case r == '$':
			j := i + 1
			for j < len(rs) && isNameChar(rs[j]) {
				j++
			}
			if j == i+1 {
				return nil, &parseError{i, "Variable reference is not valid."}
			}
			t.kind, t.text, i = tVariable, string(rs[i+1:j]), j
		case r == '@':
			if i+1 < len(rs) && rs[i+1] == '(' {
				t.kind = tAtParen
			} else if i+1 < len(rs) && rs[i+1] == '{' {
				t.kind = tAtBrace
			} else {
				return nil, &parseError{i, "Unrecognized token in source text."}
			}
			i += 2
		case isDash(r) && i+1 < len(rs) && isNameStart(rs[i+1]):
			j := i + 1
			for j < len(rs) && isNameChar(rs[j]) {
				j++
			}
			t.kind, t.text = tParam, string(rs[i+1:j])
			if j < len(rs) && rs[j] == ':' {
				t.colon = true
				j++
			}
			i = j
		case unicode.IsDigit(r) || (isDash(r) && i+1 < len(rs) && unicode.IsDigit(rs[i+1])):
			j := i + 1
			for j < len(rs) && unicode.IsDigit(rs[j]) {
				j++
			}
			if j < len(rs) && !isDelim(rs[j]) {
				return nil, &parseError{j, "Unexpected token in expression or statement."}
			}
			var n int64
			neg := isDash(r)
			start := i
			if neg {
				start++
			}
			for _, d := range rs[start:j] {
				if n > (1<<62)/10 {
					return nil, &parseError{i, "The number is outside the supported subset."}
				}
				n = n*10 + int64(d-'0')
			}
			if neg {
				n = -n
			}
			t.kind, t.num, t.text, i = tNumber, n, string(rs[i:j]), j
		case isNameStart(r):
			j := i + 1
			for j < len(rs) && (isNameChar(rs[j]) || isDash(rs[j])) {
				j++
			}
			if j < len(rs) && !isDelim(rs[j]) && rs[j] != '(' && rs[j] != '[' {
				return nil, &parseError{j, "Unexpected token in expression or statement."}
			}
			t.kind, t.text, i = tWord, string(rs[i:j]), j
		case r == ':' && i+1 < len(rs) && rs[i+1] == ':':
			t.kind = tColonColon
			i += 2
		default:
			k, ok := punct[r]
			if !ok {
				return nil, &parseError{i, fmt.Sprintf("Unexpected token '%c' in expression or statement.", r)}
			}
			if r == '|' && i+1 < len(rs) && rs[i+1] == '|' {
				return nil, &parseError{i, "The token '||' is not a valid statement separator in this version."}
			}
			t.kind = k
			i++
		}
		toks = append(toks, t)
	}
	toks = append(toks, token{kind: tEOF, pos: len(rs), space: space})
	return toks, nil
}

var punct = map[rune]tokKind{
	';': tSemi, '|': tPipe, ',': tComma, '(': tLParen, ')': tRParen, '{': tLBrace, '}': tRBrace,
	'[': tLBracket, ']': tRBracket, '=': tEquals, '.': tDot,
}
