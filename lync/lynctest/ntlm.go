package lynctest

import (
	"bytes"
	"crypto/hmac"
	"crypto/md5"
	"crypto/rand"
	"crypto/rc4"
	"crypto/subtle"
	"encoding/binary"
	"errors"
	"strings"
	"time"
	"unicode/utf16"

	"golang.org/x/crypto/md4" //nolint:staticcheck // NTOWFv2 is defined on MD4 (MS-NLMP 3.3.2)
)

// The NTLM acceptor of a fake host, written from MS-NLMP (3.2.5, 3.3.2, 3.4)
// and sharing no code with the client side (which uses bodgit/ntlmssp).

// NTLM negotiate flags (MS-NLMP 2.2.2.5).
const (
	ntlmUnicode     = 0x00000001
	ntlmReqTarget   = 0x00000004
	ntlmSign        = 0x00000010
	ntlmSeal        = 0x00000020
	ntlmNTLM        = 0x00000200
	ntlmAlwaysSign  = 0x00008000
	ntlmTargetDom   = 0x00010000
	ntlmTargetSrv   = 0x00020000
	ntlmESS         = 0x00080000
	ntlmTargetInfo  = 0x00800000
	ntlmVersion     = 0x02000000
	ntlm128         = 0x20000000
	ntlmKeyExch     = 0x40000000
	ntlm56          = 0x80000000
	ntlmAcceptFlags = ntlmUnicode | ntlmReqTarget | ntlmSign | ntlmSeal | ntlmNTLM | ntlmAlwaysSign |
		ntlmESS | ntlmTargetInfo | ntlmVersion | ntlm128 | ntlmKeyExch | ntlm56
)

var ntlmSignature = []byte("NTLMSSP\x00")

// errNTLM is any NTLM message the acceptor refuses.
var errNTLM = errors.New("lynctest: bad NTLM message")

// ntlmChallenge is the acceptor's state between CHALLENGE and AUTHENTICATE.
type ntlmChallenge struct {
	flags     uint32
	challenge [8]byte
	negotiate []byte // the client's NEGOTIATE message, for the MIC
	message   []byte // the CHALLENGE message sent
}

// ntlmTarget names the host in a CHALLENGE: its domain (NetBIOS and DNS
// names; for a workgroup host, its own names) and its computer names.
type ntlmTarget struct {
	domain, dnsDomain, computer, dnsComputer string
	workgroup                                bool
}

// newNTLMChallenge answers a NEGOTIATE message with a CHALLENGE message
// (MS-NLMP 2.2.1.2, 3.2.5.1.1).
func newNTLMChallenge(negotiate []byte, tg ntlmTarget, now time.Time) (*ntlmChallenge, error) {
	if len(negotiate) < 16 || !bytes.Equal(negotiate[:8], ntlmSignature) || binary.LittleEndian.Uint32(negotiate[8:]) != 1 {
		return nil, errNTLM
	}
	client := binary.LittleEndian.Uint32(negotiate[12:])
	if client&ntlmUnicode == 0 || client&ntlmESS == 0 {
		return nil, errNTLM // no OEM strings, no NTLMv1
	}
	typ := uint32(ntlmTargetDom)
	if tg.workgroup {
		typ = ntlmTargetSrv
	}
	c := &ntlmChallenge{flags: client&ntlmAcceptFlags | typ | ntlmTargetInfo | ntlmUnicode,
		negotiate: append([]byte(nil), negotiate...)}
	if _, err := rand.Read(c.challenge[:]); err != nil {
		return nil, err
	}
	c.message = buildChallenge(c.flags, c.challenge, tg, now)
	return c, nil
}

// buildChallenge lays out a CHALLENGE message (MS-NLMP 2.2.1.2). Its
// TargetName is the host's domain: clients such as Azure/go-ntlmssp
// authenticate in the domain the CHALLENGE names.
func buildChallenge(flags uint32, challenge [8]byte, tg ntlmTarget, now time.Time) []byte {
	name := utf16le(strings.ToUpper(tg.domain))
	var info []byte
	av := func(id uint16, v []byte) {
		info = binary.LittleEndian.AppendUint16(info, id)
		info = binary.LittleEndian.AppendUint16(info, uint16(len(v)))
		info = append(info, v...)
	}
	av(2, name) // MsvAvNbDomainName
	av(1, utf16le(strings.ToUpper(tg.computer)))
	av(4, utf16le(tg.dnsDomain))
	av(3, utf16le(tg.dnsComputer))
	ts := make([]byte, 8)
	binary.LittleEndian.PutUint64(ts, fileTime(now))
	av(7, ts) // MsvAvTimestamp: the client then sends a MIC
	av(0, nil)
	const header = 56
	m := append([]byte(nil), ntlmSignature...)
	m = binary.LittleEndian.AppendUint32(m, 2)
	m = appendField(m, len(name), header)
	m = binary.LittleEndian.AppendUint32(m, flags)
	m = append(m, challenge[:]...)
	m = append(m, make([]byte, 8)...)
	m = appendField(m, len(info), header+len(name))
	m = append(m, 6, 1, 0x80, 0x25, 0, 0, 0, 15) // version 6.1.9600, NTLM revision 15
	m = append(m, name...)
	return append(m, info...)
}

func appendField(m []byte, n, offset int) []byte {
	m = binary.LittleEndian.AppendUint16(m, uint16(n))
	m = binary.LittleEndian.AppendUint16(m, uint16(n))
	return binary.LittleEndian.AppendUint32(m, uint32(offset))
}

// fileTime is t in 100 ns units since 1601 (a Windows FILETIME).
func fileTime(t time.Time) uint64 {
	return uint64(t.UnixNano()/100) + 116444736000000000
}

