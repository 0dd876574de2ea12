package winrm

import (
	"bytes"
	"crypto/subtle"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/jcmturner/gokrb5/v8/crypto"
	"github.com/jcmturner/gokrb5/v8/crypto/etype"
	"github.com/jcmturner/gokrb5/v8/iana/etypeID"
	"github.com/jcmturner/gokrb5/v8/types"
)

// Kerberos message encryption: the GSS-API Wrap token of RFC 4121 4.2.6.2
// with confidentiality, laid out as MS-WSMV 2.2.9.1 and pywinrm (through
// gss_wrap_iov, MIT krb5 k5sealv3iov.c) send it over HTTP. The token is a
// 16-octet header (TOK_ID 05 04, flags, filler ff, EC, RRC, SND_SEQ), then
// E(confounder | message | header) and its checksum, rotated right by RRC
// octets so that the encrypted header copy and the checksum come first
// (RRC = 16 + checksum length, EC = 0: AES is a stream-like CTS mode and
// needs no padding). The first 16 + RRC + 16 octets (60 for
// aes*-cts-hmac-sha1-96) are the "signature" of the multipart body; the
// rest, exactly as long as the message, is its sealed part. The same
// layout (EC 0, RRC 28, a 60-octet header, protocol
// application/HTTP-SPNEGO-session-encrypted under Negotiate) is what
// masterzen/winrm's open PR #191 reports working against real Windows
// hosts; the tests check ours against MIT's gss_unwrap and gss_wrap_iov.
//
// gokrb5's gssapi.WrapToken has no confidentiality, so the token is built
// here on gokrb5's enctypes (RFC 3962, RFC 8009), which provide the
// confounder, the key derivation for the usage and the integrity checksum.

// Key usages of sealed Wrap tokens (RFC 4121 2).
const (
	usageAcceptorSeal  = 22
	usageInitiatorSeal = 24
)

// Flags of a Wrap token (RFC 4121 4.2.2).
const (
	wrapSentByAcceptor = 0x01
	wrapSealed         = 0x02
	wrapAcceptorSubkey = 0x04
)

// ErrKerberosEtype: the Kerberos key of the security context is of an
// encryption type whose message encryption is not built here (RC4-HMAC of
// RFC 4757, DES3). Only the AES enctypes (RFC 3962 and RFC 8009) seal. It
// comes wrapped in an *EncryptionError, so it matches ErrEncryption too.
var ErrKerberosEtype = errors.New("lync: Kerberos encryption type not supported for message encryption")

// krbContext is the initiator's side of one Kerberos security context:
// the key both directions seal with and a sequence number per direction.
// Not safe for concurrent use: one per connection.
type krbContext struct {
	key            types.EncryptionKey
	et             etype.EType
	acceptorSubkey bool   // key is the acceptor's subkey (flag AcceptorSubkey)
	sendSeq        uint64 // our next SND_SEQ
	recvSeq        uint64 // the acceptor's next SND_SEQ
}

// sealingEtype returns the etype of key, or an error matching
// ErrKerberosEtype for one that does not seal here. The error names the
// etype, never the key.
func sealingEtype(keyType int32) (etype.EType, error) {
	switch keyType {
	case etypeID.AES128_CTS_HMAC_SHA1_96, etypeID.AES256_CTS_HMAC_SHA1_96,
		etypeID.AES128_CTS_HMAC_SHA256_128, etypeID.AES256_CTS_HMAC_SHA384_192:
		return crypto.GetEtype(keyType)
	}
	return nil, fmt.Errorf("%w: %s (etype %d); configure the account and host for AES", ErrKerberosEtype, etypeName(keyType), keyType)
}

// etypeName names an etype number as krb5.conf does.
func etypeName(id int32) string {
	switch id {
	case etypeID.RC4_HMAC:
		return "arcfour-hmac (RC4-HMAC, RFC 4757)"
	case etypeID.DES3_CBC_SHA1_KD:
		return "des3-cbc-sha1"
	case etypeID.DES_CBC_CRC, etypeID.DES_CBC_MD5:
		return "des-cbc"
	}
	return "unknown"
}

