package rfc2136

import (
	"encoding/hex"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/jcmturner/gokrb5/v8/client"
	"github.com/jcmturner/gokrb5/v8/crypto"
	"github.com/jcmturner/gokrb5/v8/gssapi"
	"github.com/jcmturner/gokrb5/v8/iana/flags"
	"github.com/jcmturner/gokrb5/v8/iana/keyusage"
	"github.com/jcmturner/gokrb5/v8/messages"
	"github.com/jcmturner/gokrb5/v8/spnego"
	"github.com/jcmturner/gokrb5/v8/types"
	"github.com/miekg/dns"
)

// GSSAlgorithm is the TSIG algorithm name of GSS-TSIG (RFC 3645 §6).
const GSSAlgorithm = "gss-tsig."

// gssContext is an RFC 4121 security context established by this client
// (the initiator) with one DNS server (the acceptor), and the TKEY name
// under which both know it. It signs requests and verifies answers as a
// dns.TsigProvider and is safe for concurrent use.
type gssContext struct {
	keyName string
	expiry  time.Time

	key        types.EncryptionKey // the ticket's session key
	peerSubkey types.EncryptionKey // the acceptor's subkey from the AP-REP, if it sent one
	ctime      time.Time           // the authenticator's, echoed by the AP-REP
	cusec      int

	mu      sync.Mutex
	sendSeq uint64 // next sequence number of our MIC tokens
}

// The GSS-API flags asked for: those nsupdate -g asks for. Replay detection
// stays on (dropping it, as some forks did for bodgit/tsig#54, turns off the
// sequence numbers the acceptor checks); sequencing is off, because
// concurrent calls may reach the server out of order.
var gssFlags = []int{gssapi.ContextFlagMutual, gssapi.ContextFlagReplay, gssapi.ContextFlagInteg}

// initiate gets a service ticket for spn and returns the context (not yet
// established) and the first token: a KRB5 AP-REQ asking for mutual
// authentication.
func initiate(cl *client.Client, spn, keyName string) (*gssContext, []byte, error) {
	tkt, key, err := cl.GetServiceTicket(spn)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: service ticket for %s: %w", ErrKerberos, spn, err)
	}
	tok, err := spnego.NewKRB5TokenAPREQ(cl, tkt, key, gssFlags, []int{flags.APOptionMutualRequired})
	if err != nil {
		return nil, nil, fmt.Errorf("%w: AP-REQ for %s: %w", ErrKerberos, spn, err)
	}
	if err := tok.APReq.DecryptAuthenticator(key); err != nil {
		return nil, nil, fmt.Errorf("%w: AP-REQ for %s: %w", ErrKerberos, spn, err)
	}
	auth := tok.APReq.Authenticator
	out, err := tok.Marshal()
	if err != nil {
		return nil, nil, fmt.Errorf("%w: AP-REQ for %s: %w", ErrKerberos, spn, err)
	}
	// The ticket's end time is in its encrypted part, which only the server
	// reads: the TKEY answer's expiration bounds the context (negotiate), and
	// a server that forgot it answers BADKEY, which renegotiates.
	g := &gssContext{keyName: keyName, key: key, ctime: auth.CTime, cusec: auth.Cusec,
		sendSeq: uint64(auth.SeqNumber), expiry: time.Now().Add(cl.Config.LibDefaults.TicketLifetime)}
	return g, out, nil
}

// finish checks the acceptor's AP-REP (mutual authentication) and takes its
// subkey and sequence number.
func (g *gssContext) finish(token []byte) error {
	var rep spnego.KRB5Token
	if err := rep.Unmarshal(token); err != nil {
		return fmt.Errorf("%w: the server's token: %w", ErrKerberos, err)
	}
	if rep.IsKRBError() {
		return fmt.Errorf("%w: the server answered with a Kerberos error: %s", ErrKerberos, rep.KRBError.Error())
	}
	if !rep.IsAPRep() {
		return fmt.Errorf("%w: the server's token is not an AP-REP", ErrKerberos)
	}
	b, err := crypto.DecryptEncPart(rep.APRep.EncPart, g.key, keyusage.AP_REP_ENCPART)
	if err != nil {
		return fmt.Errorf("%w: the AP-REP does not decrypt with the session key: %w", ErrKerberos, err)
	}
	var part messages.EncAPRepPart
	if err := part.Unmarshal(b); err != nil {
		return fmt.Errorf("%w: the AP-REP: %w", ErrKerberos, err)
	}
	if !part.CTime.Equal(g.ctime.Round(0)) || part.Cusec != g.cusec {
		return fmt.Errorf("%w: mutual authentication failed: the AP-REP does not echo the authenticator's time", ErrKerberos)
	}
	if part.Subkey.KeyType != 0 {
		g.peerSubkey = part.Subkey
	}
	return nil
}