// ntlmField returns the payload a (len, maxlen, offset) field at m[at:] points to.
func ntlmField(m []byte, at int) ([]byte, error) {
	if len(m) < at+8 {
		return nil, errNTLM
	}
	n := int(binary.LittleEndian.Uint16(m[at:]))
	off := int(binary.LittleEndian.Uint32(m[at+4:]))
	if n == 0 {
		return nil, nil
	}
	if off < 0 || off > len(m) || n > len(m)-off {
		return nil, errNTLM
	}
	return m[off : off+n], nil
}

// authMessage is a parsed AUTHENTICATE message (MS-NLMP 2.2.1.3).
type authMessage struct {
	nt, user, domain, encKey []byte
	flags                    uint32
	raw                      []byte
	payload                  int // offset of the first payload byte: the fixed part ends there
}

func parseAuthenticate(m []byte) (*authMessage, error) {
	if len(m) < 64 || !bytes.Equal(m[:8], ntlmSignature) || binary.LittleEndian.Uint32(m[8:]) != 3 {
		return nil, errNTLM
	}
	a := &authMessage{raw: m, flags: binary.LittleEndian.Uint32(m[60:]), payload: len(m)}
	for at := 12; at <= 52; at += 8 {
		if n, off := binary.LittleEndian.Uint16(m[at:]), int(binary.LittleEndian.Uint32(m[at+4:])); n > 0 && off < a.payload {
			a.payload = off
		}
	}
	var err error
	get := func(at int) []byte {
		var b []byte
		if err == nil {
			b, err = ntlmField(m, at)
		}
		return b
	}
	_ = get(12) // LmChallengeResponse: ignored for NTLMv2 (MS-NLMP 3.3.2)
	a.nt, a.domain, a.user = get(20), get(28), get(36)
	_ = get(44) // Workstation
	a.encKey = get(52)
	if err != nil {
		return nil, err
	}
	if len(a.nt) < 16+28 || a.nt[16] != 1 || a.nt[17] != 1 {
		return nil, errNTLM // not an NTLMv2 response
	}
	return a, nil
}

// avFlagsMIC reports whether the NTLMv2 blob's AV pairs say a MIC is present
// (MsvAvFlags bit 0x2, MS-NLMP 2.2.2.1).
func avFlagsMIC(blob []byte) bool {
	if len(blob) < 28 {
		return false
	}
	p := blob[28:]
	for len(p) >= 4 {
		id, n := binary.LittleEndian.Uint16(p), int(binary.LittleEndian.Uint16(p[2:]))
		if id == 0 || len(p) < 4+n {
			return false
		}
		if id == 6 && n == 4 {
			return binary.LittleEndian.Uint32(p[4:])&2 != 0
		}
		p = p[4+n:]
	}
	return false
}

// ntowfv2 is NTOWFv2 (MS-NLMP 3.3.2).
func ntowfv2(password, user, domain string) []byte {
	h := md4.New()
	h.Write(utf16le(password))
	return hmacMD5(h.Sum(nil), utf16le(strings.ToUpper(user)+domain))
}

func hmacMD5(key []byte, parts ...[]byte) []byte {
	m := hmac.New(md5.New, key)
	for _, p := range parts {
		m.Write(p)
	}
	return m.Sum(nil)
}

// verify checks a's NTLMv2 response against password and returns the
// exported session key (MS-NLMP 3.2.5.1.2, 3.3.2, 3.4.5.1); ok is false when
// the proof or the MIC does not match.
func (c *ntlmChallenge) verify(a *authMessage, password string) (key []byte, ok bool) {
	respKey := ntowfv2(password, string(decodeUTF16(a.user)), string(decodeUTF16(a.domain)))
	proof, blob := a.nt[:16], a.nt[16:]
	want := hmacMD5(respKey, c.challenge[:], blob)
	if subtle.ConstantTimeCompare(proof, want) != 1 {
		return nil, false
	}
	base := hmacMD5(respKey, proof) // SessionBaseKey = KeyExchangeKey for NTLMv2
	key = base
	if c.flags&ntlmKeyExch != 0 {
		if len(a.encKey) != 16 {
			return nil, false
		}
		key = rc4Once(base, a.encKey)
	}
	// MS-NLMP 3.2.5.1.2: a MIC is verified when MsvAvFlags says it is
	// there, and then it must be there. A message without MsvAvFlags 0x2
	// needs none, whether or not the CHALLENGE had MsvAvTimestamp (that
	// the client SHOULD then send one is a client rule, 3.1.5.1.2); the
	// flag cannot be stripped, the NTProofStr above covers it.
	if avFlagsMIC(blob) {
		const at = 72 // after the Version field, present or not (MS-NLMP 2.2.1.3)
		if len(a.raw) < at+16 || a.payload < at+16 {
			return nil, false // claimed, but the fixed part has no room for it
		}
		msg := append([]byte(nil), a.raw...)
		mic := append([]byte(nil), msg[at:at+16]...)
		clear(msg[at : at+16])
		if !hmac.Equal(mic, hmacMD5(key, c.negotiate, c.message, msg)) {
			return nil, false
		}
	}
	return key, true
}

func rc4Once(key, data []byte) []byte {
	c, _ := rc4.NewCipher(key)
	out := make([]byte, len(data))
	c.XORKeyStream(out, data)
	return out
}

func utf16le(s string) []byte {
	u := utf16.Encode([]rune(s))
	b := make([]byte, 2*len(u))
	for i, c := range u {
		binary.LittleEndian.PutUint16(b[2*i:], c)
	}
	return b
}

func decodeUTF16(b []byte) []rune {
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = binary.LittleEndian.Uint16(b[2*i:])
	}
	return utf16.Decode(u)
}
