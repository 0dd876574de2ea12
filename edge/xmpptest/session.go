package xmpptest

import (
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"io"
	"net"
	"strings"
	"time"
)

// Namespaces of RFC 6120 and XEP-0220.
const (
	nsStream   = "http://etherx.jabber.org/streams"
	nsServer   = "jabber:server"
	nsDialback = "jabber:server:dialback"
	nsTLS      = "urn:ietf:params:xml:ns:xmpp-tls"
	nsSASL     = "urn:ietf:params:xml:ns:xmpp-sasl"
	nsStreams  = "urn:ietf:params:xml:ns:xmpp-streams"
	nsDBFeat   = "urn:xmpp:features:dialback"
)

// maxClientBytes caps what the server reads from one connection.
const maxClientBytes = 1 << 20

// garbage is what FaultGarbage sends: not XML at all.
const garbage = "\x00\xff\xfeHTTP/1.1 400 Bad Request\r\n\r\n<<<>>>&&&"

// session is one accepted connection.
type session struct {
	s      *Server
	conn   net.Conn // the TCP connection, or the TLS connection over it
	w      io.Writer
	dec    *xml.Decoder
	secure bool
	// peerChain is the certificate chain the peer presented in TLS.
	peerChain []*x509.Certificate
	stop      <-chan struct{}
}

func (s *Server) serveConn(c net.Conn, fault Fault, stop <-chan struct{}) {
	ss := &session{s: s, conn: c, stop: stop}
	ss.w = c
	if fault == FaultSlowDrip {
		ss.w = &dripWriter{w: c, delay: s.cfg.DripDelay, stop: stop}
	}
	if fault == FaultSilence {
		ss.drain()
		return
	}
	ss.newDecoder()
	for {
		restart, err := ss.stream(fault)
		if err != nil || !restart {
			return
		}
	}
}

func (ss *session) newDecoder() {
	ss.dec = newDecoder(&idleReader{c: ss.conn, idle: ss.s.cfg.IdleTimeout})
}

// stream handles one stream (the first, or the one restarted after TLS). It
// reports whether a new stream follows.
func (ss *session) stream(fault Fault) (restart bool, err error) {
	hdr, err := readHeader(ss.dec)
	switch {
	case fault == FaultReset:
		if tc, ok := ss.conn.(*net.TCPConn); ok {
			_ = tc.SetLinger(0)
		}
		return false, errFault
	case fault == FaultGarbage:
		_, _ = io.WriteString(ss.w, garbage)
		return false, errFault
	case errors.Is(err, errNotStream):
		return false, ss.fail(header{}, "invalid-namespace", "")
	case err != nil:
		var se *xml.SyntaxError
		if errors.As(err, &se) {
			return false, ss.fail(header{}, "not-well-formed", "")
		}
		return false, err // the peer closed or went idle
	}
	ss.s.streams.Add(1)
	if fault == FaultHostUnknown || !ss.s.cfg.serves(hdr.to) {
		return false, ss.fail(hdr, "host-unknown", "This host does not serve "+hdr.to)
	}
	if fault == FaultNoFeatures || !strings.HasPrefix(hdr.version, "1.") {
		// A pre-1.0 stream has no features; Prosody then waits for dialback.
		if err := ss.writeHeader(hdr, false); err != nil {
			return false, err
		}
		ss.drain()
		return false, nil
	}
	if err := ss.writeHeader(hdr, true); err != nil {
		return false, err
	}
	if _, err := io.WriteString(ss.w, ss.features(hdr.from)); err != nil {
		return false, err
	}
	return ss.elements()
}

// elements reads top-level elements until the stream ends or STARTTLS runs.
func (ss *session) elements() (restart bool, err error) {
	for {
		tok, err := ss.dec.Token()
		if err != nil {
			var se *xml.SyntaxError
			if errors.As(err, &se) {
				return false, ss.streamError("not-well-formed", "")
			}
			return false, err
		}
		switch t := tok.(type) {
		case xml.EndElement: // </stream:stream>
			_, _ = io.WriteString(ss.w, "</stream:stream>")
			return false, nil
		case xml.StartElement:
			if t.Name.Space == nsTLS && t.Name.Local == "starttls" {
				return ss.startTLS()
			}
			if ss.s.cfg.TLS == TLSRequired && !ss.secure {
				return false, ss.streamError("policy-violation", "Use of STARTTLS required")
			}
			if err := ss.dec.Skip(); err != nil {
				return false, err
			}
		}
	}
}

