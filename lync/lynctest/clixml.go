package lynctest

import (
	"fmt"
	"strings"
)

// clixmlError renders error text as the CLIXML stream powershell.exe writes
// to a redirected stderr: one <S S="Error"> element per line, with
// _xHHHH_ escapes for control characters and for a literal "_x".
func clixmlError(text string) string {
	var b strings.Builder
	b.WriteString("#< CLIXML\r\n<Objs Version=\"1.1.0.1\" xmlns=\"http://schemas.microsoft.com/powershell/2004/04\">")
	for _, line := range strings.SplitAfter(text, "\n") {
		if line == "" {
			continue
		}
		b.WriteString(`<S S="Error">`)
		rs := []rune(line)
		for i, r := range rs {
			switch {
			case r == '_' && i+1 < len(rs) && (rs[i+1] == 'x' || rs[i+1] == 'X'):
				b.WriteString("_x005F_")
			case r < 0x20 || r == 0x7f:
				fmt.Fprintf(&b, "_x%04X_", r)
			case r == '&':
				b.WriteString("&amp;")
			case r == '<':
				b.WriteString("&lt;")
			case r == '>':
				b.WriteString("&gt;")
			default:
				b.WriteRune(r)
			}
		}
		b.WriteString("</S>")
	}
	b.WriteString("</Objs>")
	return b.String()
}

// parseErrorText is the plain-text parse error powershell.exe writes for a
// line that does not parse.
func parseErrorText(line string, pe *parseError) string {
	return parseMessage(line, pe) + "\r\n" +
		"    + CategoryInfo          : ParserError: (:) [], ParentContainsErrorRecordException\r\n" +
		"    + FullyQualifiedErrorId : UnexpectedToken\r\n \r\n"
}

// cmdNotFound is what cmd.exe writes for a program it cannot find.
func cmdNotFound(prog string) string {
	return fmt.Sprintf("'%s' is not recognized as an internal or external command,\r\noperable program or batch file.\r\n", prog)
}
