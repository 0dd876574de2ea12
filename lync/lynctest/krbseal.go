package lynctest

import (
	"crypto/rand"
	"encoding/binary"
	"errors"
	"math/big"
	"time"

	"github.com/jcmturner/gofork/encoding/asn1"
	"github.com/jcmturner/gokrb5/v8/asn1tools"
	"github.com/jcmturner/gokrb5/v8/crypto"
	"github.com/jcmturner/gokrb5/v8/crypto/etype"
	"github.com/jcmturner/gokrb5/v8/gssapi"
	"github.com/jcmturner/gokrb5/v8/messages"
	"github.com/jcmturner/gokrb5/v8/spnego"
	"github.com/jcmturner/gokrb5/v8/types"
)

// The acceptor's side of Kerberos message encryption over HTTP, written
// from RFC 4121 (4.2.4 encryption, 4.2.5 RRC, 4.2.6.2 Wrap tokens), MS-KILE
// 3.1.1.2 (with AES the AP-REP's subkey is the key) and MS-WSMV 2.2.9.1,
// independently of the client's copy. A Windows host answers an AP-REQ that
// asks for mutual authentication with an AP-REP holding a new subkey;
// from then on every message of the connection is a Wrap token with
// confidentiality under that subkey, the trailer rotated into the header
// (RRC = 16 + checksum length, EC = 0), which the multipart body splits
// into a "signature" (the first 16 + RRC + confounder octets) and the
// sealed message.

// errWrap is a Wrap token that does not open: wrong form, flags, checksum,
// header copy or sequence number.
var errWrap = errors.New("lynctest: Kerberos Wrap token refused")

// RFC 4121 key usages and Wrap token flags.
const (
	kuAcceptorSeal  = 22
	kuInitiatorSeal = 24

	tokFlagFromAcceptor = 1 << 0
	tokFlagSealed       = 1 << 1
	tokFlagAcceptorKey  = 1 << 2

	gssFlagMutual = 2
	gssFlagConf   = 16
)

// krbSession is one connection's Kerberos context, acceptor side. Not safe
// for concurrent use: one per connection.
type krbSession struct {
	key         types.EncryptionKey
	e           etype.EType
	acceptorKey bool   // key is our AP-REP subkey
	conf        bool   // the initiator asked for confidentiality
	peerSeq     uint64 // the initiator's next SND_SEQ
	ownSeq      uint64 // our next SND_SEQ
}

// aesEtype returns the etype of a key that seals here: the AES enctypes of
// RFC 3962 and RFC 8009. A Windows host would seal with RC4-HMAC (RFC 4757)
// as well; this double does not model it.
func aesEtype(id int32) (etype.EType, bool) {
	switch id {
	case 17, 18, 19, 20:
		e, err := crypto.GetEtype(id)
		return e, err == nil
	}
	return nil, false
}

// acceptKerberos sets up the context of a verified AP-REQ. mutual says
// whether the client asked for an AP-REP; rep is then its KRB5 token (the
// GSS-API token of RFC 4121 4.1, TOK_ID 02 00), or a SPNEGO NegTokenResp
// around it when the AP-REQ came in a NegTokenInit. The session is nil when
// the key cannot seal here.
func acceptKerberos(req *messages.APReq, inSPNEGO bool) (sess *krbSession, rep []byte, err error) {
	auth := req.Authenticator
	ticketKey := req.Ticket.DecryptedEncPart.Key
	mutual := types.IsFlagSet(&req.APOptions, 2) // mutual-required (RFC 4120 5.5.1)
	var gflags uint32
	if auth.Cksum.CksumType == 0x8003 && len(auth.Cksum.Checksum) >= 24 {
		gflags = binary.LittleEndian.Uint32(auth.Cksum.Checksum[20:24])
	}
	s := &krbSession{conf: gflags&gssFlagConf != 0, peerSeq: uint64(uint32(auth.SeqNumber))}
	switch {
	case mutual:
		kt := ticketKey.KeyType
		if len(auth.SubKey.KeyValue) > 0 {
			kt = auth.SubKey.KeyType
		}
		e, err := crypto.GetEtype(kt) // an RC4 subkey too: the login works, sealing does not (below)
		if err != nil {
			return nil, nil, err
		}
		kv := make([]byte, e.GetKeyByteSize())
		if _, err := rand.Read(kv); err != nil {
			return nil, nil, err
		}
		seq, err := rand.Int(rand.Reader, big.NewInt(1<<31))
		if err != nil {
			return nil, nil, err
		}
		s.key, s.acceptorKey, s.ownSeq = types.EncryptionKey{KeyType: kt, KeyValue: kv}, true, seq.Uint64()
		if rep, err = apRep(auth, ticketKey, s.key, s.ownSeq, inSPNEGO); err != nil {
			return nil, nil, err
		}
	case len(auth.SubKey.KeyValue) > 0:
		s.key, s.ownSeq = auth.SubKey, s.peerSeq
	default:
		s.key, s.ownSeq = ticketKey, s.peerSeq
	}
	e, ok := aesEtype(s.key.KeyType)
	if !ok {
		return nil, rep, nil // no sealing: a sealed request gets 400
	}
	s.e = e
	return s, rep, nil
}

