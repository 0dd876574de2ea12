package winrm

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"net/http"
	"os"
	"sync"
	"time"

	krbclient "github.com/jcmturner/gokrb5/v8/client"
	krbconfig "github.com/jcmturner/gokrb5/v8/config"
	"github.com/jcmturner/gokrb5/v8/credentials"
	"github.com/jcmturner/gokrb5/v8/spnego"
)

// certAuthHeader is the Authorization value WinRM expects with client
// certificate authentication.
const certAuthHeader = "http://schemas.dmtf.org/wbem/wsman/1/wsman/secprofile/https/mutual"

// dialer returns the Endpoint's Dial, or a net.Dialer's.
func dialer(e Endpoint) func(ctx context.Context, network, addr string) (net.Conn, error) {
	if e.Dial != nil {
		return e.Dial
	}
	d := &net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}
	return d.DialContext
}

// newRoundTripper builds the HTTP transport of an endpoint (Basic,
// Kerberos, certificate): dialer and TLS. It is shared by all sessions of a
// runner. AuthNTLM goes through an ctxPool instead.
func newRoundTripper(e Endpoint) http.RoundTripper {
	t := &http.Transport{
		Proxy:                 nil, // never from the environment: the library reads no env vars
		DialContext:           dialer(e),
		TLSHandshakeTimeout:   30 * time.Second,
		ResponseHeaderTimeout: e.Timeout,
		MaxIdleConnsPerHost:   4,
		IdleConnTimeout:       90 * time.Second,
	}
	if !e.PlainHTTP {
		t.TLSClientConfig = tlsConfig(e)
	}
	return t
}

// tlsConfig is the client TLS configuration of e.
func tlsConfig(e Endpoint) *tls.Config {
	cfg := &tls.Config{
		MinVersion:         tls.VersionTLS12,
		RootCAs:            e.TLS.RootCAs,
		ServerName:         e.TLS.ServerName,
		InsecureSkipVerify: e.TLS.InsecureSkipVerify, //nolint:gosec // only when the caller asks
	}
	if cfg.ServerName == "" {
		cfg.ServerName = e.Host
	}
	if c := e.TLS.ClientCertificate; c != nil {
		cfg.Certificates = []tls.Certificate{*c}
		cfg.Renegotiation = tls.RenegotiateOnceAsClient
	}
	return cfg
}

// authorizer adds the credentials of one request.
type authorizer struct {
	e Endpoint

	mu  sync.Mutex
	krb *krbclient.Client
}

func (a *authorizer) authorize(_ context.Context, req *http.Request) error {
	switch a.e.Auth {
	case AuthBasic:
		req.SetBasicAuth(a.e.Credentials.Username, string(a.e.Credentials.Password))
	case AuthCertificate:
		req.Header.Set("Authorization", certAuthHeader)
	case AuthKerberos:
		kc, err := a.kerberos()
		if err != nil {
			return err
		}
		if err := setSPNEGOHeader(kc, req, a.spn()); err != nil {
			return fmt.Errorf("kerberos: %w", err)
		}
	}
	return nil
}

// spn is the service principal of the host: Kerberos.SPN, or HTTP/<Host>.
func (a *authorizer) spn() string {
	if a.e.Kerberos.SPN != "" {
		return a.e.Kerberos.SPN
	}
	return "HTTP/" + a.e.Host
}

// lastAuthenticator is the time, in Unix microseconds, at or after which
// the last Kerberos authenticator of this process was made.
var lastAuthenticator struct {
	sync.Mutex
	micros int64
}

// setSPNEGOHeader adds a fresh AP-REQ to req, its authenticator's ctime and
// cusec distinct from every other this process sent. An acceptor's replay
// cache (RFC 4120 3.2.3: client, server, time and microsecond) refuses a
// second authenticator of the same microsecond as a replay
// (KRB_AP_ERR_REPEAT), so a Send made next to a Receive long poll would
// otherwise get 401 now and then.
func setSPNEGOHeader(kc *krbclient.Client, req *http.Request, spn string) error {
	return freshAuthenticator(func() error { return spnego.SetSPNEGOHeader(kc, req, spn) })
}

// freshAuthenticator runs make, which makes one authenticator, in a
// microsecond of its own (see setSPNEGOHeader).
func freshAuthenticator(make func() error) error {
	lastAuthenticator.Lock()
	defer lastAuthenticator.Unlock()
	for time.Now().UnixMicro() <= lastAuthenticator.micros {
		time.Sleep(time.Microsecond)
	}
	err := make()
	lastAuthenticator.micros = time.Now().UnixMicro()
	return err
}

// kerberos logs in once and keeps the client for later requests.
func (a *authorizer) kerberos() (*krbclient.Client, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.krb != nil {
		return a.krb, nil
	}
	k := a.e.Kerberos
	cfg, err := krbconfig.Load(k.ConfigPath)
	if err != nil {
		return nil, fmt.Errorf("kerberos config: %w", err)
	}
	var kc *krbclient.Client
	if k.CCachePath != "" {
		b, err := os.ReadFile(k.CCachePath)
		if err != nil {
			return nil, fmt.Errorf("kerberos ccache: %w", err)
		}
		cc := new(credentials.CCache)
		if err := cc.Unmarshal(b); err != nil {
			return nil, fmt.Errorf("kerberos ccache: %w", err)
		}
		if kc, err = krbclient.NewFromCCache(cc, cfg, krbclient.DisablePAFXFAST(true)); err != nil {
			return nil, fmt.Errorf("kerberos ccache: %w", err)
		}
	} else {
		user, _ := splitAccount(a.e.Credentials.Username) // CONTOSO\user and user@contoso.com log in as user@Realm
		kc = krbclient.NewWithPassword(user, k.Realm, string(a.e.Credentials.Password), cfg,
			krbclient.DisablePAFXFAST(true), krbclient.AssumePreAuthentication(true))
	}
	a.krb = kc
	return kc, nil
}
