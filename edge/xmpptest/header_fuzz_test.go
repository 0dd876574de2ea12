package xmpptest

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"testing"
)

// FuzzReadHeader feeds arbitrary client bytes to the header reader the
// server uses: no panic, and either a header or one of the errors the session
// answers (syntax error: not-well-formed; not a stream: invalid-namespace) or
// the input's end.
func FuzzReadHeader(f *testing.F) {
	f.Add([]byte("<?xml version='1.0'?><stream:stream xmlns='jabber:server' xmlns:stream='http://etherx.jabber.org/streams' from='a.example' to='contoso.com' version='1.0'>"))
	f.Add([]byte("garbage<<<>>"))
	f.Add([]byte("<hello/>"))
	f.Add([]byte("<?xml version='0'?>"))
	f.Add([]byte("<!-- x --><stream:stream xmlns:stream='http://etherx.jabber.org/streams'>"))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, err := readHeader(newDecoder(bytes.NewReader(data)))
		var se *xml.SyntaxError
		if err != nil && !errors.As(err, &se) && !errors.Is(err, errNotStream) && !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Fatalf("unexpected error %T: %v", err, err)
		}
	})
}
