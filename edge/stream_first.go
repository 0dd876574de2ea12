package edge

import (
	"fmt"
	"strings"
)

// checkFirstByte looks at the first byte the peer sent, past any
// whitespace, without consuming it: an XML stream starts with '<' (or a
// UTF-8 byte order mark). Anything else (an SMTP or FTP banner such as
// "220 mail.example ESMTP", an HTTP answer, a TLS alert) is reported at
// once as ErrMalformed with the start of what came, instead of waiting for
// a '<' until the deadline. Read errors are left to the decoder.
func (p *streamParser) checkFirstByte() error {
	const maxSpace = 64
	for i := 1; i <= maxSpace; i++ {
		b, err := p.br.Peek(i)
		if err != nil {
			return nil
		}
		switch c := b[i-1]; c {
		case ' ', '\t', '\r', '\n':
			continue
		case '<', 0xEF:
			return nil
		default:
			return fmt.Errorf("%w: the peer's first byte is %q, not '<': %s", ErrMalformed, c, banner(p.readAhead()))
		}
	}
	return nil
}

// banner quotes the start of what a non-XML peer sent: its first line, at
// most 60 bytes.
func banner(b []byte) string {
	s := string(b)
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		s = s[:i]
	}
	if len(s) > 60 {
		s = s[:60] + "..."
	}
	return fmt.Sprintf("%q", strings.TrimSpace(s))
}
