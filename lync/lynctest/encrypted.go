package lynctest

import (
	"bytes"
	"encoding/binary"
	"errors"
	"mime"
	"strconv"
	"strings"
)

// Message encryption over HTTP as MS-WSMV 2.2.9.1 describes it and Windows
// and pywinrm send it: a multipart/encrypted body of two parts, the first
// naming the original content type and length, the second holding a 4-byte
// little-endian signature length, the signature and the sealed message.
// Written here from the document, independently of the client's copy.

const (
	encProtocol = "application/HTTP-SPNEGO-session-encrypted"
	// encProtocolKerberos is the protocol under the Kerberos scheme
	// (MS-WSMV 2.2.9.1.2); under Negotiate, Kerberos too uses encProtocol.
	encProtocolKerberos = "application/HTTP-Kerberos-session-encrypted"
	encBoundary         = "Encrypted Boundary"
	// encContentType is the Content-Type of an encrypted answer.
	encContentType = `multipart/encrypted;protocol="` + encProtocol + `";boundary="` + encBoundary + `"`
)

// encContentTypeOf is the Content-Type of an answer encrypted in protocol.
func encContentTypeOf(protocol string) string {
	return `multipart/encrypted;protocol="` + protocol + `";boundary="` + encBoundary + `"`
}

// protocolOf returns the protocol parameter of a multipart/encrypted
// Content-Type, as one of the two constants, or "".
func protocolOf(contentType string) string {
	_, params, err := mime.ParseMediaType(contentType)
	switch p := params["protocol"]; {
	case err != nil:
		return ""
	case strings.EqualFold(p, encProtocol):
		return encProtocol
	case strings.EqualFold(p, encProtocolKerberos):
		return encProtocolKerberos
	}
	return ""
}

var errEncrypted = errors.New("lynctest: malformed multipart/encrypted body")

// bodyKind is what a request's Content-Type makes of its body.
type bodyKind int

const (
	bodyClear        bodyKind = iota // application/soap+xml, or no body at all
	bodySealed                       // MS-WSMV's multipart/encrypted (SPNEGO or Kerberos protocol)
	bodyBadEncrypted                 // multipart/encrypted of another protocol or boundary: 400
	bodyUnsupported                  // anything else: 415
)

// bodyKindOf reads a request's Content-Type. A body is SOAP in clear
// (application/soap+xml, of any charset) or sealed as MS-WSMV 2.2.9.1.1.1
// says: multipart/encrypted with protocol
// "application/HTTP-SPNEGO-session-encrypted" and boundary
// "Encrypted Boundary". An empty body (the POST that ends an NTLM
// handshake) may have any Content-Type.
func bodyKindOf(contentType string, n int) bodyKind {
	t, params, err := mime.ParseMediaType(contentType)
	switch {
	case n == 0:
		return bodyClear
	case err != nil:
		return bodyUnsupported
	case t == "application/soap+xml":
		return bodyClear
	case t != "multipart/encrypted":
		return bodyUnsupported
	case protocolOf(contentType) == "" || params["boundary"] != encBoundary:
		return bodyBadEncrypted
	}
	return bodySealed
}

// encryptedBody is the content of a multipart/encrypted body.
type encryptedBody struct {
	origType string // "application/soap+xml;charset=UTF-8"
	length   int    // length of the original message
	sig      []byte
	sealed   []byte
}

// parseEncrypted reads body. Header lines may be indented (Windows and
// pywinrm indent them with a tab). For a stream cipher (NTLM) the sealed
// message is as long as the original, which finds the end of the part even
// when the ciphertext happens to hold the boundary.
func parseEncrypted(body []byte) (*encryptedBody, error) {
	return parseEncryptedAs(body, encProtocol)
}

// parseEncryptedAs reads body whose first part must name protocol. With
// Kerberos (AES, EC 0) too the sealed message is as long as the original.
func parseEncryptedAs(body []byte, protocol string) (*encryptedBody, error) {
	const dash = "--" + encBoundary + "\r\n"
	rest, ok := bytes.CutPrefix(body, []byte(dash))
	if !ok {
		return nil, errEncrypted
	}
	line := func() (string, bool) {
		i := bytes.Index(rest, []byte("\r\n"))
		if i < 0 {
			return "", false
		}
		l := string(rest[:i])
		rest = rest[i+2:]
		return strings.TrimLeft(l, " \t"), true
	}
	header := func(name string) (string, bool) {
		l, ok := line()
		k, v, found := strings.Cut(l, ":")
		if !ok || !found || !strings.EqualFold(strings.TrimSpace(k), name) {
			return "", false
		}
		return strings.TrimSpace(v), true
	}
	e := &encryptedBody{}
	if v, ok := header("Content-Type"); !ok || !strings.EqualFold(v, protocol) {
		return nil, errEncrypted
	}
	v, ok := header("OriginalContent")
	if !ok {
		return nil, errEncrypted
	}
	i := strings.LastIndex(v, ";Length=")
	if i < 0 {
		return nil, errEncrypted
	}
	t, ok := strings.CutPrefix(v[:i], "type=")
	n, err := strconv.Atoi(v[i+len(";Length="):])
	if !ok || err != nil || n < 0 || n > maxBodyOctets {
		return nil, errEncrypted
	}
	if mt, _, err := mime.ParseMediaType(t); err != nil || mt != "application/soap+xml" {
		return nil, errEncrypted // the sealed message is SOAP (MS-WSMV 2.2.9.1.1.2.1)
	}
	e.origType, e.length = t, n
	if rest, ok = bytes.CutPrefix(rest, []byte(dash)); !ok {
		return nil, errEncrypted
	}
	if v, ok := header("Content-Type"); !ok || !strings.EqualFold(v, "application/octet-stream") {
		return nil, errEncrypted
	}
	if len(rest) < 4 {
		return nil, errEncrypted
	}
	sl := int(binary.LittleEndian.Uint32(rest))
	rest = rest[4:]
	if sl < 0 || sl > len(rest) || len(rest)-sl < n {
		return nil, errEncrypted
	}
	e.sig, e.sealed, rest = rest[:sl], rest[sl:sl+n], rest[sl+n:]
	if string(rest) != "--"+encBoundary+"--\r\n" {
		return nil, errEncrypted
	}
	return e, nil
}

// buildEncrypted lays out an encrypted answer of a message of length n.
func buildEncrypted(origType string, n int, sig, sealed []byte) []byte {
	return buildEncryptedAs(encProtocol, origType, n, sig, sealed)
}

// buildEncryptedAs lays out an encrypted answer in protocol.
func buildEncryptedAs(protocol, origType string, n int, sig, sealed []byte) []byte {
	var b bytes.Buffer
	b.WriteString("--" + encBoundary + "\r\n\tContent-Type: " + protocol + "\r\n")
	b.WriteString("\tOriginalContent: type=" + origType + ";Length=" + strconv.Itoa(n) + "\r\n")
	b.WriteString("--" + encBoundary + "\r\n\tContent-Type: application/octet-stream\r\n")
	b.Write(binary.LittleEndian.AppendUint32(nil, uint32(len(sig))))
	b.Write(sig)
	b.Write(sealed)
	b.WriteString("--" + encBoundary + "--\r\n")
	return b.Bytes()
}
