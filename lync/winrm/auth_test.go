package winrm

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"errors"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/xmppfed/edgefailover/lync"
)

func selfSigned(t *testing.T) tls.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: "lyncadmin"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

// TestClientCertificate: AuthCertificate presents the certificate in the
// TLS handshake and sends the WinRM mutual-auth header, no password.
func TestClientCertificate(t *testing.T) {
	t.Parallel()
	cert := selfSigned(t)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _, basic := r.BasicAuth()
		if len(r.TLS.PeerCertificates) != 1 || r.Header.Get("Authorization") != certAuthHeader || basic {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/soap+xml")
		_, _ = w.Write([]byte(`<ok/>`))
	}))
	srv.TLS = &tls.Config{ClientAuth: tls.RequireAnyClientCert}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	pool := x509.NewCertPool()
	pool.AddCert(srv.Certificate())
	addr := srv.Listener.Addr().String()
	ep := Endpoint{Host: "127.0.0.1", Auth: AuthCertificate,
		TLS: TLSConfig{RootCAs: pool, ClientCertificate: &cert},
		Dial: func(ctx context.Context, network, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, network, addr)
		}}
	w := testRunner(t, ep)
	if _, err := w.p.post(t.Context(), "Receive", receiveRequest(w)); err != nil {
		t.Fatalf("post: %v", err)
	}
}

// TestKerberosConfigError: a Kerberos endpoint whose krb5.conf is missing
// fails with a transport error before any request is sent.
func TestKerberosConfigError(t *testing.T) {
	t.Parallel()
	srv, n := faultServer(t, 200, "application/soap+xml", "<ok/>")
	ep := testEndpoint(t, srv)
	ep.Auth = AuthKerberos
	ep.Kerberos = &Kerberos{Realm: "CONTOSO.COM", ConfigPath: filepath.Join(t.TempDir(), "missing-krb5.conf")}
	w := testRunner(t, ep)
	_, err := w.Run(t.Context(), "Get-CsSite")
	var te *lync.TransportError
	if !errors.As(err, &te) {
		t.Fatalf("err = %v, want *lync.TransportError", err)
	}
	if n.Load() != 0 {
		t.Errorf("%d requests sent without credentials", n.Load())
	}
}

func TestPickModule(t *testing.T) {
	t.Parallel()
	tests := []struct {
		out  string
		want string
		err  error
	}{
		{`[{"Name":"Lync"},{"Name":"SkypeForBusiness"}]`, "SkypeForBusiness", nil},
		{`[{"Name":"lync"}]`, "Lync", nil},
		{`[]`, "", lync.ErrModuleNotFound},
		{`{"Name":"Lync"}`, "", lync.ErrProtocol},
	}
	for _, tt := range tests {
		got, err := pickModule("h", json.RawMessage(tt.out))
		if got != tt.want || !errors.Is(err, tt.err) || (tt.err == nil) != (err == nil) {
			t.Errorf("pickModule(%s) = %q, %v; want %q, %v", tt.out, got, err, tt.want, tt.err)
		}
	}
}

// FuzzModuleOutput feeds host output to the module list decoder: it may
// refuse it, never panic (lync's FuzzHostOutput covers the other decoders).
func FuzzModuleOutput(f *testing.F) {
	f.Add(`[{"Name":"Lync"}]`)
	f.Add(`[{"Identity":"Site:Site2","SiteId":2,"Pools":null,"Route":"EdgeServer:x.y"}]`)
	f.Add(`11/25/2026 21:58:01`)
	f.Fuzz(func(t *testing.T, s string) {
		_, _ = pickModule("h", json.RawMessage(s))
	})
}
