package edge

import (
	"encoding/xml"
	"fmt"
	"strconv"
	"strings"
)

// answer is a peer's reply to a stream header.
type answer struct {
	header    *StreamHeader
	features  *Features
	streamErr *StreamError
}

// readAnswer reads the peer's stream header and, when the header's version
// calls for them, the features or the stream error that follows. On error
// the stage tells which part was missing; the answer holds what came before.
func readAnswer(p *streamParser) (answer, Stage, error) {
	var a answer
	h, err := p.header()
	if err != nil {
		return a, StageHeader, err
	}
	a.header = h
	if !h.ExpectsFeatures() {
		return a, "", nil // a pre-1.0 peer sends no features (RFC 6120 §4.7.5)
	}
	n, err := p.next()
	if err != nil {
		return a, StageFeatures, err
	}
	switch {
	case n.is(nsStream, "features"):
		a.features = parseFeatures(n)
	case n.is(nsStream, "error"):
		a.streamErr = parseStreamError(n)
	default:
		return a, StageFeatures, fmt.Errorf("%w: <%s xmlns='%s'> instead of features", ErrUnexpectedElement, n.name.Local, n.name.Space)
	}
	return a, "", nil
}

// header reads the prolog and the peer's <stream:stream> start tag.
func (p *streamParser) header() (*StreamHeader, error) {
	for {
		tok, err := p.token()
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.CharData:
			if len(strings.TrimSpace(string(t))) > 0 {
				return nil, fmt.Errorf("%w: text before the stream header", ErrMalformed)
			}
		case xml.StartElement:
			if t.Name.Space != nsStream || t.Name.Local != "stream" {
				return nil, fmt.Errorf("%w: root element <%s xmlns='%s'>", ErrNotStream, t.Name.Local, t.Name.Space)
			}
			return streamHeader(t), nil
		}
	}
}

func streamHeader(t xml.StartElement) *StreamHeader {
	h := &StreamHeader{}
	for _, a := range t.Attr {
		switch {
		case a.Name.Space == "" && a.Name.Local == "id":
			h.ID = a.Value
		case a.Name.Space == "" && a.Name.Local == "from":
			h.From = a.Value
		case a.Name.Space == "" && a.Name.Local == "to":
			h.To = a.Value
		case a.Name.Space == "" && a.Name.Local == "version":
			h.Version = a.Value
		case a.Name.Space == "" && a.Name.Local == "xmlns":
			h.Namespace = a.Value
		case (a.Name.Space == nsXML || a.Name.Space == "xml") && a.Name.Local == "lang":
			h.Lang = a.Value
		}
	}
	return h
}

func parseFeatures(n *node) *Features {
	f := &Features{}
	for _, k := range n.kids {
		switch {
		case k.is(nsTLS, "starttls"):
			f.StartTLS = true
			for _, r := range k.kids {
				if r.is(nsTLS, "required") {
					f.StartTLSRequired = true
				}
			}
		case k.is(nsDialbackFeature, "dialback"):
			f.Dialback = true
		case k.is(nsSASL, "mechanisms"):
			for _, m := range k.kids {
				if m.is(nsSASL, "mechanism") {
					f.SASLMechanisms = append(f.SASLMechanisms, strings.TrimSpace(string(m.text)))
				}
			}
		default:
			f.Other = append(f.Other, k.name)
		}
	}
	return f
}

func parseStreamError(n *node) *StreamError {
	e := &StreamError{}
	for _, k := range n.kids {
		switch {
		case k.is(nsStreams, "text"):
			e.Text = strings.TrimSpace(string(k.text))
		case k.name.Space == nsStreams && e.Condition == "":
			e.Condition = k.name.Local
		}
	}
	return e
}

// parseVersion splits "major.minor" (RFC 6120 §4.7.5: integers, no leading
// signs).
func parseVersion(v string) (major, minor int, ok bool) {
	a, b, found := strings.Cut(v, ".")
	if !found || !digits(a) || !digits(b) {
		return 0, 0, false
	}
	major, err1 := strconv.Atoi(a)
	minor, err2 := strconv.Atoi(b)
	return major, minor, err1 == nil && err2 == nil
}

func digits(s string) bool {
	if s == "" || len(s) > 9 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