func (ss *session) startTLS() (restart bool, err error) {
	if err := ss.dec.Skip(); err != nil {
		return false, err
	}
	if ss.secure || ss.s.cfg.TLS == TLSNone {
		_, _ = io.WriteString(ss.w, "<failure xmlns='"+nsTLS+"'/></stream:stream>")
		return false, errFault
	}
	if _, err := io.WriteString(ss.w, "<proceed xmlns='"+nsTLS+"'/>"); err != nil {
		return false, err
	}
	tc := tls.Server(ss.conn, ss.s.tlsConfig())
	_ = tc.SetDeadline(time.Now().Add(ss.s.cfg.IdleTimeout))
	if err := tc.Handshake(); err != nil {
		return false, err
	}
	_ = tc.SetDeadline(time.Time{})
	ss.s.handshakes.Add(1)
	ss.conn, ss.secure = tc, true
	ss.peerChain = tc.ConnectionState().PeerCertificates
	if dw, ok := ss.w.(*dripWriter); ok {
		dw.w = tc
	} else {
		ss.w = tc
	}
	ss.newDecoder()
	return true, nil
}

func (ss *session) features(from string) string {
	var b strings.Builder
	b.WriteString("<stream:features>")
	if !ss.secure && ss.s.cfg.TLS != TLSNone {
		b.WriteString("<starttls xmlns='" + nsTLS + "'>")
		if ss.s.cfg.TLS == TLSRequired {
			b.WriteString("<required/>")
		}
		b.WriteString("</starttls>")
	}
	if ss.secure && ss.s.externalOK(ss.peerChain, from) {
		b.WriteString("<mechanisms xmlns='" + nsSASL + "'><mechanism>EXTERNAL</mechanism></mechanisms>")
	}
	if !ss.s.cfg.NoDialback {
		b.WriteString("<dialback xmlns='" + nsDBFeat + "'/>")
	}
	b.WriteString("</stream:features>")
	return b.String()
}

// fail answers peer's header with a header (from = the domain asked for, as
// Prosody does) and a stream error.
func (ss *session) fail(peer header, condition, text string) error {
	if err := ss.writeHeader(peer, true); err != nil {
		return err
	}
	return ss.streamError(condition, text)
}

func (ss *session) streamError(condition, text string) error {
	var b strings.Builder
	b.WriteString("<stream:error><" + condition + " xmlns='" + nsStreams + "'/>")
	if text != "" {
		b.WriteString("<text xmlns='" + nsStreams + "'>")
		_ = xml.EscapeText(&b, []byte(text))
		b.WriteString("</text>")
	}
	b.WriteString("</stream:error></stream:stream>")
	_, _ = io.WriteString(ss.w, b.String())
	return errFault
}

// writeHeader answers the peer's header: from is the domain it asked for.
func (ss *session) writeHeader(peer header, version bool) error {
	var id [8]byte
	_, _ = rand.Read(id[:])
	var b strings.Builder
	b.WriteString("<?xml version='1.0'?><stream:stream xmlns='" + nsServer +
		"' xmlns:stream='" + nsStream + "' xmlns:db='" + nsDialback + "' id='" + hex.EncodeToString(id[:]) + "'")
	attr(&b, "from", peer.to)
	attr(&b, "to", peer.from)
	if version {
		b.WriteString(" version='1.0'")
	}
	b.WriteString(" xml:lang='en'>")
	_, err := io.WriteString(ss.w, b.String())
	return err
}

func attr(b *strings.Builder, name, value string) {
	b.WriteString(" " + name + "='")
	_ = xml.EscapeText(b, []byte(value))
	b.WriteString("'")
}

// drain reads and discards until the peer closes, the idle timeout passes or
// the server stops.
func (ss *session) drain() {
	_, _ = io.Copy(io.Discard, io.LimitReader(&idleReader{c: ss.conn, idle: ss.s.cfg.IdleTimeout}, maxClientBytes))
}
