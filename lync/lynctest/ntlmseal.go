package lynctest

import (
	"crypto/md5"
	"crypto/rc4"
	"crypto/subtle"
	"encoding/binary"
	"errors"
)

// errSeal is a message whose signature does not match (MS-NLMP 3.4.4.2).
var errSeal = errors.New("lynctest: NTLM signature mismatch")

// ntlmSession seals and unseals the messages of one NTLM security context,
// the acceptor's side (MS-NLMP 3.4.4 and 3.4.5 with extended session
// security). Not safe for concurrent use: one per connection.
type ntlmSession struct {
	flags           uint32
	inSign, outSign []byte
	in, out         *rc4.Cipher
	inSeq, outSeq   uint32
}

func newNTLMSession(flags uint32, exported []byte) *ntlmSession {
	const (
		c2sSign = "session key to client-to-server signing key magic constant\x00"
		s2cSign = "session key to server-to-client signing key magic constant\x00"
		c2sSeal = "session key to client-to-server sealing key magic constant\x00"
		s2cSeal = "session key to server-to-client sealing key magic constant\x00"
	)
	derive := func(c string) []byte { h := md5.Sum(append(append([]byte(nil), exported...), c...)); return h[:] }
	sealKey := func(c string) []byte {
		k := exported
		switch {
		case flags&ntlm128 != 0:
		case flags&ntlm56 != 0:
			k = exported[:7]
		default:
			k = exported[:5]
		}
		h := md5.Sum(append(append([]byte(nil), k...), c...))
		return h[:]
	}
	s := &ntlmSession{flags: flags, inSign: derive(c2sSign), outSign: derive(s2cSign)}
	s.in, _ = rc4.NewCipher(sealKey(c2sSeal))
	s.out, _ = rc4.NewCipher(sealKey(s2cSeal))
	return s
}

// mac is the 16-byte signature of msg with sequence number seq
// (MS-NLMP 3.4.4.2), using and advancing the RC4 state c.
func (s *ntlmSession) mac(c *rc4.Cipher, key []byte, seq uint32, msg []byte) []byte {
	var sq [4]byte
	binary.LittleEndian.PutUint32(sq[:], seq)
	sum := hmacMD5(key, sq[:], msg)[:8]
	if s.flags&ntlmKeyExch != 0 {
		c.XORKeyStream(sum, sum)
	}
	sig := binary.LittleEndian.AppendUint32(nil, 1)
	sig = append(sig, sum...)
	return append(sig, sq[:]...)
}

// seal encrypts msg for the client and returns the sealed bytes and the
// signature (GSS_WrapEx, MS-NLMP 3.4.3).
// It never fails; the error is that of the sealer interface.
func (s *ntlmSession) seal(msg []byte) (sealed, sig []byte, err error) {
	sealed = make([]byte, len(msg))
	s.out.XORKeyStream(sealed, msg)
	sig = s.mac(s.out, s.outSign, s.outSeq, msg)
	s.outSeq++
	return sealed, sig, nil
}

// unseal decrypts a client message and checks its signature
// (GSS_UnwrapEx). After an error the session is unusable: its RC4 state no
// longer matches the client's.
func (s *ntlmSession) unseal(sealed, sig []byte) ([]byte, error) {
	if len(sig) != 16 {
		return nil, errSeal
	}
	msg := make([]byte, len(sealed))
	s.in.XORKeyStream(msg, sealed)
	want := s.mac(s.in, s.inSign, s.inSeq, msg)
	if subtle.ConstantTimeCompare(sig, want) != 1 {
		return nil, errSeal
	}
	s.inSeq++
	return msg, nil
}
