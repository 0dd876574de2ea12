package edge

import (
	"bufio"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
)

// Namespaces of RFC 6120 and XEP-0220.
const (
	nsStream          = "http://etherx.jabber.org/streams"
	nsServer          = "jabber:server"
	nsDialback        = "jabber:server:dialback"
	nsTLS             = "urn:ietf:params:xml:ns:xmpp-tls"
	nsSASL            = "urn:ietf:params:xml:ns:xmpp-sasl"
	nsStreams         = "urn:ietf:params:xml:ns:xmpp-streams"
	nsDialbackFeature = "urn:xmpp:features:dialback"
	nsXML             = "http://www.w3.org/XML/1998/namespace"
)

// limitReader stops with ErrLimitExceeded after max bytes, notes the first
// byte and whether the peer closed.
type limitReader struct {
	r         io.Reader
	left      int64
	max       int64
	eof       bool
	firstByte func()
}

func (l *limitReader) Read(p []byte) (int, error) {
	if l.left <= 0 {
		return 0, fmt.Errorf("%w: more than %d bytes", ErrLimitExceeded, l.max)
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n, err := l.r.Read(p)
	if n > 0 && l.firstByte != nil {
		l.firstByte()
		l.firstByte = nil
	}
	l.left -= int64(n)
	switch {
	case err == io.EOF:
		l.eof = true
	case err != nil:
		err = &readError{err}
	}
	return n, err
}

// readError marks an error of the connection, as opposed to one of the
// decoder, when the decoder hands it back.
type readError struct{ err error }

func (e *readError) Error() string { return e.err.Error() }
func (e *readError) Unwrap() error { return e.err }

// streamParser reads one XML stream from a peer with encoding/xml, within
// Limits. Its errors match ErrPeerClosed, ErrTimeout, ErrMalformed,
// ErrLimitExceeded, or are network errors.
type streamParser struct {
	lr     *limitReader
	br     *bufio.Reader // between lr and dec, so the bytes read ahead can be handed on
	dec    *xml.Decoder
	lim    Limits
	depth  int
	tokens int
	looked bool // the first byte was checked (checkFirstByte)
}

func newStreamParser(r io.Reader, lim Limits, firstByte func()) *streamParser {
	lim = lim.withDefaults()
	lr := &limitReader{r: r, left: lim.MaxBytes, max: lim.MaxBytes, firstByte: firstByte}
	br := bufio.NewReader(lr)
	dec := xml.NewDecoder(br)
	dec.Strict = true // undeclared entities and bad syntax are errors; no DTD is read
	return &streamParser{lr: lr, br: br, dec: dec, lim: lim}
}

// readAhead returns the bytes read from the peer but not parsed yet.
func (p *streamParser) readAhead() []byte {
	b, _ := p.br.Peek(p.br.Buffered())
	return b
}

// token returns the next token, namespace-translated, after the limit and
// restricted-XML checks of RFC 6120 §11.1.
func (p *streamParser) token() (xml.Token, error) {
	if p.tokens >= p.lim.MaxTokens {
		return nil, fmt.Errorf("%w: more than %d XML tokens", ErrLimitExceeded, p.lim.MaxTokens)
	}
	if !p.looked {
		p.looked = true
		if err := p.checkFirstByte(); err != nil {
			return nil, err
		}
	}
	tok, err := p.dec.Token()
	if err != nil {
		return nil, p.classify(err)
	}
	p.tokens++
	switch t := tok.(type) {
	case xml.StartElement:
		p.depth++
		if p.depth > p.lim.MaxDepth {
			return nil, fmt.Errorf("%w: elements nested deeper than %d", ErrLimitExceeded, p.lim.MaxDepth)
		}
		for _, a := range t.Attr {
			if len(a.Value) > p.lim.MaxValueLen {
				return nil, fmt.Errorf("%w: attribute %s longer than %d bytes", ErrLimitExceeded, a.Name.Local, p.lim.MaxValueLen)
			}
		}
	case xml.EndElement:
		p.depth--
	case xml.Comment:
		return nil, fmt.Errorf("%w: XML comment (RFC 6120 §11.1)", ErrMalformed)
	case xml.Directive:
		return nil, fmt.Errorf("%w: XML directive or DTD (RFC 6120 §11.1)", ErrMalformed)
	case xml.ProcInst:
		if p.tokens != 1 || t.Target != "xml" {
			return nil, fmt.Errorf("%w: processing instruction (RFC 6120 §11.1)", ErrMalformed)
		}
	}
	return tok, nil
}

func (p *streamParser) classify(err error) error {
	var se *xml.SyntaxError
	var re *readError
	switch {
	case errors.Is(err, ErrLimitExceeded):
		return err
	case errors.As(err, &re):
		return netError(re.err)
	case p.lr.eof && (err == io.EOF || errors.As(err, &se)):
		return ErrPeerClosed
	case errors.As(err, &se):
		return fmt.Errorf("%w: line %d: %s", ErrMalformed, se.Line, se.Msg)
	}
	// The decoder's own errors that are not *xml.SyntaxError, e.g. an XML
	// declaration with another version or an encoding other than UTF-8.
	return fmt.Errorf("%w: %v", ErrMalformed, err)
}

// node is a bounded element tree of one top-level stream child.
type node struct {
	name xml.Name
	attr []xml.Attr
	kids []*node
	text []byte
}

func (n *node) is(space, local string) bool { return n.name.Space == space && n.name.Local == local }

// next reads the next top-level child of the stream. It returns
// ErrStreamClosed when the peer ends the stream instead.
func (p *streamParser) next() (*node, error) {
	for {
		tok, err := p.token()
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			return p.subtree(t)
		case xml.EndElement:
			return nil, ErrStreamClosed
		}
		// Character data between stanzas (whitespace keepalives) is skipped.
	}
}

func (p *streamParser) subtree(start xml.StartElement) (*node, error) {
	n := &node{name: start.Name, attr: start.Attr}
	for {
		tok, err := p.token()
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			k, err := p.subtree(t)
			if err != nil {
				return nil, err
			}
			n.kids = append(n.kids, k)
		case xml.EndElement:
			return n, nil
		case xml.CharData:
			if len(n.text)+len(t) > p.lim.MaxValueLen {
				return nil, fmt.Errorf("%w: text of <%s> longer than %d bytes", ErrLimitExceeded, n.name.Local, p.lim.MaxValueLen)
			}
			n.text = append(n.text, t...)
		}
	}
}
