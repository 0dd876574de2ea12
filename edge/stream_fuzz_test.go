package edge

import (
	"bytes"
	"errors"
	"testing"
)

// Answers seen from Prosody 0.12 (REFERENCE.md §5) and the xmpptest double.
var streamSeeds = []string{
	"<?xml version='1.0'?><stream:stream version='1.0' xmlns:stream='http://etherx.jabber.org/streams' xmlns='jabber:server' id='74bf' xml:lang='en' xmlns:db='jabber:server:dialback' to='probe.example' from='peer.test'><stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/><dialback xmlns='urn:xmpp:features:dialback'/></stream:features>",
	"<?xml version='1.0'?><stream:stream version='1.0' xmlns:stream='http://etherx.jabber.org/streams' id='0ee8' xml:lang='en' xmlns='jabber:server' to='probe.example' from='other.test'><stream:error><host-unknown xmlns='urn:ietf:params:xml:ns:xmpp-streams'/><text xmlns='urn:ietf:params:xml:ns:xmpp-streams'>This host does not serve other.test</text></stream:error></stream:stream>",
	"<?xml version='1.0'?><stream:stream xmlns:stream='http://etherx.jabber.org/streams' xmlns='jabber:server' id='bd4a' xml:lang='en' to='probe.example' from='peer.test'>",
	"<stream:stream xmlns:stream='http://etherx.jabber.org/streams' version='1.0'><stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>EXTERNAL</mechanism></mechanisms><x xmlns='y'/></stream:features><proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/></stream:stream>",
	"\x00\xff\xfeHTTP/1.1 400 Bad Request\r\n\r\n<<<>>>&&&",
	"<!DOCTYPE x [<!ENTITY a 'aaaa'>]><x>&a;</x>",
	"<stream:stream xmlns:stream='http://etherx.jabber.org/streams' version='1.0'><a><b><c><d><e><f><g><h>",
}

// FuzzParseStream feeds arbitrary peer bytes to the parser the probe uses:
// it must not panic, must stay within its byte budget, and must return either
// a result or an error that matches one of the package's sentinels.
func FuzzParseStream(f *testing.F) {
	for _, s := range streamSeeds {
		f.Add([]byte(s))
	}
	lim := Limits{MaxBytes: 2048, MaxDepth: 6, MaxTokens: 128, MaxValueLen: 256}
	f.Fuzz(func(t *testing.T, data []byte) {
		p := newStreamParser(bytes.NewReader(data), lim, nil)
		a, stage, err := readAnswer(p)
		if read := p.lr.max - p.lr.left; read > lim.MaxBytes {
			t.Fatalf("read %d bytes, limit %d", read, lim.MaxBytes)
		}
		if err != nil {
			checkParseError(t, err)
			if stage != StageHeader && stage != StageFeatures {
				t.Fatalf("stage %q", stage)
			}
			if (stage == StageHeader) != (a.header == nil) {
				t.Fatalf("stage %q with header %v", stage, a.header)
			}
			return
		}
		if a.header == nil || (a.header.ExpectsFeatures() && (a.features == nil) == (a.streamErr == nil)) {
			t.Fatalf("answer without error: %+v", a)
		}
		// The rest of the stream, as after <starttls/>.
		for i := 0; i < 8; i++ {
			if _, err := p.next(); err != nil {
				checkParseError(t, err)
				return
			}
		}
	})
}

func checkParseError(t *testing.T, err error) {
	t.Helper()
	for _, want := range []error{ErrPeerClosed, ErrMalformed, ErrLimitExceeded, ErrNotStream, ErrUnexpectedElement, ErrStreamClosed} {
		if errors.Is(err, want) {
			return
		}
	}
	t.Fatalf("untyped error %T: %v", err, err)
}