// encAPRepPart is EncAPRepPart of RFC 4120 5.5.2, for marshalling (gokrb5
// reads AP-REPs only).
type encAPRepPart struct {
	CTime  time.Time           `asn1:"generalized,explicit,tag:0"`
	Cusec  int                 `asn1:"explicit,tag:1"`
	Subkey types.EncryptionKey `asn1:"explicit,tag:2"`
	Seq    int64               `asn1:"explicit,tag:3"`
}

type apRepMsg struct {
	PVNO    int                 `asn1:"explicit,tag:0"`
	MsgType int                 `asn1:"explicit,tag:1"`
	EncPart types.EncryptedData `asn1:"explicit,tag:2"`
}

// apRep builds the AP-REP answering auth: its ctime and cusec, our subkey
// and initial sequence number, encrypted in the ticket's session key (key
// usage 12).
func apRep(auth types.Authenticator, ticketKey, subkey types.EncryptionKey, seq uint64, inSPNEGO bool) ([]byte, error) {
	part := encAPRepPart{
		CTime:  auth.CTime.UTC().Truncate(time.Second), // KerberosTime: whole seconds
		Cusec:  auth.Cusec,
		Subkey: subkey,
		Seq:    int64(seq),
	}
	b, err := asn1.Marshal(part)
	if err != nil {
		return nil, err
	}
	ed, err := crypto.GetEncryptedData(asn1tools.AddASNAppTag(b, 27), ticketKey, 12, 0)
	if err != nil {
		return nil, err
	}
	b, err = asn1.Marshal(apRepMsg{PVNO: 5, MsgType: 15, EncPart: ed})
	if err != nil {
		return nil, err
	}
	oid, _ := asn1.Marshal(gssapi.OIDKRB5.OID())
	tok := asn1tools.AddASNAppTag(append(append(oid, 2, 0), asn1tools.AddASNAppTag(b, 15)...), 0)
	if !inSPNEGO {
		return tok, nil
	}
	resp := spnego.NegTokenResp{
		NegState:      asn1.Enumerated(spnego.NegStateAcceptCompleted),
		SupportedMech: gssapi.OIDKRB5.OID(),
		ResponseToken: tok,
	}
	return resp.Marshal()
}

// unseal opens a request: the whole token is sig followed by sealed.
func (s *krbSession) unseal(sealed, sig []byte) ([]byte, error) {
	if !s.conf {
		return nil, errWrap // the context was not set up for confidentiality
	}
	token := append(append([]byte(nil), sig...), sealed...)
	if len(token) < 16 {
		return nil, errWrap
	}
	hdr := token[:16]
	want := byte(tokFlagSealed)
	if s.acceptorKey {
		want |= tokFlagAcceptorKey
	}
	if hdr[0] != 5 || hdr[1] != 4 || hdr[2] != want || hdr[3] != 0xff {
		return nil, errWrap
	}
	ec := int(binary.BigEndian.Uint16(hdr[4:6]))
	rrc := int(binary.BigEndian.Uint16(hdr[6:8]))
	body := token[16:]
	if len(body) < s.e.GetConfounderByteSize()+16+s.e.GetHMACBitLength()/8 {
		return nil, errWrap // confounder, header copy and checksum at least (gokrb5 panics on less)
	}
	// Undo the right rotation of RFC 4121 4.2.5.
	r := rrc % len(body)
	ct := make([]byte, 0, len(body))
	ct = append(append(ct, body[r:]...), body[:r]...)
	plain, err := s.e.DecryptMessage(s.key.KeyValue, ct, kuInitiatorSeal)
	if err != nil || len(plain) < ec+16 {
		return nil, errWrap
	}
	inner := plain[len(plain)-16:]
	for i := range 16 {
		if (i < 6 || i >= 8) && inner[i] != hdr[i] {
			return nil, errWrap
		}
	}
	if binary.BigEndian.Uint64(hdr[8:16]) != s.peerSeq {
		return nil, errWrap // replayed, reordered or lost
	}
	s.peerSeq++
	return plain[:len(plain)-16-ec], nil
}

// seal wraps an answer: the signature is the token up to the encrypted
// message, the sealed part as long as msg.
func (s *krbSession) seal(msg []byte) (sealed, sig []byte, err error) {
	fl := byte(tokFlagFromAcceptor | tokFlagSealed)
	if s.acceptorKey {
		fl |= tokFlagAcceptorKey
	}
	hdr := [16]byte{5, 4, fl, 0xff}
	binary.BigEndian.PutUint64(hdr[8:], s.ownSeq)
	_, ct, err := s.e.EncryptMessage(s.key.KeyValue, append(append([]byte(nil), msg...), hdr[:]...), kuAcceptorSeal)
	if err != nil {
		return nil, nil, err
	}
	rrc := 16 + s.e.GetHMACBitLength()/8
	binary.BigEndian.PutUint16(hdr[6:8], uint16(rrc))
	s.ownSeq++
	conf := s.e.GetConfounderByteSize()
	cut := len(ct) - rrc
	sig = append(append(append([]byte(nil), hdr[:]...), ct[cut:]...), ct[:conf]...)
	return ct[conf:cut], sig, nil
}
