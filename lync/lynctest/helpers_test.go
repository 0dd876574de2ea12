package lynctest_test

import (
	"bufio"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/masterzen/winrm"
	"github.com/masterzen/winrm/soap"
	"github.com/xmppfed/edgefailover/lync/lynctest"
)

// testConfig is a two-site deployment: a Front End and an Edge pool per site.
// It is lynctest.TwoSites plus a third Edge pool without XMPP in Site2.
func testConfig() lynctest.Config {
	cfg := lynctest.TwoSites(lynctest.TwoSitesOptions{})
	cfg.Product = lynctest.SfB2015
	cfg.Pools = append(cfg.Pools, lynctest.Pool{FQDN: "edgepool3.contoso.com", Site: lynctest.Site2, Role: lynctest.Edge, XMPPDisabled: true,
		Servers: []lynctest.Server{{FQDN: "edge04.contoso.com"}}})
	cfg.ManagementHost = "admin.contoso.com"
	cfg.MaxOperationTimeout = 200 * time.Millisecond
	return cfg
}

func start(t testing.TB, cfg lynctest.Config) *lynctest.Deployment {
	t.Helper()
	d, err := lynctest.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(d.Close)
	return d
}

func frame(marker, script string) string {
	b := base64.StdEncoding.EncodeToString([]byte(script))
	return strings.Replace(strings.Replace(frameTemplate, "<M>", marker, 1), "<B>", b, 1)
}

// client returns a real masterzen/winrm client for host over HTTP (or HTTPS)
// through the deployment's dialer.
func client(t testing.TB, d *lynctest.Deployment, host string, https bool, password string) *winrm.Client {
	t.Helper()
	return clientWithTimeout(t, d, host, https, password, 5*time.Second)
}

// clientAs is a plain-HTTP client of host with other credentials.
func clientAs(t testing.TB, d *lynctest.Deployment, host, user, password string) *winrm.Client {
	t.Helper()
	return newClient(t, d, host, false, user, password, 5*time.Second)
}

// clientWithTimeout sets the client's response header timeout.
func clientWithTimeout(t testing.TB, d *lynctest.Deployment, host string, https bool, password string, timeout time.Duration) *winrm.Client {
	t.Helper()
	user, pass := d.Credentials()
	if password != "" {
		pass = password
	}
	return newClient(t, d, host, https, user, pass, timeout)
}

// newClient is the real masterzen/winrm client as a default Windows host
// takes it: NTLM with message encryption over HTTP (masterzen's own
// Encryption, which dials the listener's loopback address itself: it
// ignores Parameters.Dial), NTLM over HTTPS through the deployment's dialer.
// Both transports are serialized: see serialized.
func newClient(t testing.TB, d *lynctest.Deployment, host string, https bool, user, pass string, timeout time.Duration) *winrm.Client {
	t.Helper()
	params := *winrm.DefaultParameters
	params.Timeout = "PT60S"
	dial := func(network, addr string) (net.Conn, error) {
		return d.DialContext(context.Background(), network, addr)
	}
	var ep *winrm.Endpoint
	if https {
		ep = &winrm.Endpoint{Host: host, Port: lynctest.HTTPSPort, HTTPS: true, CACert: d.CACertPEM(), Timeout: timeout}
		params.TransportDecorator = func() winrm.Transporter {
			return &serialized{Transporter: winrm.NewClientNTLMWithDial(dial)}
		}
	} else {
		h := d.Host(host)
		if h == nil {
			t.Fatalf("no host %s", host)
		}
		ip, port, _ := net.SplitHostPort(h.Addr())
		n, _ := strconv.Atoi(port)
		ep = &winrm.Endpoint{Host: ip, Port: n, Timeout: timeout}
		params.TransportDecorator = func() winrm.Transporter {
			enc, err := winrm.NewEncryption("ntlm")
			if err != nil {
				panic(err)
			}
			return &serialized{Transporter: enc}
		}
	}
	c, err := winrm.NewClientWithParameters(ep, user, pass, &params)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// serialized runs one Post at a time. Over HTTP, masterzen/winrm's
// Encryption keeps the NTLM context of the post in flight in the
// Transporter itself, so a Send during a Receive long poll would sign with
// the other post's keys. Over HTTPS, ClientNTLM (Azure/go-ntlmssp's
// Negotiator on a pooled http.Transport) sends the anonymous try, the
// NEGOTIATE and the AUTHENTICATE of a login as three round trips, each on
// whatever pooled connection is free: with a Send and a Receive in flight
// at once, the AUTHENTICATE can land on a connection that never got its
// CHALLENGE, and a host (Windows, and lynctest: TestNTLMBoundToConnection)
// answers 401, which ends the command's output streams ("stdout closed
// before the result"). One post at a time keeps a login on one connection.
type serialized struct {
	mu sync.Mutex
	winrm.Transporter
}

// Over HTTP a Post is itself two requests: Encryption logs in with an empty
// POST, then sends the sealed one, and relies on net/http to send both on
// one connection. The Transport puts a connection back in its idle pool
// from its read loop, after the first response's body is closed, so on a
// loaded machine the sealed POST can go out on a new connection, which a
// host (Windows as well) answers with a 401 and no body; Encryption does
// not look at the status and returns "". A WinRM answer is never empty, and
// a 401 means the host did nothing, so such a Post is sent once more.
// (Seen once in a full -race run with a load of 12 on two cores:
// TestCommandLines, "parsing xml response: EOF".)
func (s *serialized) Post(c *winrm.Client, m *soap.SoapMessage) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out, err := s.Transporter.Post(c, m)
	if _, enc := s.Transporter.(*winrm.Encryption); enc && err == nil && out == "" {
		out, err = s.Transporter.Post(c, m)
	}
	return out, err
}

