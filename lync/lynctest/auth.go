package lynctest

import (
	"context"
	"crypto/subtle"
	"encoding/base64"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/jcmturner/gokrb5/v8/credentials"
	"github.com/jcmturner/gokrb5/v8/keytab"
	"github.com/jcmturner/gokrb5/v8/messages"
	"github.com/jcmturner/gokrb5/v8/service"
	"github.com/jcmturner/gokrb5/v8/spnego"
)

// connKey finds a connection's authentication state in a request context.
type connKey struct{}

// connAuth is the authentication of one HTTP connection: NTLM (and the
// Negotiate header of Windows) authenticates a connection, not a request,
// and its security context seals the messages on that connection only.
type connAuth struct {
	mu      sync.Mutex
	pending *ntlmChallenge // after CHALLENGE, until AUTHENTICATE
	sess    sealer         // the NTLM or Kerberos context, once authenticated
	proto   string         // the multipart/encrypted protocol of the scheme that logged in
	who     principal
}

// sealer seals the answers and unseals the requests of one connection: an
// *ntlmSession or a *krbSession.
type sealer interface {
	unseal(sealed, sig []byte) ([]byte, error)
	seal(msg []byte) (sealed, sig []byte, err error)
}

func withConnAuth(ctx context.Context, _ net.Conn) context.Context {
	return context.WithValue(ctx, connKey{}, &connAuth{})
}

// authed is an authenticated request: who sent it, its SOAP body in clear,
// and the context that seals its answer (nil: the answer goes in clear).
type authed struct {
	who   principal
	body  []byte
	sess  sealer
	proto string
}

