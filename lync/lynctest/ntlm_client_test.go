package lynctest

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"net"
	"net/http"
	"testing"
	"time"
)

// A hand-built NTLM client (MS-NLMP 3.1.5), for messages a real client
// library would never send.

// clientFlags is what the NEGOTIATE message asks for.
const clientFlags = ntlmUnicode | ntlmReqTarget | ntlmSign | ntlmSeal | ntlmNTLM | ntlmAlwaysSign | ntlmESS |
	ntlmVersion | ntlm128 | ntlmKeyExch | ntlm56

func buildNegotiate() []byte {
	m := append([]byte(nil), ntlmSignature...)
	m = binary.LittleEndian.AppendUint32(m, 1)
	m = binary.LittleEndian.AppendUint32(m, clientFlags)
	m = appendField(m, 0, 40)
	m = appendField(m, 0, 40)
	return append(m, 10, 0, 0x61, 0x4a, 0, 0, 0, 15) // version 10.0.19041
}

// authSpec says how to build an AUTHENTICATE message.
type authSpec struct {
	user, domain, password string
	avFlags                bool // an MsvAvFlags AV pair with 0x2 (MIC present) in the NTLMv2 blob
	micField               bool // lay out the 16-byte MIC field (else the payload starts after Version)
	mic                    bool // write the MIC into its field (else it stays zero)
	strip                  bool // built with avFlags and a MIC, then both removed (Drop the MIC)
}

// buildAuthenticate answers challenge (a CHALLENGE message) as spec says and
// returns the message and the exported session key.
func buildAuthenticate(spec authSpec, negotiate, challenge []byte) (msg, exported []byte) {
	flags := binary.LittleEndian.Uint32(challenge[20:])
	info, err := ntlmField(challenge, 40)
	if err != nil || len(info) < 4 {
		panic("CHALLENGE without TargetInfo")
	}
	blob := func(avFlags bool) []byte {
		b := []byte{1, 1, 0, 0, 0, 0, 0, 0}
		b = append(b, make([]byte, 8)...)               // time
		b = append(b, bytes.Repeat([]byte{0xaa}, 8)...) // client challenge
		b = append(b, 0, 0, 0, 0)                       // reserved
		b = append(b, info[:len(info)-4]...)            // the server's AV pairs without MsvAvEOL
		if avFlags {
			b = append(b, 6, 0, 4, 0, 2, 0, 0, 0) // MsvAvFlags: MIC present
		}
		return append(b, 0, 0, 0, 0, 0, 0, 0, 0) // MsvAvEOL, reserved
	}
	respKey := ntowfv2(spec.password, spec.user, spec.domain)
	temp := blob(spec.avFlags || spec.strip)
	proof := hmacMD5(respKey, challenge[24:32], temp)
	if spec.strip {
		temp = blob(false)
	}
	nt := append(append([]byte(nil), proof...), temp...)
	base := hmacMD5(respKey, proof)
	exported = bytes.Repeat([]byte{0x55}, 16)
	encKey := rc4Once(base, exported)
	if flags&ntlmKeyExch == 0 {
		exported, encKey = base, nil
	}
	off := 72
	if spec.micField {
		off = 88
	}
	dom, user, ws := utf16le(spec.domain), utf16le(spec.user), utf16le("CLIENT")
	m := append([]byte(nil), ntlmSignature...)
	m = binary.LittleEndian.AppendUint32(m, 3)
	for _, n := range []int{0, len(nt), len(dom), len(user), len(ws), len(encKey)} { // Lm, Nt, Domain, User, Workstation, Key
		m = appendField(m, n, off)
		off += n
	}
	m = binary.LittleEndian.AppendUint32(m, flags)
	m = append(m, 10, 0, 0x61, 0x4a, 0, 0, 0, 15)
	if spec.micField {
		m = append(m, make([]byte, 16)...)
	}
	for _, p := range [][]byte{nt, dom, user, ws, encKey} {
		m = append(m, p...)
	}
	if spec.mic && spec.micField {
		copy(m[72:88], hmacMD5(exported, negotiate, challenge, m))
	}
	return m, exported
}

// clientSession is the client's side of an NTLM context: the acceptor's
// keys and ciphers swapped.
func clientSession(flags uint32, exported []byte) *ntlmSession {
	s := newNTLMSession(flags, exported)
	s.in, s.out = s.out, s.in
	s.inSign, s.outSign = s.outSign, s.inSign
	return s
}

// rawConn is one HTTP connection to a host's WinRM listener.
type rawConn struct {
	t    *testing.T
	c    net.Conn
	r    *bufio.Reader
	addr string
}

func dialRaw(t *testing.T, addr string) *rawConn {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return &rawConn{t: t, c: c, r: bufio.NewReader(c), addr: addr}
}

// post sends one request and returns the answer, its body read.
func (rc *rawConn) post(authz, contentType string, body []byte) (*http.Response, []byte) {
	rc.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, "http://"+rc.addr+"/wsman", bytes.NewReader(body))
	if authz != "" {
		req.Header.Set("Authorization", authz)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	_ = rc.c.SetDeadline(time.Now().Add(10 * time.Second))
	if err := req.Write(rc.c); err != nil {
		rc.t.Fatal(err)
	}
	resp, err := http.ReadResponse(rc.r, req)
	if err != nil {
		rc.t.Fatal(err)
	}
	var b bytes.Buffer
	_, _ = b.ReadFrom(resp.Body)
	resp.Body.Close()
	return resp, b.Bytes()
}

// login runs the NTLM handshake as spec says (encrypted-session style: the
// AUTHENTICATE comes with an empty body) and returns the status of the
// AUTHENTICATE answer and the client's session.
func (rc *rawConn) login(spec authSpec) (int, *ntlmSession) {
	rc.t.Helper()
	neg := buildNegotiate()
	resp, _ := rc.post("Negotiate "+base64.StdEncoding.EncodeToString(neg), "", nil)
	tok := resp.Header.Get("WWW-Authenticate")
	ch, err := base64.StdEncoding.DecodeString(tok[len("Negotiate "):])
	if resp.StatusCode != http.StatusUnauthorized || err != nil || len(ch) < 48 {
		rc.t.Fatalf("NEGOTIATE answered %d %q", resp.StatusCode, tok)
	}
	auth, key := buildAuthenticate(spec, neg, ch)
	resp, _ = rc.post("Negotiate "+base64.StdEncoding.EncodeToString(auth), "", nil)
	return resp.StatusCode, clientSession(binary.LittleEndian.Uint32(ch[20:]), key)
}
