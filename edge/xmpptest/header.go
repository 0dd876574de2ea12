package xmpptest

import (
	"encoding/xml"
	"errors"
	"io"
	"net"
	"time"
)

// errFault ends a connection on purpose.
var errFault = errors.New("xmpptest: connection ended by the server")

// errNotStream: the first element is not <stream:stream>.
var errNotStream = errors.New("xmpptest: first element is not stream:stream")

// header holds the attributes of a peer's stream header that the server uses.
type header struct {
	from, to, version string
}

// newDecoder returns a strict decoder over at most maxClientBytes of r.
func newDecoder(r io.Reader) *xml.Decoder {
	dec := xml.NewDecoder(&markReader{io.LimitReader(r, maxClientBytes)})
	dec.Strict = true
	return dec
}

// markReader wraps the errors of the connection (but io.EOF) in readError,
// so that they can be told from the decoder's own.
type markReader struct{ r io.Reader }

func (m *markReader) Read(p []byte) (int, error) {
	n, err := m.r.Read(p)
	if err != nil && err != io.EOF {
		err = &readError{err}
	}
	return n, err
}

type readError struct{ err error }

func (e *readError) Error() string { return e.err.Error() }
func (e *readError) Unwrap() error { return e.err }

// readHeader reads up to and including the opening <stream:stream> tag. Its
// errors are an *xml.SyntaxError for input that is not well-formed (the
// decoder's other complaints, such as an XML declaration of another version,
// included), errNotStream, io.ErrUnexpectedEOF, or a *readError.
func readHeader(dec *xml.Decoder) (header, error) {
	for {
		tok, err := dec.Token()
		var se *xml.SyntaxError
		var re *readError
		switch {
		case err == io.EOF:
			return header{}, io.ErrUnexpectedEOF
		case errors.As(err, &se), errors.As(err, &re):
			return header{}, err
		case err != nil:
			return header{}, &xml.SyntaxError{Msg: err.Error()}
		}
		switch t := tok.(type) {
		case xml.ProcInst, xml.CharData:
			continue
		case xml.StartElement:
			if t.Name.Space != nsStream || t.Name.Local != "stream" {
				return header{}, errNotStream
			}
			var h header
			for _, a := range t.Attr {
				if a.Name.Space != "" {
					continue
				}
				switch a.Name.Local {
				case "from":
					h.from = a.Value
				case "to":
					h.to = a.Value
				case "version":
					h.version = a.Value
				}
			}
			return h, nil
		default:
			return header{}, &xml.SyntaxError{Msg: "unexpected token before the stream header"}
		}
	}
}

// idleReader sets a fresh read deadline before every read.
type idleReader struct {
	c    net.Conn
	idle time.Duration
}

func (r *idleReader) Read(p []byte) (int, error) {
	_ = r.c.SetReadDeadline(time.Now().Add(r.idle))
	return r.c.Read(p)
}

// dripWriter writes one byte at a time, pausing before each; Stop interrupts it.
type dripWriter struct {
	w     io.Writer
	delay time.Duration
	stop  <-chan struct{}
}

func (d *dripWriter) Write(p []byte) (int, error) {
	t := time.NewTimer(d.delay)
	defer t.Stop()
	for i := range p {
		t.Reset(d.delay)
		select {
		case <-d.stop:
			return i, net.ErrClosed
		case <-t.C:
		}
		if _, err := d.w.Write(p[i : i+1]); err != nil {
			return i, err
		}
	}
	return len(p), nil
}