// signingKey returns the key MIC tokens use (RFC 4121 §2: the acceptor's
// subkey once asserted, else the session key) and the flags that say so.
func (g *gssContext) signingKey() (types.EncryptionKey, byte) {
	if g.peerSubkey.KeyType != 0 {
		return g.peerSubkey, gssapi.MICTokenFlagAcceptorSubkey
	}
	return g.key, 0
}

// Generate returns the MIC token of msg (the TSIG digest input), the
// GSS-TSIG MAC (RFC 3645 §3.1).
func (g *gssContext) Generate(msg []byte, t *dns.TSIG) ([]byte, error) {
	if dns.CanonicalName(t.Algorithm) != GSSAlgorithm || dns.CanonicalName(t.Hdr.Name) != g.keyName {
		return nil, dns.ErrKeyAlg
	}
	key, fl := g.signingKey()
	g.mu.Lock()
	seq := g.sendSeq
	g.sendSeq++
	g.mu.Unlock()
	tok := gssapi.MICToken{Flags: fl, SndSeqNum: seq, Payload: msg}
	if err := tok.SetChecksum(key, keyusage.GSSAPI_INITIATOR_SIGN); err != nil {
		return nil, err
	}
	return tok.Marshal()
}

// ErrSignatureEchoed reports an answer whose GSS-TSIG MAC is the request's
// own MIC token sent back (no acceptor flag), which Windows DNS does when it
// did not treat the request as a secure update (bodgit/tsig#54). The
// answer's rcode is not trusted: the outcome of an update is unknown.
var ErrSignatureEchoed = errors.New("rfc2136: the server sent the request's own GSS-TSIG signature back")

// Verify checks the acceptor's MIC token over msg. A token without the
// acceptor flag, or one that does not verify with the context's key, makes
// the answer unverified (dns.ErrSig): never a warning that is ignored.
func (g *gssContext) Verify(msg []byte, t *dns.TSIG) error {
	if dns.CanonicalName(t.Algorithm) != GSSAlgorithm || dns.CanonicalName(t.Hdr.Name) != g.keyName {
		return dns.ErrKeyAlg
	}
	mac, err := hex.DecodeString(t.MAC)
	if err != nil || len(mac) < 16 {
		return fmt.Errorf("%w: malformed GSS-TSIG MAC", dns.ErrSig)
	}
	if mac[0] == 0x04 && mac[1] == 0x04 && mac[2]&gssapi.MICTokenFlagSentByAcceptor == 0 {
		return fmt.Errorf("%w: %w", dns.ErrSig, ErrSignatureEchoed)
	}
	var tok gssapi.MICToken
	if err := tok.Unmarshal(mac, true); err != nil {
		return fmt.Errorf("%w: %v", dns.ErrSig, err)
	}
	key, _ := g.signingKey()
	tok.Payload = msg
	if ok, err := tok.Verify(key, keyusage.GSSAPI_ACCEPTOR_SIGN); !ok || err != nil {
		return fmt.Errorf("%w: the GSS-TSIG MIC does not verify with the %s", dns.ErrSig, keyKind(g))
	}
	return nil
}

func keyKind(g *gssContext) string {
	if g.peerSubkey.KeyType != 0 {
		return "acceptor subkey"
	}
	return "session key"
}

// usable reports whether the context may still sign a request sent now:
// established and more than a minute from expiry.
func (g *gssContext) usable(now time.Time) bool {
	return g != nil && now.Add(time.Minute).Before(g.expiry)
}