// authenticate checks r as the host's WinRM service would, given its body.
// It returns false after it answered r itself: a 401 (credentials refused,
// or an NTLM CHALLENGE), the 200 that ends a handshake without a body, or a
// 400 for a body it could not unseal.
func (hd *handler) authenticate(w http.ResponseWriter, r *http.Request, body []byte) (authed, bool) {
	d, h := hd.d, hd.h
	ca, _ := r.Context().Value(connKey{}).(*connAuth)
	if ca == nil {
		ca = &connAuth{}
	}
	ca.mu.Lock()
	defer ca.mu.Unlock()
	svc := d.service
	plainOK := r.TLS != nil || svc.AllowUnencrypted
	refuse := func() (authed, bool) {
		ca.pending, ca.sess, ca.who = nil, nil, principal{}
		d.count(h, func(c *Counters) { c.Unauthorized++ })
		hd.challenge(w, "")
		return authed{}, false
	}
	scheme, token, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	var basic principal
	switch strings.ToLower(scheme) {
	case "":
		if ca.who.name == "" {
			hd.challenge(w, "")
			return authed{}, false
		}
	case "basic":
		user, pass, ok := r.BasicAuth()
		if !ok || !svc.Basic || !plainOK {
			return refuse()
		}
		u, dom := splitUser(user)
		p, ok := d.localAccount(h, u, dom) // Basic: local accounts only
		if !ok || subtle.ConstantTimeCompare([]byte(pass), []byte(p.pass)) != 1 {
			return refuse()
		}
		d.count(h, func(c *Counters) { c.Auth.Basic++ })
		basic = p // Basic authenticates this request, not the connection
	case "negotiate", "kerberos":
		raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(token))
		if err != nil || (svc.DisableNegotiate && strings.EqualFold(scheme, "negotiate")) {
			return refuse()
		}
		if len(raw) >= 12 && string(raw[:8]) == string(ntlmSignature) && strings.EqualFold(scheme, "negotiate") {
			switch raw[8] {
			case 1:
				ch, err := newNTLMChallenge(raw, d.ntlmTarget(h), time.Now())
				if err != nil {
					return refuse()
				}
				ca.pending, ca.sess, ca.who = ch, nil, principal{}
				d.count(h, func(c *Counters) { c.Auth.Handshakes++ })
				hd.challenge(w, "Negotiate "+base64.StdEncoding.EncodeToString(ch.message))
				return authed{}, false
			case 3:
				if ca.pending == nil {
					return refuse()
				}
				ch := ca.pending
				ca.pending = nil
				am, err := parseAuthenticate(raw)
				if err != nil {
					return refuse()
				}
				p, ok := d.account(h, string(decodeUTF16(am.user)), string(decodeUTF16(am.domain)))
				if !ok {
					return refuse()
				}
				key, ok := ch.verify(am, p.pass)
				if !ok {
					return refuse()
				}
				ca.who = p
				ca.proto = encProtocol
				if ch.flags&ntlmSeal != 0 && ch.flags&ntlmSign != 0 {
					ca.sess = newNTLMSession(ch.flags, key)
				}
				d.count(h, func(c *Counters) { c.Auth.NTLM++ })
				if len(body) == 0 {
					// pywinrm and masterzen/winrm open an encrypted
					// session with an empty POST.
					w.Header().Set("Content-Length", "0")
					w.WriteHeader(http.StatusOK)
					return authed{}, false
				}
			default:
				return refuse()
			}
		} else {
			p, req, inSPNEGO, ok := d.kerberos(h, raw)
			if !ok {
				return refuse()
			}
			ks, rep, err := acceptKerberos(req, inSPNEGO)
			if err != nil {
				return refuse()
			}
			ca.pending, ca.sess, ca.who = nil, nil, p
			if ks != nil {
				ca.sess = ks
			}
			// MS-WSMV 2.2.9.1: SPNEGO-session-encrypted under Negotiate
			// (as pywinrm sends it), Kerberos-session-encrypted under the
			// Kerberos scheme.
			ca.proto = encProtocol
			if strings.EqualFold(scheme, "kerberos") {
				ca.proto = encProtocolKerberos
			}
			d.count(h, func(c *Counters) { c.Auth.Kerberos++ })
			if rep != nil { // mutual authentication: the AP-REP
				w.Header().Set("WWW-Authenticate", scheme+" "+base64.StdEncoding.EncodeToString(rep))
			}
			if len(body) == 0 {
				// The empty POST that sets up an encrypted session.
				w.Header().Set("Content-Length", "0")
				w.WriteHeader(http.StatusOK)
				return authed{}, false
			}
		}
	default:
		return refuse()
	}
	kind := bodyKindOf(r.Header.Get("Content-Type"), len(body))
	switch {
	case kind == bodyBadEncrypted:
		return hd.unsealFailed(w, ca)
	case kind == bodyUnsupported:
		// Neither SOAP nor MS-WSMV's multipart/encrypted: 415, before
		// the encryption rule, and the login stays.
		d.count(h, func(c *Counters) { c.Auth.MediaRefused++ })
		w.Header().Set("Content-Length", "0")
		w.WriteHeader(http.StatusUnsupportedMediaType)
		return authed{}, false
	case kind == bodyClear && !plainOK:
		// A request in clear over HTTP without AllowUnencrypted, on an
		// authenticated connection: 401, and the client must log in
		// again (masterzen/winrm's Encryption relies on that: it sends
		// an empty POST before every message).
		if len(body) > 0 {
			d.count(h, func(c *Counters) { c.Auth.Unencrypted++ })
		}
		ca.pending, ca.sess, ca.who = nil, nil, principal{}
		hd.challenge(w, "")
		return authed{}, false
	case kind == bodyClear && basic.name != "":
		return authed{who: basic, body: body}, true
	case kind == bodyClear:
		return authed{who: ca.who, body: body}, true
	}
	if ca.sess == nil || protocolOf(r.Header.Get("Content-Type")) != ca.proto {
		return hd.unsealFailed(w, ca)
	}
	e, err := parseEncryptedAs(body, ca.proto)
	if err != nil {
		return hd.unsealFailed(w, ca)
	}
	msg, err := ca.sess.unseal(e.sealed, e.sig)
	if err != nil || len(msg) != e.length {
		return hd.unsealFailed(w, ca)
	}
	d.count(h, func(c *Counters) { c.Auth.Sealed++ })
	return authed{who: ca.who, body: msg, sess: ca.sess, proto: ca.proto}, true
}

// unsealFailed answers a body that does not unseal: 400, and the
// connection's context is dropped (its RC4 state no longer matches).
func (hd *handler) unsealFailed(w http.ResponseWriter, ca *connAuth) (authed, bool) {
	ca.pending, ca.sess, ca.who = nil, nil, principal{}
	hd.d.count(hd.h, func(c *Counters) { c.Auth.SealFailures++ })
	w.Header().Set("Connection", "close")
	w.Header().Set("Content-Length", "0")
	w.WriteHeader(http.StatusBadRequest)
	return authed{}, false
}

// challenge answers 401 with the schemes the host offers, or with token (an
// NTLM CHALLENGE) alone.
func (hd *handler) challenge(w http.ResponseWriter, token string) {
	if token != "" {
		w.Header().Set("WWW-Authenticate", token)
	} else {
		for _, s := range hd.d.offered(hd.h) {
			w.Header().Add("WWW-Authenticate", s)
		}
	}
	w.Header().Set("Content-Length", "0")
	w.WriteHeader(http.StatusUnauthorized)
}

// offered lists the schemes h offers in its 401 answers.
func (d *Deployment) offered(h *Host) []string {
	var out []string
	if !d.service.DisableNegotiate {
		out = append(out, "Negotiate")
	}
	if d.service.Kerberos != nil && !d.workgroup(h) {
		out = append(out, "Kerberos")
	}
	if d.service.Basic {
		out = append(out, `Basic realm="WSMAN"`)
	}
	return out
}

