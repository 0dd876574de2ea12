package rfc2136

import (
	"encoding/hex"
	"testing"
	"time"

	"github.com/jcmturner/gokrb5/v8/gssapi"
	"github.com/jcmturner/gokrb5/v8/iana/etypeID"
	"github.com/jcmturner/gokrb5/v8/iana/keyusage"
	"github.com/jcmturner/gokrb5/v8/types"
	"github.com/miekg/dns"
)

// fuzzContext is an established context with a fixed aes256 key.
func fuzzContext() *gssContext {
	key := types.EncryptionKey{KeyType: etypeID.AES256_CTS_HMAC_SHA1_96, KeyValue: make([]byte, 32)}
	return &gssContext{keyName: "1.sig-edgefailover.", key: key, peerSubkey: key, expiry: time.Now().Add(time.Hour)}
}

// acceptorMIC is the MIC token the acceptor of g would send for msg.
func acceptorMIC(t testing.TB, g *gssContext, msg []byte, seq uint64) []byte {
	tok := gssapi.MICToken{Flags: gssapi.MICTokenFlagSentByAcceptor | gssapi.MICTokenFlagAcceptorSubkey, SndSeqNum: seq, Payload: msg}
	if err := tok.SetChecksum(g.peerSubkey, keyusage.GSSAPI_ACCEPTOR_SIGN); err != nil {
		t.Fatal(err)
	}
	b, _ := tok.Marshal()
	return b
}

// FuzzGSSVerify feeds arbitrary GSS-TSIG MACs from a server: Verify must not
// panic and accepts only the acceptor's MIC over the message, never our own
// token echoed back.
func FuzzGSSVerify(f *testing.F) {
	g := fuzzContext()
	msg := []byte("the TSIG digest input")
	good := acceptorMIC(f, g, msg, 7)
	mine, _ := g.Generate(msg, &dns.TSIG{Hdr: dns.RR_Header{Name: g.keyName}, Algorithm: GSSAlgorithm})
	f.Add(msg, good)
	f.Add(msg, mine)
	f.Add(msg, []byte{0x04, 0x04, 0x01})
	f.Fuzz(func(t *testing.T, msg, mac []byte) {
		err := g.Verify(msg, &dns.TSIG{Hdr: dns.RR_Header{Name: g.keyName}, Algorithm: GSSAlgorithm, MAC: hex.EncodeToString(mac)})
		if err != nil {
			return
		}
		if len(mac) < 16 || mac[2]&gssapi.MICTokenFlagSentByAcceptor == 0 {
			t.Fatalf("accepted a MAC that is not the acceptor's: %x", mac)
		}
		var tok gssapi.MICToken
		if tok.Unmarshal(mac, true) != nil {
			t.Fatalf("accepted a malformed MIC token: %x", mac)
		}
		tok.Payload = msg
		if ok, _ := tok.Verify(g.peerSubkey, keyusage.GSSAPI_ACCEPTOR_SIGN); !ok {
			t.Fatalf("accepted a MIC token that does not verify: %x", mac)
		}
	})
}

// FuzzGSSFinish feeds arbitrary tokens as the server's AP-REP: finish must
// not panic and must refuse everything (no token here was made with the
// context's session key and authenticator time).
func FuzzGSSFinish(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{0x60, 0x0b, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01, 0x02, 0x02, 0x02, 0x00})
	f.Fuzz(func(t *testing.T, token []byte) {
		g := fuzzContext()
		g.peerSubkey = types.EncryptionKey{}
		if err := g.finish(token); err == nil {
			t.Fatalf("accepted an AP-REP not made for the context: %x", token)
		}
	})
}

// FuzzTKEYAnswer feeds arbitrary answers to a TKEY query: tkeyRecord must
// not panic, and a record it returns is a TKEY of the key name without an
// error.
func FuzzTKEYAnswer(f *testing.F) {
	m := new(dns.Msg)
	m.SetQuestion("1.sig-edgefailover.", dns.TypeTKEY)
	m.Response = true
	m.Answer = []dns.RR{&dns.TKEY{Hdr: dns.RR_Header{Name: "1.sig-edgefailover.", Rrtype: dns.TypeTKEY, Class: dns.ClassANY},
		Algorithm: GSSAlgorithm, Mode: 3, Key: "6f6b", KeySize: 2}}
	b, _ := m.Pack()
	f.Add(b)
	f.Fuzz(func(t *testing.T, data []byte) {
		r := new(dns.Msg)
		if r.Unpack(data) != nil {
			return
		}
		c := config{server: "127.0.0.1:53"}
		tk, err := c.tkeyRecord(r, "1.sig-edgefailover.")
		if err == nil && (tk == nil || tk.Error != 0 || dns.CanonicalName(tk.Hdr.Name) != "1.sig-edgefailover.") {
			t.Fatalf("tkeyRecord returned %v", tk)
		}
	})
}

// FuzzReferral feeds arbitrary answers to an NS query: isReferral must not
// panic and holds only for a non-authoritative NOERROR without answers whose
// authority section has the name's own NS set.
func FuzzReferral(f *testing.F) {
	m := new(dns.Msg)
	m.SetQuestion("deleg.example.test.", dns.TypeNS)
	m.Response = true
	ns, _ := dns.NewRR("deleg.example.test. 300 IN NS ns1.example.org.")
	m.Ns = []dns.RR{ns}
	b, _ := m.Pack()
	f.Add(b)
	f.Fuzz(func(t *testing.T, data []byte) {
		r := new(dns.Msg)
		if r.Unpack(data) != nil {
			return
		}
		if !isReferral(r, "deleg.example.test.", dns.TypeNS) {
			return
		}
		if r.Authoritative || r.Rcode != dns.RcodeSuccess || len(r.Answer) > 0 {
			t.Fatalf("referral accepted: %v", r)
		}
		found := false
		for _, rr := range r.Ns {
			found = found || (rr.Header().Rrtype == dns.TypeNS && dns.CanonicalName(rr.Header().Name) == "deleg.example.test.")
		}
		if !found {
			t.Fatalf("referral without the name's NS set accepted: %v", r)
		}
	})
}
