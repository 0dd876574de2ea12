package rfc2136

import (
	"strconv"
	"strings"
)

// splitTXT cuts text into character-strings of at most 255 octets, in the
// escaped presentation form miekg/dns expects in dns.TXT.Txt.
func splitTXT(text string) []string {
	if text == "" {
		return []string{""}
	}
	var out []string
	for len(text) > 0 {
		n := min(len(text), 255)
		out = append(out, escapeTXT(text[:n]))
		text = text[n:]
	}
	return out
}

// escapeTXT escapes quotes, backslashes and non-printable octets.
func escapeTXT(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c < ' ' || c > '~':
			b.WriteString(`\` + pad3(int(c)))
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func pad3(n int) string {
	s := strconv.Itoa(n)
	return strings.Repeat("0", 3-len(s)) + s
}

// joinTXT undoes splitTXT: it joins the character-strings and unescapes them.
func joinTXT(parts []string) string {
	var b strings.Builder
	for _, p := range parts {
		for i := 0; i < len(p); i++ {
			c := p[i]
			if c != '\\' || i+1 >= len(p) {
				b.WriteByte(c)
				continue
			}
			if i+3 < len(p) && isDigit(p[i+1]) && isDigit(p[i+2]) && isDigit(p[i+3]) {
				if n, _ := strconv.Atoi(p[i+1 : i+4]); n <= 255 {
					b.WriteByte(byte(n))
					i += 3
					continue
				}
			}
			b.WriteByte(p[i+1])
			i++
		}
	}
	return b.String()
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
