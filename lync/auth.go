package lync

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/Azure/go-ntlmssp"
	krbclient "github.com/jcmturner/gokrb5/v8/client"
	krbconfig "github.com/jcmturner/gokrb5/v8/config"
	"github.com/jcmturner/gokrb5/v8/credentials"
	"github.com/jcmturner/gokrb5/v8/spnego"
)

// certAuthHeader is the Authorization value WinRM expects with client
// certificate authentication.
const certAuthHeader = "http://schemas.dmtf.org/wbem/wsman/1/wsman/secprofile/https/mutual"

// newRoundTripper builds the HTTP transport of an endpoint: dialer, TLS and
// the NTLM negotiator when asked. It is shared by all sessions of a runner.
func newRoundTripper(e Endpoint) http.RoundTripper {
	dial := e.Dial
	if dial == nil {
		d := &net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}
		dial = d.DialContext
	}
	t := &http.Transport{
		Proxy:                 nil, // never from the environment: the library reads no env vars
		DialContext:           dial,
		TLSHandshakeTimeout:   30 * time.Second,
		ResponseHeaderTimeout: e.Timeout,
		MaxIdleConnsPerHost:   4,
		IdleConnTimeout:       90 * time.Second,
	}
	if !e.PlainHTTP {
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
		t.TLSClientConfig = cfg
	}
	if e.Auth == AuthNTLM {
		return ntlmssp.Negotiator{RoundTripper: t}
	}
	return t
}

// authorizer adds the credentials of one request.
type authorizer struct {
	e Endpoint

	mu  sync.Mutex
	krb *krbclient.Client
}

func (a *authorizer) authorize(_ context.Context, req *http.Request) error {
	switch a.e.Auth {
	case AuthBasic, AuthNTLM: // the NTLM negotiator takes the Basic credentials
		req.SetBasicAuth(a.e.Credentials.Username, string(a.e.Credentials.Password))
	case AuthCertificate:
		req.Header.Set("Authorization", certAuthHeader)
	case AuthKerberos:
		kc, err := a.kerberos()
		if err != nil {
			return err
		}
		spn := a.e.Kerberos.SPN
		if spn == "" {
			spn = "HTTP/" + a.e.Host
		}
		if err := spnego.SetSPNEGOHeader(kc, req, spn); err != nil {
			return fmt.Errorf("kerberos: %w", err)
		}
	}
	return nil
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
		kc = krbclient.NewWithPassword(a.e.Credentials.Username, k.Realm, string(a.e.Credentials.Password), cfg,
			krbclient.DisablePAFXFAST(true), krbclient.AssumePreAuthentication(true))
	}
	a.krb = kc
	return kc, nil
}
