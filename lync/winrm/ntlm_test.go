package winrm

import (
	"bytes"
	"context"
	"errors"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xmppfed/edgefailover/lync/lynctest"

	"github.com/xmppfed/edgefailover/lync"
)

// ntlmDeployment is a small deployment with Windows' default WinRM service
// (Basic off, AllowUnencrypted off, Negotiate on), plus svc's changes.
func ntlmDeployment(t testing.TB, svc lynctest.WinRMService) *lynctest.Deployment {
	t.Helper()
	d, err := lynctest.New(lynctest.Config{
		Sites: []lynctest.Site{{Name: "Site1"}},
		Pools: []lynctest.Pool{
			{FQDN: "fepool1.contoso.com", Site: "Site1", Role: lynctest.FrontEnd, Servers: []lynctest.Server{{FQDN: "fe01.contoso.com"}}},
			{FQDN: "edgepool1.contoso.com", Site: "Site1", Role: lynctest.Edge, Servers: []lynctest.Server{{FQDN: "edge01.contoso.com"}}},
		},
		WinRM:               svc,
		MaxOperationTimeout: 200 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(d.Close)
	return d
}

// ntlmEndpoint reaches host of d over plain HTTP with NTLM (sealed), or
// over HTTPS.
func ntlmEndpoint(d *lynctest.Deployment, host string, https bool) Endpoint {
	user, pass := d.Credentials()
	ep := Endpoint{Host: host, PlainHTTP: !https, Auth: AuthNTLM, Dial: d.DialContext,
		Credentials: Credentials{Username: user, Password: Password(pass)}, OperationTimeout: time.Second}
	if https {
		ep.TLS.RootCAs = d.CertPool()
	}
	return ep
}

// TestNTLMSealedOverHTTP: the real masterzen/winrm client, through the
// NTLM pool, runs a persistent session against a default host over HTTP:
// every request came sealed, one login per connection.
func TestNTLMSealedOverHTTP(t *testing.T) {
	t.Parallel()
	d := ntlmDeployment(t, lynctest.WinRMService{})
	w := testRunner(t, ntlmEndpoint(d, "fe01.contoso.com", false))
	c := lync.NewClient(w, lync.ClientOptions{})
	for range 5 {
		if _, err := c.Sites.List(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	cnt := d.Host("fe01.contoso.com").Counters()
	a := cnt.Auth
	if cnt.Total() == 0 || a.Sealed != cnt.Total() || a.Unencrypted != 0 || a.SealFailures != 0 || cnt.Unauthorized != 0 {
		t.Fatalf("requests %d, auth %+v, 401s %d", cnt.Total(), a, cnt.Unauthorized)
	}
	if n := w.p.pool.handshakes.Load(); a.NTLM != int(n) || n < 1 || n > 4 {
		t.Fatalf("%d client handshakes, %d host logins: want one per connection (a long poll and a Send at most)", n, a.NTLM)
	}
	t.Logf("%d WS-Man requests for 5 calls (plus module detection and import), %d NTLM logins", cnt.Total(), a.NTLM)
}

// TestNTLMOverHTTPS: the same client over HTTPS; the AUTHENTICATE carries
// the first message, nothing is sealed.
func TestNTLMOverHTTPS(t *testing.T) {
	t.Parallel()
	d := ntlmDeployment(t, lynctest.WinRMService{})
	w := testRunner(t, ntlmEndpoint(d, "fe01.contoso.com", true))
	if _, err := lync.NewClient(w, lync.ClientOptions{}).Sites.List(t.Context()); err != nil {
		t.Fatal(err)
	}
	if a := d.Host("fe01.contoso.com").Counters().Auth; a.NTLM < 1 || a.Sealed != 0 {
		t.Fatalf("auth %+v", a)
	}
}

// TestNTLMWrongPassword: one round of the handshake, then lync.ErrUnauthorized;
// the password shows nowhere.
func TestNTLMWrongPassword(t *testing.T) {
	t.Parallel()
	d := ntlmDeployment(t, lynctest.WinRMService{})
	ep := ntlmEndpoint(d, "fe01.contoso.com", false)
	ep.Credentials.Password = "Wr0ng-canary-Passw0rd"
	w := testRunner(t, ep)
	_, err := w.Run(t.Context(), "Get-CsSite")
	if !errors.Is(err, lync.ErrUnauthorized) || errors.Is(err, lync.ErrSessionBroken) {
		t.Fatalf("err = %v, want lync.ErrUnauthorized", err)
	}
	if strings.Contains(err.Error(), "canary") {
		t.Fatalf("error shows the password: %v", err)
	}
	cnt := d.Host("fe01.contoso.com").Counters()
	if h := w.p.pool.handshakes.Load(); h != 1 || cnt.Unauthorized != 1 || cnt.Auth.Handshakes != 1 || cnt.Total() != 0 {
		t.Fatalf("%d handshakes, host: %d 401s, %d CHALLENGEs, %d requests", h, cnt.Unauthorized, cnt.Auth.Handshakes, cnt.Total())
	}
}

// TestBasicDomainAccountRefused: Basic with a domain account is refused
// before anything is sent.
func TestBasicDomainAccountRefused(t *testing.T) {
	t.Parallel()
	d := ntlmDeployment(t, lynctest.WinRMService{Basic: true})
	dials := 0
	for _, user := range []string{`CONTOSO\lyncadmin`, "lyncadmin@contoso.com"} {
		ep := Endpoint{Host: "fe01.contoso.com", TLS: TLSConfig{RootCAs: d.CertPool()},
			Credentials: Credentials{Username: user, Password: "p"},
			Dial: func(ctx context.Context, n, a string) (net.Conn, error) {
				dials++
				return d.DialContext(ctx, n, a)
			}}
		_, err := NewWinRM(ep, Options{})
		if !errors.Is(err, ErrBasicDomainAccount) || !errors.Is(err, lync.ErrInvalidInput) || !strings.Contains(err.Error(), "local accounts") {
			t.Fatalf("%s: err = %v, want ErrBasicDomainAccount", user, err)
		}
	}
	if c := d.Counters(); dials != 0 || c.Total() != 0 || c.Unauthorized != 0 {
		t.Fatalf("%d dials, %d requests, %d 401s", dials, c.Total(), c.Unauthorized)
	}
}

// TestBasicLocalAccount: Basic, once enabled on the host, logs in a local
// account of that host over HTTPS, and no other host takes it.
func TestBasicLocalAccount(t *testing.T) {
	t.Parallel()
	d := ntlmDeployment(t, lynctest.WinRMService{Basic: true,
		LocalAccounts: []lynctest.LocalAccount{{Host: "edge01.contoso.com", Username: "admin", Password: "Edge-Passw0rd"}}})
	ep := Endpoint{Host: "edge01.contoso.com", TLS: TLSConfig{RootCAs: d.CertPool()}, Dial: d.DialContext,
		Credentials: Credentials{Username: "admin", Password: "Edge-Passw0rd"}, OperationTimeout: time.Second}
	if _, err := testRunner(t, ep).Run(t.Context(), "Get-Module -ListAvailable -Name @('SkypeForBusiness', 'Lync') | Select-Object -Property Name"); err != nil {
		t.Fatal(err)
	}
	ep.Host = "fe01.contoso.com"
	if _, err := testRunner(t, ep).Run(t.Context(), "Get-CsSite"); !errors.Is(err, lync.ErrUnauthorized) {
		t.Fatalf("another host: err = %v, want lync.ErrUnauthorized", err)
	}
	// The same account with NTLM, as HOST\user.
	ntlm := ntlmEndpoint(d, "edge01.contoso.com", false)
	ntlm.Credentials = LocalCredentials("edge01.contoso.com", "admin", "Edge-Passw0rd")
	if _, err := testRunner(t, ntlm).Run(t.Context(), "Get-Module -ListAvailable -Name @('SkypeForBusiness', 'Lync') | Select-Object -Property Name"); err != nil {
		t.Fatalf("NTLM as %s: %v", ntlm.Credentials.Username, err)
	}
}

// TestSchemeNotOffered: a host without Negotiate answers with the schemes
// it offers, and the error names them.
func TestSchemeNotOffered(t *testing.T) {
	t.Parallel()
	d := ntlmDeployment(t, lynctest.WinRMService{DisableNegotiate: true, Basic: true})
	_, err := testRunner(t, ntlmEndpoint(d, "fe01.contoso.com", false)).Run(t.Context(), "Get-CsSite")
	var se *SchemeError
	if !errors.As(err, &se) || !errors.Is(err, lync.ErrUnauthorized) || se.Scheme != "Negotiate" ||
		strings.Join(se.Offered, ",") != "Basic" || !strings.Contains(err.Error(), "offers: Basic") {
		t.Fatalf("err = %v, want a *SchemeError offering Basic", err)
	}
}

// tamperConn flips one byte of the sealed part of the first encrypted
// message it sees in the direction it tampers with.
type tamperConn struct {
	net.Conn
	reads bool // tamper with answers (else with requests)
	once  sync.Once
}

func (c *tamperConn) flip(b []byte) {
	if i := bytes.Index(b, []byte("--Encrypted Boundary--\r\n")); i > 0 {
		c.once.Do(func() { b[i-1] ^= 0x01 })
	}
}

func (c *tamperConn) Read(b []byte) (int, error) {
	n, err := c.Conn.Read(b)
	if c.reads {
		c.flip(b[:n])
	}
	return n, err
}

func (c *tamperConn) Write(b []byte) (int, error) {
	if !c.reads {
		b = append([]byte(nil), b...)
		c.flip(b)
	}
	return c.Conn.Write(b)
}

// TestTamperedMessages: a sealed answer changed on the way fails with
// ErrEncryption (never a retry in clear); a changed request is refused by
// the host.
func TestTamperedMessages(t *testing.T) {
	t.Parallel()
	for _, reads := range []bool{true, false} {
		d := ntlmDeployment(t, lynctest.WinRMService{})
		ep := ntlmEndpoint(d, "fe01.contoso.com", false)
		ep.Dial = func(ctx context.Context, n, a string) (net.Conn, error) {
			c, err := d.DialContext(ctx, n, a)
			if err != nil {
				return nil, err
			}
			return &tamperConn{Conn: c, reads: reads}, nil
		}
		w := testRunner(t, ep)
		_, err := w.p.post(t.Context(), "Receive", receiveRequest(w))
		a := d.Host("fe01.contoso.com").Counters().Auth
		if reads {
			if !errors.Is(err, ErrEncryption) {
				t.Fatalf("tampered answer: err = %v, want ErrEncryption", err)
			}
		} else if err == nil || a.SealFailures != 1 || a.Sealed != 0 {
			t.Fatalf("tampered request: err = %v, host %+v", err, a)
		}
		if a.Unencrypted != 0 {
			t.Fatalf("something was sent in clear: %+v", a)
		}
	}
}

// TestNTLMConcurrentPosts: posts from many goroutines each get their own
// connection's context; every answer (a sealed fault) unseals.
func TestNTLMConcurrentPosts(t *testing.T) {
	t.Parallel()
	d := ntlmDeployment(t, lynctest.WinRMService{})
	w := testRunner(t, ntlmEndpoint(d, "fe01.contoso.com", false))
	var wg sync.WaitGroup
	errs := make(chan error, 80)
	for range 8 {
		wg.Go(func() {
			for range 10 {
				_, err := w.p.post(t.Context(), "Receive", receiveRequest(w))
				var f *WSManFault
				if !errors.As(err, &f) {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("want a sealed WSManFault, got %v", err)
	}
	a := d.Host("fe01.contoso.com").Counters().Auth
	if a.Sealed != 80 || a.SealFailures != 0 || a.NTLM > 8+4 {
		t.Fatalf("host %+v", a)
	}
}

// FuzzParseSealed feeds host answers to the multipart/encrypted parser.
func FuzzParseSealed(f *testing.F) {
	f.Add(frameSealed(3, make([]byte, 16), []byte("abc")))
	f.Add([]byte("--Encrypted Boundary\r\n\tContent-Type: application/HTTP-SPNEGO-session-encrypted\r\n\tOriginalContent: type=x;Length=9999999999\r\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := parseSealed(b)
		if err == nil && len(p.sealed) != p.length {
			t.Fatalf("sealed %d bytes, declared %d", len(p.sealed), p.length)
		}
	})
}

// TestWorkgroupEdge: Edge servers outside the domain take their own local
// account (HOST\user) and refuse the domain account the Front End takes.
func TestWorkgroupEdge(t *testing.T) {
	t.Parallel()
	d := ntlmDeployment(t, lynctest.WinRMService{WorkgroupEdge: true,
		LocalAccounts: []lynctest.LocalAccount{{Host: "edge01.contoso.com", Username: "edgeadmin", Password: "Edge-Passw0rd"}}})
	const probe = "Get-Module -ListAvailable -Name @('SkypeForBusiness', 'Lync') | Select-Object -Property Name"
	if _, err := testRunner(t, ntlmEndpoint(d, "fe01.contoso.com", false)).Run(t.Context(), probe); err != nil {
		t.Fatalf("domain account on the Front End: %v", err)
	}
	if _, err := testRunner(t, ntlmEndpoint(d, "edge01.contoso.com", false)).Run(t.Context(), probe); !errors.Is(err, lync.ErrUnauthorized) {
		t.Fatalf("domain account on a workgroup Edge: err = %v, want lync.ErrUnauthorized", err)
	}
	ep := ntlmEndpoint(d, "edge01.contoso.com", false)
	ep.Credentials = LocalCredentials(ep.Host, "edgeadmin", "Edge-Passw0rd")
	if ep.Credentials.Username != `EDGE01\edgeadmin` {
		t.Fatalf("LocalCredentials: %q", ep.Credentials.Username)
	}
	if _, err := testRunner(t, ep).Run(t.Context(), probe); err != nil {
		t.Fatalf("local account on the Edge: %v", err)
	}
}

// statusConn turns the first "HTTP/1.1 200" it reads into a 500 (the
// answer to an empty AUTHENTICATE over HTTP) and records Close.
type statusConn struct {
	net.Conn
	once   sync.Once
	closed chan struct{}
	shut   sync.Once
}

func (c *statusConn) Read(b []byte) (int, error) {
	n, err := c.Conn.Read(b)
	if i := bytes.Index(b[:n], []byte("HTTP/1.1 200")); i >= 0 {
		c.once.Do(func() { b[i+9] = '5' })
	}
	return n, err
}

func (c *statusConn) Close() error {
	c.shut.Do(func() { close(c.closed) })
	return c.Conn.Close()
}

// TestNTLMAuthenticateRefusedClosesConn: an AUTHENTICATE answered neither
// 200 nor 401 fails the handshake, and its connection is closed, not leaked.
func TestNTLMAuthenticateRefusedClosesConn(t *testing.T) {
	t.Parallel()
	d := ntlmDeployment(t, lynctest.WinRMService{})
	ep := ntlmEndpoint(d, "fe01.contoso.com", false)
	conns := make(chan *statusConn, 8)
	ep.Dial = func(ctx context.Context, n, a string) (net.Conn, error) {
		c, err := d.DialContext(ctx, n, a)
		if err != nil {
			return nil, err
		}
		sc := &statusConn{Conn: c, closed: make(chan struct{})}
		conns <- sc
		return sc, nil
	}
	w := testRunner(t, ep)
	_, err := w.p.post(t.Context(), "Receive", receiveRequest(w))
	var pe *lync.ProtocolError
	if !errors.As(err, &pe) || !strings.Contains(err.Error(), "HTTP 500 to AUTHENTICATE") {
		t.Fatalf("err = %v, want the handshake's lync.ProtocolError", err)
	}
	if len(conns) != 1 {
		t.Fatalf("%d connections dialled, want 1", len(conns))
	}
	select {
	case <-(<-conns).closed:
	default:
		t.Fatal("the connection of the failed handshake was left open")
	}
}

// lateCancelConn cancels a context once it has read the end of the first
// sealed answer, and holds back the past deadline that cancellation sets
// until the next request was written on the connection: the worst order
// the context's AfterFunc may run in.
type lateCancelConn struct {
	net.Conn
	cancel  context.CancelFunc
	once    sync.Once
	written chan struct{}
	wrote   sync.Once
	armed   bool
}

func (c *lateCancelConn) Read(b []byte) (int, error) {
	n, err := c.Conn.Read(b)
	if bytes.Contains(b[:n], []byte("--Encrypted Boundary--\r\n")) {
		c.once.Do(func() { c.armed = true; c.cancel() })
	}
	return n, err
}

func (c *lateCancelConn) Write(b []byte) (int, error) {
	n, err := c.Conn.Write(b)
	if c.armed {
		c.wrote.Do(func() { close(c.written) })
	}
	return n, err
}

func (c *lateCancelConn) SetDeadline(t time.Time) error {
	if !t.IsZero() && t.Before(time.Now()) {
		select {
		case <-c.written:
		case <-time.After(time.Second):
		}
	}
	return c.Conn.SetDeadline(t)
}

// TestNTLMCancelAfterAnswer: a context that ends just as its answer was
// read does not leave a past deadline on a pooled connection, which would
// fail the next request with an i/o timeout.
func TestNTLMCancelAfterAnswer(t *testing.T) {
	t.Parallel()
	d := ntlmDeployment(t, lynctest.WinRMService{})
	ep := ntlmEndpoint(d, "fe01.contoso.com", false)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var dials int
	ep.Dial = func(dctx context.Context, n, a string) (net.Conn, error) {
		c, err := d.DialContext(dctx, n, a)
		if err != nil {
			return nil, err
		}
		dials++
		return &lateCancelConn{Conn: c, cancel: cancel, written: make(chan struct{})}, nil
	}
	w := testRunner(t, ep)
	_, _ = w.p.post(ctx, "Receive", receiveRequest(w))
	_, err := w.p.post(t.Context(), "Receive", receiveRequest(w))
	var f *WSManFault
	if !errors.As(err, &f) {
		t.Fatalf("the next request: err = %v, want the host's fault (dials %d)", err, dials)
	}
}