// result is a decoded frame result line.
type result struct {
	Kind  string // "ok" or "err"
	JSON  string
	Error struct {
		Type, Message, FullyQualifiedErrorId, Category, Cmdlet string
	}
}

// findFrame finds the result line of marker in stdout.
func findFrame(t testing.TB, stdout, marker string) (result, bool) {
	t.Helper()
	for _, line := range strings.Split(stdout, "\n") {
		line = strings.TrimRight(line, "\r")
		rest, ok := strings.CutPrefix(line, marker+":")
		if !ok {
			continue
		}
		kind, payload, _ := strings.Cut(rest, ":")
		raw, err := base64.StdEncoding.DecodeString(payload)
		if err != nil {
			t.Fatalf("frame payload: %v", err)
		}
		r := result{Kind: kind, JSON: string(raw)}
		if kind == "err" {
			if err := json.Unmarshal(raw, &r.Error); err != nil {
				t.Fatalf("error record %s: %v", raw, err)
			}
		}
		return r, true
	}
	return result{}, false
}

// session is a persistent `powershell.exe -Command -` on one host.
type session struct {
	t      testing.TB
	cmd    *winrm.Command
	shell  *winrm.Shell
	lines  chan string
	stderr *strings.Builder
	seq    int
}

func openSession(t testing.TB, c *winrm.Client) *session {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	sh, err := c.CreateShell()
	if err != nil {
		t.Fatal(err)
	}
	cmd, err := sh.ExecuteWithContext(ctx, "powershell.exe -NoProfile -NonInteractive -Command -")
	if err != nil {
		t.Fatal(err)
	}
	s := &session{t: t, cmd: cmd, shell: sh, lines: make(chan string, 100), stderr: &strings.Builder{}}
	go func() {
		sc := bufio.NewScanner(cmd.Stdout)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			s.lines <- sc.Text()
		}
		close(s.lines)
	}()
	go func() { _, _ = io.Copy(io.Discard, cmd.Stderr) }()
	t.Cleanup(func() {
		_ = cmd.Stdin.Close()
		cmd.Wait()
		_ = sh.Close()
	})
	return s
}

// run sends one framed script and waits for its result line.
func (s *session) run(script string) result {
	s.t.Helper()
	s.seq++
	marker := fmt.Sprintf("EF0123456789abcdef0123456789abcdef-%d", s.seq)
	if _, err := s.cmd.Stdin.Write([]byte(frame(marker, script) + "\r\n")); err != nil {
		s.t.Fatal(err)
	}
	timeout := time.After(20 * time.Second)
	for {
		select {
		case line, ok := <-s.lines:
			if !ok {
				s.t.Fatalf("stdout closed before the result of %q", script)
			}
			if r, ok := findFrame(s.t, line, marker); ok {
				return r
			}
		case <-timeout:
			s.t.Fatalf("no result for %q", script)
		}
	}
}
