package lynctest

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"testing"
)

func unhex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestNTLMv2Vectors checks the acceptor against MS-NLMP 4.2.4 (NTLMv2
// Authentication): user "User", domain "Domain", password "Password",
// server challenge 0123456789abcdef, client challenge aaaaaaaaaaaaaaaa,
// time 0, random session key 55..55, flags e28a8233.
func TestNTLMv2Vectors(t *testing.T) {
	t.Parallel()
	if got := ntowfv2("Password", "User", "Domain"); !bytes.Equal(got, unhex(t, "0c868a403bfd7a93a3001ef22ef02e3f")) {
		t.Fatalf("NTOWFv2 = %x", got)
	}
	av := func(id uint16, s string) []byte {
		v := utf16le(s)
		b := binary.LittleEndian.AppendUint16(nil, id)
		return append(binary.LittleEndian.AppendUint16(b, uint16(len(v))), v...)
	}
	temp := append(unhex(t, "0101000000000000"+"0000000000000000"+"aaaaaaaaaaaaaaaa"+"00000000"), av(2, "Domain")...)
	temp = append(append(temp, av(1, "Server")...), 0, 0, 0, 0, 0, 0, 0, 0)
	proof := unhex(t, "68cd0ab851e51c96aabc927bebef6a1c")
	c := &ntlmChallenge{flags: 0xe28a8233}
	copy(c.challenge[:], unhex(t, "0123456789abcdef"))
	a := &authMessage{nt: append(append([]byte(nil), proof...), temp...), user: utf16le("User"), domain: utf16le("Domain"),
		encKey: unhex(t, "c5dad2544fc9799094ce1ce90bc9d03e"), flags: c.flags}
	if got := hmacMD5(ntowfv2("Password", "User", "Domain"), proof); !bytes.Equal(got, unhex(t, "8de40ccadbc14a82f15cb0ad0de95ca3")) {
		t.Fatalf("SessionBaseKey = %x", got)
	}
	key, ok := c.verify(a, "Password")
	if !ok || !bytes.Equal(key, bytes.Repeat([]byte{0x55}, 16)) {
		t.Fatalf("verify = %x, %v; want the random session key 55..55", key, ok)
	}
	if _, ok := c.verify(a, "password"); ok {
		t.Fatal("a wrong password verified")
	}
	// 4.2.4.4: the client's GSS_WrapEx of "Plaintext" (UTF-16), unsealed here.
	s := newNTLMSession(c.flags, key)
	msg, err := s.unseal(unhex(t, "54e50165bf1936dc996020c1811b0f06fb5f"), unhex(t, "010000007fb38ec5c55d497600000000"))
	if err != nil || !bytes.Equal(msg, utf16le("Plaintext")) {
		t.Fatalf("unseal = %x, %v", msg, err)
	}
	// The same message sealed by a client session (keys swapped) gives the vector.
	cs := newNTLMSession(c.flags, key)
	cs.out, cs.outSign = newNTLMSession(c.flags, key).in, s.inSign
	sealed, sig, _ := cs.seal(utf16le("Plaintext"))
	if !bytes.Equal(sealed, unhex(t, "54e50165bf1936dc996020c1811b0f06fb5f")) || !bytes.Equal(sig, unhex(t, "010000007fb38ec5c55d497600000000")) {
		t.Fatalf("seal = %x %x", sealed, sig)
	}
}
