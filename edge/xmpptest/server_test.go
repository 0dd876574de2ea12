package xmpptest_test

import (
	"bufio"
	"crypto/tls"
	"encoding/xml"
	"errors"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xmppfed/edgefailover/edge/xmpptest"
)

const header = "<?xml version='1.0'?><stream:stream xmlns='jabber:server' " +
	"xmlns:stream='http://etherx.jabber.org/streams' xmlns:db='jabber:server:dialback' " +
	"from='probe.example' to='%s' version='1.0'>"

func newServer(t *testing.T, cfg xmpptest.Config) *xmpptest.Server {
	t.Helper()
	s, err := xmpptest.NewServer(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// exchange sends msg and returns the top-level element names the server
// answers with (the header's children), read until the stream ends or the
// server stops sending.
func exchange(t *testing.T, addr, msg string) []string {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.WriteString(c, msg); err != nil {
		t.Fatal(err)
	}
	return elements(t, xml.NewDecoder(bufio.NewReader(c)))
}

func elements(t *testing.T, dec *xml.Decoder) []string {
	t.Helper()
	var got []string
	depth := 0
	for {
		tok, err := dec.Token()
		if err != nil {
			return got
		}
		switch tk := tok.(type) {
		case xml.StartElement:
			depth++
			if depth <= 3 {
				got = append(got, strings.Repeat(">", depth-1)+tk.Name.Local)
			}
		case xml.EndElement:
			depth--
			if depth == 1 && tk.Name.Local == "features" {
				return got
			}
		}
	}
}

func TestServerAnswers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		cfg  xmpptest.Config
		msg  string
		want string
	}{
		{"features", xmpptest.Config{Domains: []string{"contoso.com"}}, header,
			"stream >features >>starttls >>dialback"},
		{"required", xmpptest.Config{Domains: []string{"contoso.com"}, TLS: xmpptest.TLSRequired, NoDialback: true}, header,
			"stream >features >>starttls"},
		{"no tls", xmpptest.Config{Domains: []string{"contoso.com"}, TLS: xmpptest.TLSNone}, header,
			"stream >features >>dialback"},
		{"host-unknown", xmpptest.Config{Domains: []string{"fabrikam.com"}}, header,
			"stream >error >>host-unknown >>text"},
		{"forced host-unknown", xmpptest.Config{Domains: []string{"contoso.com"}, Fault: xmpptest.FaultHostUnknown}, header,
			"stream >error >>host-unknown >>text"},
		{"not-well-formed", xmpptest.Config{Domains: []string{"contoso.com"}}, "garbage<<<>>",
			"stream >error >>not-well-formed"},
		{"bad XML declaration", xmpptest.Config{Domains: []string{"contoso.com"}}, "<?xml version='0'?><x/>",
			"stream >error >>not-well-formed"},
		{"invalid-namespace", xmpptest.Config{Domains: []string{"contoso.com"}}, "<hello/>",
			"stream >error >>invalid-namespace"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newServer(t, tt.cfg)
			got := strings.Join(exchange(t, s.Addr(), strings.Replace(tt.msg, "%s", "contoso.com", 1)), " ")
			if got != tt.want {
				t.Errorf("answer = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestServerStartTLS(t *testing.T) {
	t.Parallel()
	s := newServer(t, xmpptest.Config{Domains: []string{"contoso.com"}, CertNames: []string{"xmpp.contoso.com", "contoso.com"}})
	c, err := net.DialTimeout("tcp", s.Addr(), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(5 * time.Second))
	_, _ = io.WriteString(c, strings.Replace(header, "%s", "contoso.com", 1))
	if got := strings.Join(elements(t, xml.NewDecoder(c)), " "); got != "stream >features >>starttls >>dialback" {
		t.Fatalf("features = %q", got)
	}
	_, _ = io.WriteString(c, "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>")
	buf := make([]byte, len("<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>"))
	if _, err := io.ReadFull(c, buf); err != nil || !strings.HasPrefix(string(buf), "<proceed") {
		t.Fatalf("proceed: %q %v", buf, err)
	}
	tc := tls.Client(c, &tls.Config{RootCAs: s.CertPool(), ServerName: "contoso.com"})
	if err := tc.Handshake(); err != nil {
		t.Fatal(err)
	}
	if got := tc.ConnectionState().PeerCertificates[0].DNSNames; strings.Join(got, ",") != "xmpp.contoso.com,contoso.com" {
		t.Errorf("DNS names = %v", got)
	}
	_, _ = io.WriteString(tc, strings.Replace(header, "%s", "contoso.com", 1))
	if got := strings.Join(elements(t, xml.NewDecoder(tc)), " "); got != "stream >features >>dialback" {
		t.Errorf("features after TLS = %q", got)
	}
	if st := s.Stats(); st.TLSHandshakes != 1 || st.Streams != 2 {
		t.Errorf("stats = %+v", st)
	}
}

func TestServerStopStartSameAddress(t *testing.T) {
	t.Parallel()
	s := newServer(t, xmpptest.Config{Domains: []string{"contoso.com"}, Fault: xmpptest.FaultSilence})
	addr := s.Addr()
	held, err := net.Dial("tcp", addr) // a live connection Stop must close
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	// Dial returns once the kernel has queued the connection; wait until
	// the server has accepted it, or Stop would drop it from the backlog
	// uncounted.
	for deadline := time.Now().Add(5 * time.Second); s.Stats().Active == 0; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the server did not accept the held connection: %+v", s.Stats())
		}
	}
	for i := 0; i < 3; i++ {
		s.Stop()
		if s.Running() {
			t.Fatal("running after Stop")
		}
		if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
			c.Close()
			t.Fatalf("cycle %d: dial succeeded while stopped", i)
		}
		if err := s.Start(); err != nil {
			t.Fatalf("cycle %d: %v", i, err)
		}
		if s.Addr() != addr {
			t.Fatalf("address changed: %s -> %s", addr, s.Addr())
		}
	}
	_ = held.SetReadDeadline(time.Now().Add(5 * time.Second))
	var ne net.Error
	if _, err := held.Read(make([]byte, 1)); err == nil || (errors.As(err, &ne) && ne.Timeout()) {
		t.Errorf("held connection still open after Stop: %v", err)
	}
	s.SetFault(xmpptest.FaultNone)
	if got := exchange(t, addr, strings.Replace(header, "%s", "contoso.com", 1)); len(got) < 2 {
		t.Errorf("after restart: %v", got)
	}
	if err := s.Start(); !errors.Is(err, xmpptest.ErrRunning) {
		t.Errorf("second Start = %v, want ErrRunning", err)
	}
	s.Close()
	if err := s.Start(); !errors.Is(err, xmpptest.ErrClosed) {
		t.Errorf("Start after Close = %v, want ErrClosed", err)
	}
	if st := s.Stats(); st.Connections != 2 || st.Active != 0 {
		t.Errorf("stats = %+v", st)
	}
}

func TestServerConcurrentStats(t *testing.T) {
	t.Parallel()
	s := newServer(t, xmpptest.Config{Domains: []string{"contoso.com"}})
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			exchange(t, s.Addr(), strings.Replace(header, "%s", "contoso.com", 1))
		}()
	}
	wg.Wait()
	if st := s.Stats(); st.Connections != 8 || st.Streams != 8 {
		t.Errorf("stats = %+v", st)
	}
}

func TestNewServerRejectsBadConfig(t *testing.T) {
	t.Parallel()
	for _, cfg := range []xmpptest.Config{{}, {Domains: []string{"a'b"}}, {Domains: []string{"a.b"}, Fault: 99}} {
		if _, err := xmpptest.NewServer(cfg); !errors.Is(err, xmpptest.ErrConfig) {
			t.Errorf("NewServer(%+v) = %v, want ErrConfig", cfg, err)
		}
	}
}
