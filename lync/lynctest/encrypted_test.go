package lynctest

import (
	"bytes"
	"net/http"
	"strconv"
	"testing"
)

const createEnvelope = `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" ` +
	`xmlns:w="http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd" xmlns:rsp="http://schemas.microsoft.com/wbem/wsman/1/windows/shell"><s:Header>` +
	`<a:Action>http://schemas.xmlsoap.org/ws/2004/09/transfer/Create</a:Action><a:MessageID>uuid:1</a:MessageID>` +
	`<w:ResourceURI>http://schemas.microsoft.com/wbem/wsman/1/windows/shell/cmd</w:ResourceURI></s:Header>` +
	`<s:Body><rsp:Shell><rsp:InputStreams>stdin</rsp:InputStreams><rsp:OutputStreams>stdout stderr</rsp:OutputStreams></rsp:Shell></s:Body></s:Envelope>`

// TestSealedContentType: over HTTP, a default host (AllowUnencrypted off)
// takes a sealed request only as MS-WSMV 2.2.9.1 lays it out: the outer
// Content-Type multipart/encrypted with the SPNEGO protocol and the
// "Encrypted Boundary", the first part naming the protocol and the
// original SOAP type and length, the second application/octet-stream.
// Sealed bytes labelled as SOAP are a body in clear (401); a body neither
// SOAP nor multipart/encrypted is refused with 415; a multipart/encrypted
// body framed otherwise with 400.
func TestSealedContentType(t *testing.T) {
	t.Parallel()
	d := newTestDeployment(t)
	h := d.Host("fe01.contoso.com")
	user, dom, pass := credentialsOf(d)
	n := strconv.Itoa(len(createEnvelope))
	edit := func(old, new string) func([]byte) []byte {
		return func(b []byte) []byte { return bytes.Replace(b, []byte(old), []byte(new), 1) }
	}
	tests := []struct {
		name, contentType string
		edit              func([]byte) []byte
		want              int
	}{
		{"as MS-WSMV says", encContentType, nil, http.StatusOK},
		{"protocol in other case", `multipart/encrypted;protocol="application/http-spnego-session-encrypted";boundary="Encrypted Boundary"`, nil, http.StatusOK},
		{"labelled SOAP", contentType, nil, http.StatusUnauthorized},
		{"labelled octet-stream", "application/octet-stream", nil, http.StatusUnsupportedMediaType},
		{"no Content-Type", "", nil, http.StatusUnsupportedMediaType},
		{"Kerberos protocol", `multipart/encrypted;protocol="application/HTTP-Kerberos-session-encrypted";boundary="Encrypted Boundary"`, nil, http.StatusBadRequest},
		{"no protocol", `multipart/encrypted;boundary="Encrypted Boundary"`, nil, http.StatusBadRequest},
		{"other boundary", `multipart/encrypted;protocol="` + encProtocol + `";boundary="Other Boundary"`, nil, http.StatusBadRequest},
		{"original type not SOAP", encContentType, edit("type="+contentType, "type=text/plain"), http.StatusBadRequest},
		{"first part not the protocol", encContentType, edit("Content-Type: "+encProtocol, "Content-Type: application/octet-stream"), http.StatusBadRequest},
		{"no OriginalContent", encContentType, edit("OriginalContent:", "Original-Content:"), http.StatusBadRequest},
		{"length off by one", encContentType, edit(";Length="+n, ";Length="+strconv.Itoa(len(createEnvelope)+1)), http.StatusBadRequest},
		{"second part not octet-stream", encContentType, edit("Content-Type: application/octet-stream", "Content-Type: text/plain"), http.StatusBadRequest},
	}
	var want AuthCounters
	for _, tt := range tests {
		rc := dialRaw(t, h.Addr())
		status, cs := rc.login(authSpec{user: user, domain: dom, password: pass, avFlags: true, micField: true, mic: true})
		if status != http.StatusOK {
			t.Fatalf("%s: login %d", tt.name, status)
		}
		want.Handshakes++
		want.NTLM++
		sealed, sig, _ := cs.seal([]byte(createEnvelope))
		body := buildEncrypted(contentType, len(createEnvelope), sig, sealed)
		if tt.edit != nil {
			body = tt.edit(body)
		}
		resp, _ := rc.post("", tt.contentType, body)
		switch tt.want {
		case http.StatusOK:
			want.Sealed++
			if ct := resp.Header.Get("Content-Type"); ct != encContentType {
				t.Errorf("%s: answer Content-Type %q", tt.name, ct)
			}
		case http.StatusUnauthorized:
			want.Unencrypted++
		case http.StatusUnsupportedMediaType:
			want.MediaRefused++
		case http.StatusBadRequest:
			want.SealFailures++
		}
		if resp.StatusCode != tt.want {
			t.Errorf("%s: %d, want %d", tt.name, resp.StatusCode, tt.want)
		}
	}
	if got := h.Counters().Auth; got != want {
		t.Errorf("auth counters %+v, want %+v", got, want)
	}
}
