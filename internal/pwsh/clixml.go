package pwsh

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf16"
)

// clixmlHeader starts CLIXML stderr (REFERENCE.md §2).
const clixmlHeader = "#< CLIXML"

// maxCLIXMLDepth bounds element nesting; real error streams nest about 6 deep.
const maxCLIXMLDepth = 64

// DecodeCLIXML returns the error text of the stderr of an -EncodedCommand run:
// the texts of the <S S="Error"> elements of its <Objs> blocks, in order,
// with their _xHHHH_ escapes decoded, joined as they are, without trailing
// line breaks. Progress, verbose and other records are dropped. Concatenate
// all stderr chunks before calling it. Stderr that does not start with
// "#< CLIXML" is plain text and is returned unchanged. Anything else that is
// not well-formed gives a *FrameError matching ErrMalformed.
func DecodeCLIXML(stderr []byte) (string, error) {
	if !bytes.HasPrefix(stderr, []byte(clixmlHeader)) {
		return string(stderr), nil
	}
	var text strings.Builder
	// Several writers may each have started with the header.
	for _, part := range bytes.Split(stderr, []byte(clixmlHeader))[1:] {
		if err := decodeObjs(part, &text); err != nil {
			return "", err
		}
	}
	return strings.TrimRight(text.String(), "\r\n"), nil
}

// decodeObjs appends the error texts of the <Objs> blocks in part to text.
func decodeObjs(part []byte, text *strings.Builder) error {
	dec := xml.NewDecoder(bytes.NewReader(part))
	fail := func(reason string) error {
		off := int(dec.InputOffset())
		return &FrameError{Reason: "clixml: " + reason, Excerpt: excerpt(part[max(0, min(off, len(part))-MaxExcerpt/2):])}
	}
	depth := 0
	inError := false // inside <S S="Error"> directly under <Objs>
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			if depth != 0 {
				return fail("unexpected end")
			}
			return nil
		}
		if err != nil {
			return fail(err.Error())
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			switch {
			case depth == 0 && tok.Name.Local != "Objs":
				return fail(fmt.Sprintf("top-level element <%s>, want <Objs>", excerpt([]byte(tok.Name.Local))))
			case depth+1 > maxCLIXMLDepth:
				return fail(fmt.Sprintf("elements nest deeper than %d", maxCLIXMLDepth))
			case inError:
				return fail("element inside an error string")
			case depth == 1 && tok.Name.Local == "S":
				for _, a := range tok.Attr {
					if a.Name.Local == "S" && a.Value == "Error" {
						inError = true
					}
				}
			}
			depth++
		case xml.EndElement:
			depth--
			inError = false
		case xml.CharData:
			if inError {
				text.WriteString(unescapeCLIXML(string(tok)))
			} else if depth == 0 && len(bytes.TrimSpace(tok)) > 0 {
				return fail("text outside <Objs>")
			}
		case xml.Directive:
			return fail("directive")
		}
	}
}

// unescapeCLIXML decodes the _xHHHH_ escapes of a CLIXML string: each is one
// UTF-16 code unit; surrogate pairs combine, a lone surrogate becomes U+FFFD.
func unescapeCLIXML(s string) string {
	if !strings.Contains(s, "_x") {
		return s
	}
	var b strings.Builder
	var units []uint16
	flush := func() {
		for _, r := range utf16.Decode(units) {
			b.WriteRune(r)
		}
		units = units[:0]
	}
	for i := 0; i < len(s); {
		if u, ok := escapeAt(s[i:]); ok {
			units = append(units, u)
			i += len("_xHHHH_")
			continue
		}
		flush()
		b.WriteByte(s[i])
		i++
	}
	flush()
	return b.String()
}

// escapeAt reads an _xHHHH_ escape at the start of s.
func escapeAt(s string) (uint16, bool) {
	if len(s) < 7 || s[0] != '_' || s[1] != 'x' || s[6] != '_' {
		return 0, false
	}
	var u uint16
	for _, c := range []byte(s[2:6]) {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c -= 'a' - 10
		case c >= 'A' && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		u = u<<4 | uint16(c)
	}
	return u, true
}
