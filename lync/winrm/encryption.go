package winrm

import (
	"bytes"
	"encoding/binary"
	"errors"
	"mime"
	"strconv"
	"strings"
)

// Message encryption over plain HTTP (MS-WSMV 2.2.9.1), as Windows and
// pywinrm (winrm/encryption.py) frame it: the sealed SOAP message travels
// as a multipart/encrypted body of two parts, the first naming the
// original content type and length, the second holding a 4-byte
// little-endian signature length, the signature and the sealed bytes.

const (
	encProtocol = "application/HTTP-SPNEGO-session-encrypted"
	encBoundary = "Encrypted Boundary"
	// encContentType is the Content-Type of an encrypted request.
	encContentType = `multipart/encrypted;protocol="` + encProtocol + `";boundary="` + encBoundary + `"`
	soapType       = "application/soap+xml;charset=UTF-8"
)

var errFraming = errors.New("malformed multipart/encrypted body")

// frameSealed lays out the body of an encrypted request whose clear text
// was n bytes long.
func frameSealed(n int, sig, sealed []byte) []byte {
	var b bytes.Buffer
	b.Grow(len(sealed) + len(sig) + 256)
	b.WriteString("--" + encBoundary + "\r\n")
	b.WriteString("\tContent-Type: " + encProtocol + "\r\n")
	b.WriteString("\tOriginalContent: type=" + soapType + ";Length=" + strconv.Itoa(n) + "\r\n")
	b.WriteString("--" + encBoundary + "\r\n")
	b.WriteString("\tContent-Type: application/octet-stream\r\n")
	b.Write(binary.LittleEndian.AppendUint32(nil, uint32(len(sig))))
	b.Write(sig)
	b.Write(sealed)
	b.WriteString("--" + encBoundary + "--\r\n")
	return b.Bytes()
}

// sealedPart is what an encrypted answer holds.
type sealedPart struct {
	length int // of the clear text, as the first part declares it
	sig    []byte
	sealed []byte
}

// encryptedType reports whether contentType is MS-WSMV's multipart/encrypted.
func encryptedType(contentType string) bool {
	t, params, err := mime.ParseMediaType(contentType)
	return err == nil && t == "multipart/encrypted" && strings.EqualFold(params["protocol"], encProtocol) &&
		params["boundary"] == encBoundary
}

// parseSealed reads an encrypted answer. With NTLM (RC4, a stream cipher)
// the sealed bytes are exactly as long as the clear text, which finds the
// end of the second part even if the ciphertext holds the boundary.
func parseSealed(body []byte) (*sealedPart, error) {
	const dash = "--" + encBoundary + "\r\n"
	rest, ok := bytes.CutPrefix(body, []byte(dash))
	if !ok {
		return nil, errFraming
	}
	header := func(name string) (string, bool) {
		i := bytes.Index(rest, []byte("\r\n"))
		if i < 0 {
			return "", false
		}
		line := strings.TrimLeft(string(rest[:i]), " \t")
		rest = rest[i+2:]
		k, v, ok := strings.Cut(line, ":")
		if !ok || !strings.EqualFold(strings.TrimSpace(k), name) {
			return "", false
		}
		return strings.TrimSpace(v), true
	}
	if v, ok := header("Content-Type"); !ok || !strings.EqualFold(v, encProtocol) {
		return nil, errFraming
	}
	orig, ok := header("OriginalContent")
	if !ok {
		return nil, errFraming
	}
	_, ls, ok := strings.Cut(orig, "Length=")
	n, err := strconv.Atoi(strings.TrimSpace(ls))
	if !ok || err != nil || n < 0 || n > maxBody {
		return nil, errFraming
	}
	if rest, ok = bytes.CutPrefix(rest, []byte(dash)); !ok {
		return nil, errFraming
	}
	if v, ok := header("Content-Type"); !ok || !strings.EqualFold(v, "application/octet-stream") {
		return nil, errFraming
	}
	if len(rest) < 4 {
		return nil, errFraming
	}
	sl := binary.LittleEndian.Uint32(rest)
	rest = rest[4:]
	if uint64(sl) > uint64(len(rest)) || len(rest)-int(sl) < n {
		return nil, errFraming
	}
	p := &sealedPart{length: n, sig: rest[:sl], sealed: rest[sl : int(sl)+n]}
	if string(rest[int(sl)+n:]) != "--"+encBoundary+"--\r\n" {
		return nil, errFraming
	}
	return p, nil
}