// wrapHeader lays out the 16-octet header of a Wrap token.
func wrapHeader(flags byte, ec, rrc uint16, seq uint64) []byte {
	h := make([]byte, 16)
	h[0], h[1], h[2], h[3] = 0x05, 0x04, flags, 0xff
	binary.BigEndian.PutUint16(h[4:], ec)
	binary.BigEndian.PutUint16(h[6:], rrc)
	binary.BigEndian.PutUint64(h[8:], seq)
	return h
}

// Wrap seals msg. It returns the sealed message (as long as msg) and the
// token header that goes before it in the multipart body.
func (k *krbContext) Wrap(msg []byte) (sealed, sig []byte, err error) {
	flags := byte(wrapSealed)
	if k.acceptorSubkey {
		flags |= wrapAcceptorSubkey
	}
	ck := k.et.GetHMACBitLength() / 8
	rrc := 16 + ck
	plain := make([]byte, 0, len(msg)+16)
	plain = append(plain, msg...)
	plain = append(plain, wrapHeader(flags, 0, 0, k.sendSeq)...) // the copy has RRC 0
	_, ct, err := k.et.EncryptMessage(k.key.KeyValue, plain, usageInitiatorSeal)
	if err != nil {
		return nil, nil, err
	}
	if len(ct) != k.et.GetConfounderByteSize()+len(plain)+ck {
		return nil, nil, errors.New("unexpected ciphertext length")
	}
	tok := make([]byte, 0, 16+len(ct))
	tok = append(tok, wrapHeader(flags, 0, uint16(rrc), k.sendSeq)...)
	tok = append(tok, ct[len(ct)-rrc:]...) // rotated right by RRC
	tok = append(tok, ct[:len(ct)-rrc]...)
	k.sendSeq++
	n := 16 + rrc + k.et.GetConfounderByteSize()
	return tok[n:], tok[:n], nil
}

// Unwrap opens an answer: sig is the token header, sealed what follows it.
// It checks the token's form and flags, its checksum, the header copy and
// that its sequence number is the next one expected.
func (k *krbContext) Unwrap(sealed, sig []byte) ([]byte, error) {
	tok := make([]byte, 0, len(sig)+len(sealed))
	tok = append(append(tok, sig...), sealed...)
	if len(tok) < 16 || tok[0] != 0x05 || tok[1] != 0x04 || tok[3] != 0xff {
		return nil, errors.New("not a Kerberos Wrap token")
	}
	flags := tok[2]
	want := byte(wrapSentByAcceptor | wrapSealed)
	if k.acceptorSubkey {
		want |= wrapAcceptorSubkey
	}
	if flags != want {
		return nil, fmt.Errorf("Wrap token flags %#02x, want %#02x", flags, want)
	}
	ec := int(binary.BigEndian.Uint16(tok[4:]))
	rrc := int(binary.BigEndian.Uint16(tok[6:]))
	seq := binary.BigEndian.Uint64(tok[8:])
	payload := tok[16:]
	if len(payload) < k.et.GetConfounderByteSize()+16+k.et.GetHMACBitLength()/8 {
		return nil, errors.New("Wrap token too short") // gokrb5's DecryptMessage panics on less
	}
	rrc %= len(payload)
	payload = append(payload[rrc:len(payload):len(payload)], payload[:rrc]...) // undo the rotation
	plain, err := k.et.DecryptMessage(k.key.KeyValue, payload, usageAcceptorSeal)
	if err != nil {
		return nil, errors.New("Wrap token does not decrypt (checksum)")
	}
	if len(plain) < 16+ec {
		return nil, errors.New("Wrap token too short")
	}
	copyHdr := plain[len(plain)-16:]
	if subtle.ConstantTimeCompare(copyHdr[:6], tok[:6]) != 1 || !bytes.Equal(copyHdr[8:], tok[8:16]) {
		return nil, errors.New("Wrap token header differs from its encrypted copy")
	}
	if seq != k.recvSeq {
		return nil, fmt.Errorf("Wrap token sequence number %d, want %d (replayed or out of order)", seq, k.recvSeq)
	}
	k.recvSeq++
	return plain[:len(plain)-16-ec], nil
}