// sealAnswer writes rp sealed with sess (MS-WSMV 2.2.9.1), in the
// protocol of the request.
func sealAnswer(w http.ResponseWriter, sess sealer, proto string, rp reply) {
	sealed, sig, err := sess.seal(rp.body)
	if err != nil {
		w.Header().Set("Connection", "close")
		w.WriteHeader(http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", encContentTypeOf(proto))
	w.WriteHeader(rp.status)
	_, _ = w.Write(buildEncryptedAs(proto, contentType, len(rp.body), sig, sealed))
}

// kerberosAcceptor holds the keytab of Config.WinRM.Kerberos.
type kerberosAcceptor struct {
	kt    *keytab.Keytab
	realm string

	mu   sync.Mutex
	seen map[krbAuthenticator]time.Time // the authenticators that logged in, and when
}

// krbAuthenticator identifies an authenticator for the replay check: the
// host it logged in to, its client and its time (RFC 4120 3.2.3).
type krbAuthenticator struct {
	host, client string
	ctime        time.Time
	cusec        int
}

// fresh reports whether the authenticator of req has not logged in to h
// before, and records it. gokrb5's replay cache compares the ticket's
// service name as spelled, which is in clear: with a keytab that holds the
// key under two spellings (HTTP/ and http/, as Windows matches SPNs) a
// replay with the other spelling logged in again. Entries go after twice
// the clock skew (an authenticator's time may be up to one skew ahead):
// VerifyAPREQ refuses their authenticators anyway.
func (ka *kerberosAcceptor) fresh(h *Host, req *messages.APReq, skew time.Duration) bool {
	a := req.Authenticator
	k := krbAuthenticator{host: h.fqdn, client: a.CName.PrincipalNameString() + "@" + strings.ToUpper(a.CRealm), ctime: a.CTime.UTC(), cusec: a.Cusec}
	now := time.Now()
	ka.mu.Lock()
	defer ka.mu.Unlock()
	for e, at := range ka.seen {
		if now.Sub(at) > 2*skew {
			delete(ka.seen, e)
		}
	}
	if _, ok := ka.seen[k]; ok {
		return false
	}
	if ka.seen == nil {
		ka.seen = make(map[krbAuthenticator]time.Time)
	}
	ka.seen[k] = now
	return true
}

func loadKerberos(k *KerberosService) (*kerberosAcceptor, error) {
	b, err := os.ReadFile(k.Keytab)
	if err != nil {
		return nil, badConfig("Kerberos keytab: %v", err)
	}
	kt := keytab.New()
	if err := kt.Unmarshal(b); err != nil {
		return nil, badConfig("Kerberos keytab: %v", err)
	}
	return &kerberosAcceptor{kt: kt, realm: k.Realm}, nil
}

// kerberos verifies a SPNEGO (or bare Kerberos) token carrying an AP-REQ for
// HTTP/<h's fqdn> and maps its client to a domain account. It returns the
// AP-REQ, its ticket and authenticator decrypted, and whether it came
// inside a SPNEGO NegTokenInit.
func (d *Deployment) kerberos(h *Host, raw []byte) (principal, *messages.APReq, bool, bool) {
	ka := d.krb
	if ka == nil || d.workgroup(h) {
		return principal{}, nil, false, false
	}
	var st spnego.SPNEGOToken
	var mech []byte
	inSPNEGO := false
	if err := st.Unmarshal(raw); err == nil && st.Init {
		mech, inSPNEGO = st.NegTokenInit.MechTokenBytes, true
	} else {
		mech = raw
	}
	var kt spnego.KRB5Token
	if err := kt.Unmarshal(mech); err != nil || !kt.IsAPReq() {
		return principal{}, nil, false, false
	}
	sname := kt.APReq.Ticket.SName
	if len(sname.NameString) != 2 || !strings.EqualFold(sname.NameString[0], "HTTP") ||
		normFQDN(sname.NameString[1]) != h.fqdn || !strings.EqualFold(kt.APReq.Ticket.Realm, ka.realm) {
		return principal{}, nil, false, false
	}
	settings := service.NewSettings(ka.kt, service.DecodePAC(false))
	ok, creds, err := service.VerifyAPREQ(&kt.APReq, settings)
	if err != nil || !ok || creds == nil || !ka.fresh(h, &kt.APReq, settings.MaxClockSkew()) {
		return principal{}, nil, false, false
	}
	p, ok := d.kerberosAccount(h, creds)
	return p, &kt.APReq, inSPNEGO, ok
}

func (d *Deployment) kerberosAccount(h *Host, creds *credentials.Credentials) (principal, bool) {
	if !strings.EqualFold(creds.Domain(), d.krb.realm) {
		return principal{}, false
	}
	p, ok := d.domainAccount(h, creds.UserName(), creds.Domain())
	if ok {
		p.pass = "" // the ticket, not the password, proved who it is
	}
	return p, ok
}
