package winrm

import (
	"context"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/jcmturner/gofork/encoding/asn1"
	"github.com/jcmturner/gokrb5/v8/asn1tools"
	krbclient "github.com/jcmturner/gokrb5/v8/client"
	"github.com/jcmturner/gokrb5/v8/crypto"
	"github.com/jcmturner/gokrb5/v8/gssapi"
	"github.com/jcmturner/gokrb5/v8/iana/chksumtype"
	"github.com/jcmturner/gokrb5/v8/iana/flags"
	"github.com/jcmturner/gokrb5/v8/iana/keyusage"
	"github.com/jcmturner/gokrb5/v8/messages"
	"github.com/jcmturner/gokrb5/v8/spnego"
	"github.com/jcmturner/gokrb5/v8/types"

	"github.com/xmppfed/edgefailover/lync"
)

// Kerberos over plain HTTP, as pywinrm (requests-kerberos with
// mutual_authentication=REQUIRED) and Windows run it: the client posts an
// empty message whose Authorization is "Negotiate <KRB5 AP-REQ>" (the
// GSS-API token of RFC 4121 4.1, mutual authentication required, a subkey
// and a sequence number in the authenticator); the host answers 200 with
// "WWW-Authenticate: Negotiate <KRB5 AP-REP>", and every later message of
// the connection is sealed (krbwrap.go). The AP-REP holds the acceptor's
// subkey, which both directions then use: MS-KILE 3.1.1.2 ("when AES is
// used ... the subkey in the KRB_AP_REP message is used"); without one,
// RFC 4121 2 falls back to the initiator's subkey.

// gssFlags are the context flags of the authenticator checksum (RFC 4121
// 4.1.1.1): mutual authentication, replay and sequence detection,
// confidentiality and integrity.
const gssFlags = gssapi.ContextFlagMutual | gssapi.ContextFlagReplay | gssapi.ContextFlagSequence |
	gssapi.ContextFlagConf | gssapi.ContextFlagInteg

// krbInitiator is an AP-REQ sent, waiting for its AP-REP.
type krbInitiator struct {
	sessionKey types.EncryptionKey // of the service ticket
	auth       types.Authenticator // as sent: ctime, cusec, subkey, seq-number
}

// newKrbInitiator gets a service ticket for spn and returns the GSS-API
// token of a fresh AP-REQ for it. A session key of an etype that does not
// seal here fails with ErrKerberosEtype before anything is sent.
func newKrbInitiator(kc *krbclient.Client, spn string) ([]byte, *krbInitiator, error) {
	if err := kc.AffirmLogin(); err != nil {
		return nil, nil, fmt.Errorf("kerberos login: %w", err)
	}
	tkt, skey, err := kc.GetServiceTicket(spn)
	if err != nil {
		return nil, nil, fmt.Errorf("kerberos service ticket for %s: %w", spn, err)
	}
	et, err := sealingEtype(skey.KeyType)
	if err != nil {
		return nil, nil, &EncryptionError{Op: "login", Err: err}
	}
	ki := &krbInitiator{sessionKey: skey}
	var req messages.APReq
	err = freshAuthenticator(func() error {
		a, err := types.NewAuthenticator(kc.Credentials.Domain(), kc.Credentials.CName())
		if err != nil {
			return err
		}
		if err := a.GenerateSeqNumberAndSubKey(skey.KeyType, et.GetKeyByteSize()); err != nil {
			return err
		}
		ck := make([]byte, 24) // RFC 4121 4.1.1: Lgth 16, no channel bindings over HTTP, flags
		binary.LittleEndian.PutUint32(ck[0:], 16)
		binary.LittleEndian.PutUint32(ck[20:], gssFlags)
		a.Cksum = types.Checksum{CksumType: chksumtype.GSSAPI, Checksum: ck}
		ki.auth = a
		req, err = messages.NewAPReq(tkt, skey, a)
		return err
	})
	if err != nil {
		return nil, nil, fmt.Errorf("kerberos AP-REQ: %w", err)
	}
	types.SetFlag(&req.APOptions, flags.APOptionMutualRequired)
	ap, err := req.Marshal()
	if err != nil {
		return nil, nil, fmt.Errorf("kerberos AP-REQ: %w", err)
	}
	oid, _ := asn1.Marshal(gssapi.OIDKRB5.OID())
	tok := append(append(oid, 0x01, 0x00), ap...) // TOK_ID KRB_AP_REQ
	return asn1tools.AddASNAppTag(tok, 0), ki, nil
}

