package lynctest

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"os"
	"strconv"
	"testing"

	"github.com/jcmturner/gokrb5/v8/types"
)

// mitVectors are Wrap tokens MIT krb5 made (testdata/mit_wrap_vectors.json,
// written by TestWriteMITVectors): the acceptor subkey MIT exported and
// tokens of both directions, by gss_wrap_iov(HEADER, DATA, PADDING).
type mitVectors struct {
	Etype  int32  `json:"etype"`
	Key    string `json:"key"`
	Tokens []struct {
		From    string `json:"from"`
		Message string `json:"message"`
		Header  string `json:"header"`
		Data    string `json:"data"`
	} `json:"tokens"`
}

func loadMITVectors(t testing.TB) *mitVectors {
	t.Helper()
	b, err := os.ReadFile("testdata/mit_wrap_vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	v := new(mitVectors)
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatal(err)
	}
	return v
}

func unhexT(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// session returns the acceptor's context of the vectors, expecting the
// initiator's first token next.
func (v *mitVectors) session(t testing.TB) *krbSession {
	t.Helper()
	e, ok := aesEtype(v.Etype)
	if !ok {
		t.Fatalf("etype %d", v.Etype)
	}
	first := unhexT(t, v.Tokens[0].Header)
	return &krbSession{key: types.EncryptionKey{KeyType: v.Etype, KeyValue: unhexT(t, v.Key)}, e: e, acceptorKey: true, conf: true,
		peerSeq: binary.BigEndian.Uint64(first[8:16]), ownSeq: binary.BigEndian.Uint64(unhexT(t, v.Tokens[1].Header)[8:16])}
}

// TestMITWrapVectors: the acceptor opens the initiator tokens MIT made,
// in order, and refuses them out of order, tampered, or the acceptor's own
// (flag SentByAcceptor); what it seals has the layout of MIT's acceptor
// tokens (TOK_ID 05 04, flags SentByAcceptor|Sealed|AcceptorSubkey, EC 0,
// RRC 28, a 60-octet header, the sealed part as long as the message).
// Runs without peers: the vectors are in testdata.
func TestMITWrapVectors(t *testing.T) {
	v := loadMITVectors(t)
	if v.Etype != 18 || len(v.Tokens) != 4 {
		t.Fatalf("vectors: etype %d, %d tokens", v.Etype, len(v.Tokens))
	}
	s := v.session(t)
	for _, i := range []int{0, 2} {
		tok := v.Tokens[i]
		msg, err := s.unseal(unhexT(t, tok.Data), unhexT(t, tok.Header))
		if err != nil || string(msg) != tok.Message {
			t.Fatalf("token %d: %q, %v", i+1, msg, err)
		}
	}
	refused := func(name string, s *krbSession, hdr, data []byte) {
		t.Helper()
		if msg, err := s.unseal(data, hdr); err == nil {
			t.Errorf("%s: opened as %q", name, msg)
		}
	}
	hdr1, data1 := unhexT(t, v.Tokens[0].Header), unhexT(t, v.Tokens[0].Data)
	refused("out of order (token 3 first)", v.session(t), unhexT(t, v.Tokens[2].Header), unhexT(t, v.Tokens[2].Data))
	refused("the acceptor's own token", v.session(t), unhexT(t, v.Tokens[1].Header), unhexT(t, v.Tokens[1].Data))
	for i := range len(hdr1) + len(data1) {
		h, d := bytes.Clone(hdr1), bytes.Clone(data1)
		if i < len(h) {
			h[i] ^= 0x01 // in RRC too: the rotation undone at the wrong place spoils the checksum
		} else {
			d[i-len(h)] ^= 0x80
		}
		refused("bit flipped at octet "+strconv.Itoa(i), v.session(t), h, d)
	}
	for _, n := range []int{16, 17, 40, 59} { // shorter than confounder, header copy and checksum
		refused("truncated to "+strconv.Itoa(n), v.session(t), hdr1[:n], nil)
	}
	h := bytes.Clone(hdr1)
	h[7]++ // RRC off by one
	refused("RRC off by one", v.session(t), h, data1)

	sealed, sig, err := v.session(t).seal([]byte(v.Tokens[1].Message))
	mit := unhexT(t, v.Tokens[1].Header)
	if err != nil || len(sig) != 60 || len(sealed) != len(v.Tokens[1].Message) || !bytes.Equal(sig[:8], mit[:8]) || !bytes.Equal(sig[8:16], mit[8:16]) {
		t.Fatalf("seal: %v, header %x, want the form of MIT's %x", err, sig[:16], mit[:16])
	}
}

// FuzzKerberosSealedBody feeds the sealed multipart body of an HTTP
// request to the parser and the acceptor's unseal: nothing panics, and a
// body that unseals is the message MIT sealed (no forgery opens).
func FuzzKerberosSealedBody(f *testing.F) {
	v := loadMITVectors(f)
	tok := v.Tokens[0]
	msg := []byte(tok.Message)
	f.Add(buildEncryptedAs(encProtocol, contentType, len(msg), unhexT(f, tok.Header), unhexT(f, tok.Data)))
	f.Add(buildEncryptedAs(encProtocol, contentType, 0, nil, nil))
	f.Add(buildEncryptedAs(encProtocol, contentType, len(msg), unhexT(f, tok.Header)[:16], unhexT(f, tok.Data)))
	f.Add(buildEncryptedAs(encProtocol, contentType, 0, unhexT(f, tok.Header)[:17], nil))
	f.Fuzz(func(t *testing.T, body []byte) {
		e, err := parseEncryptedAs(body, encProtocol)
		if err != nil {
			return
		}
		if len(e.sealed) != e.length {
			t.Fatalf("sealed part %d octets, OriginalContent says %d", len(e.sealed), e.length)
		}
		got, err := v.session(t).unseal(e.sealed, e.sig)
		if err == nil && !bytes.Equal(got, msg) {
			t.Fatalf("forged body opened as %q", got)
		}
	})
}
