package winrm

import (
	"bytes"
	"testing"
	"time"

	"github.com/jcmturner/gofork/encoding/asn1"
	"github.com/jcmturner/gokrb5/v8/asn1tools"
	"github.com/jcmturner/gokrb5/v8/crypto"
	"github.com/jcmturner/gokrb5/v8/gssapi"
	"github.com/jcmturner/gokrb5/v8/iana/etypeID"
	"github.com/jcmturner/gokrb5/v8/iana/keyusage"
	"github.com/jcmturner/gokrb5/v8/spnego"
	"github.com/jcmturner/gokrb5/v8/types"
)

// fuzzEncAPRepPart and fuzzAPRep marshal an AP-REP (RFC 4120 5.5.2) for
// the seeds: gokrb5 only reads them.
type fuzzEncAPRepPart struct {
	CTime  time.Time           `asn1:"generalized,explicit,tag:0"`
	Cusec  int                 `asn1:"explicit,tag:1"`
	Subkey types.EncryptionKey `asn1:"explicit,tag:2"`
	Seq    int64               `asn1:"explicit,tag:3"`
}

type fuzzAPRep struct {
	PVNO    int                 `asn1:"explicit,tag:0"`
	MsgType int                 `asn1:"explicit,tag:1"`
	EncPart types.EncryptedData `asn1:"explicit,tag:2"`
}

// fuzzAPRepToken returns the host's answer token to ki's AP-REQ: a bare
// KRB5 token, or one inside a SPNEGO NegTokenResp.
func fuzzAPRepToken(tb testing.TB, ki *krbInitiator, subkey types.EncryptionKey, spnegoWrap bool) []byte {
	tb.Helper()
	b, err := asn1.Marshal(fuzzEncAPRepPart{CTime: ki.auth.CTime.UTC().Truncate(time.Second), Cusec: ki.auth.Cusec, Subkey: subkey, Seq: 7})
	if err != nil {
		tb.Fatal(err)
	}
	ed, err := crypto.GetEncryptedData(asn1tools.AddASNAppTag(b, 27), ki.sessionKey, keyusage.AP_REP_ENCPART, 0)
	if err != nil {
		tb.Fatal(err)
	}
	if b, err = asn1.Marshal(fuzzAPRep{PVNO: 5, MsgType: 15, EncPart: ed}); err != nil {
		tb.Fatal(err)
	}
	oid, _ := asn1.Marshal(gssapi.OIDKRB5.OID())
	tok := asn1tools.AddASNAppTag(append(append(oid, 2, 0), asn1tools.AddASNAppTag(b, 15)...), 0)
	if !spnegoWrap {
		return tok
	}
	resp := spnego.NegTokenResp{NegState: asn1.Enumerated(spnego.NegStateAcceptCompleted), SupportedMech: gssapi.OIDKRB5.OID(), ResponseToken: tok}
	out, err := resp.Marshal()
	if err != nil {
		tb.Fatal(err)
	}
	return out
}

// FuzzKerberosAPRep feeds the host's answer to the AP-REQ (the token of
// its 200 to the Kerberos login, a hostile host's choice) to
// krbInitiator.complete. It must not panic; a context comes only from a
// token that decrypts with the ticket's session key and answers this
// authenticator, with a key of the sealing etype's length.
func FuzzKerberosAPRep(f *testing.F) {
	key := func(b byte) types.EncryptionKey {
		return types.EncryptionKey{KeyType: etypeID.AES256_CTS_HMAC_SHA1_96, KeyValue: bytes.Repeat([]byte{b}, 32)}
	}
	ki := &krbInitiator{
		sessionKey: key(1),
		auth:       types.Authenticator{CTime: time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC), Cusec: 123, SubKey: key(2), SeqNumber: 42},
	}
	for _, wrap := range []bool{false, true} {
		seed := fuzzAPRepToken(f, ki, key(3), wrap)
		if _, err := ki.complete(seed); err != nil { // the seeds reach the end
			f.Fatalf("a valid AP-REP (SPNEGO %v) is refused: %v", wrap, err)
		}
		f.Add(seed)
	}
	f.Add(fuzzAPRepToken(f, ki, types.EncryptionKey{}, true))
	f.Add(fuzzAPRepToken(f, ki, types.EncryptionKey{KeyType: etypeID.AES256_CTS_HMAC_SHA1_96, KeyValue: []byte{1}}, false))
	other := *ki
	other.auth.Cusec = 124
	f.Add(fuzzAPRepToken(f, &other, key(3), false))
	f.Add([]byte{0xa1, 0x03, 0x30, 0x01, 0x00})
	f.Fuzz(func(t *testing.T, raw []byte) {
		k, err := ki.complete(raw)
		if err != nil {
			if k != nil {
				t.Fatal("a context with an error")
			}
			return
		}
		if k == nil || k.et == nil || len(k.key.KeyValue) != k.et.GetKeyByteSize() {
			t.Fatalf("context %+v without a usable key", k)
		}
	})
}