// complete reads the host's AP-REP (a bare KRB5 token, or one inside a
// SPNEGO NegTokenResp) and returns the context it sets up.
func (ki *krbInitiator) complete(raw []byte) (*krbContext, error) {
	mech := raw
	if len(raw) > 0 && raw[0] == 0xa1 { // SPNEGO NegTokenResp
		var st spnego.SPNEGOToken
		if err := st.Unmarshal(raw); err != nil || !st.Resp {
			return nil, errors.New("answer token is neither KRB5 nor SPNEGO")
		}
		if st.NegTokenResp.State() != spnego.NegStateAcceptCompleted {
			return nil, errors.New("SPNEGO negotiation not completed")
		}
		mech = st.NegTokenResp.ResponseToken
	}
	var kt spnego.KRB5Token
	if err := kt.Unmarshal(mech); err != nil {
		return nil, fmt.Errorf("AP-REP token: %w", err)
	}
	if kt.IsKRBError() {
		return nil, fmt.Errorf("host answered KRB-ERROR %d", kt.KRBError.ErrorCode)
	}
	if !kt.IsAPRep() {
		return nil, errors.New("answer token holds no AP-REP")
	}
	b, err := crypto.DecryptEncPart(kt.APRep.EncPart, ki.sessionKey, keyusage.AP_REP_ENCPART)
	if err != nil {
		return nil, errors.New("AP-REP does not decrypt with the ticket's session key")
	}
	var enc messages.EncAPRepPart
	if err := enc.Unmarshal(b); err != nil {
		return nil, fmt.Errorf("AP-REP: %w", err)
	}
	if !enc.CTime.Equal(ki.auth.CTime.Truncate(time.Second)) || enc.Cusec != ki.auth.Cusec {
		return nil, errors.New("AP-REP time differs from the authenticator's: not an answer to this AP-REQ")
	}
	k := &krbContext{key: ki.auth.SubKey, sendSeq: uint64(ki.auth.SeqNumber) & 0xffffffff}
	if len(enc.Subkey.KeyValue) > 0 {
		k.key, k.acceptorSubkey = enc.Subkey, true
	}
	k.recvSeq = uint64(enc.SequenceNumber) & 0xffffffff
	if k.et, err = sealingEtype(k.key.KeyType); err != nil {
		return nil, err
	}
	if len(k.key.KeyValue) != k.et.GetKeyByteSize() {
		return nil, errors.New("AP-REP subkey has the wrong length")
	}
	return k, nil
}

// loginKerberos dials a connection and sets up its Kerberos context: an
// empty POST with the AP-REQ, which the host answers with 200 and its
// AP-REP. A 401 is lync.ErrUnauthorized (or a *SchemeError when the host
// does not offer Negotiate); an AP-REP that does not verify fails with
// ErrEncryption.
func (p *ctxPool) loginKerberos(ctx context.Context) (*ctxConn, error) {
	kc, err := p.krb.kerberos()
	if err != nil {
		return nil, err
	}
	// gokrb5 talks to the KDC without a context: the login returns by
	// ctx's deadline all the same, and a KDC exchange still running ends
	// by gokrb5's own timeouts.
	type initiated struct {
		tok []byte
		ki  *krbInitiator
		err error
	}
	done := make(chan initiated, 1)
	go func() {
		tok, ki, err := newKrbInitiator(kc, p.krb.spn())
		done <- initiated{tok, ki, err}
	}()
	var in initiated
	select {
	case in = <-done:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if in.err != nil {
		return nil, in.err
	}
	tok, ki := in.tok, in.ki
	c, err := p.connect(ctx)
	if err != nil {
		return nil, err
	}
	ok := false
	defer func() {
		if !ok {
			c.c.Close()
		}
	}()
	p.handshakes.Add(1)
	a, err := exchange(ctx, c, p.ep, "Negotiate "+base64.StdEncoding.EncodeToString(tok), soapType, nil)
	if err != nil {
		return nil, err
	}
	switch {
	case a.status == http.StatusUnauthorized && !offers(a.header.Values("WWW-Authenticate"), "Negotiate"):
		return nil, &SchemeError{Scheme: "Negotiate", Offered: offeredSchemes(a.header.Values("WWW-Authenticate"))}
	case a.status == http.StatusUnauthorized:
		return nil, lync.ErrUnauthorized // ticket refused (wrong SPN, unknown account, skew)
	case a.status != http.StatusOK:
		return nil, &lync.ProtocolError{Op: "Kerberos handshake", Err: fmt.Errorf("HTTP %d to the AP-REQ", a.status)}
	}
	rep, found := negotiateToken(a.header.Values("WWW-Authenticate"))
	if !found {
		return nil, &EncryptionError{Op: "login", Err: errors.New("the host sent no AP-REP (no mutual authentication): no key to seal with")}
	}
	if c.sess, err = ki.complete(rep); err != nil {
		return nil, &EncryptionError{Op: "login", Err: err}
	}
	ok = true
	return c, nil
}
