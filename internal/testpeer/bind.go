package testpeer

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/miekg/dns"
)

// BINDKeyName is the name of the TSIG key StartBIND allows to update and
// transfer the zone.
const BINDKeyName = "xmpp-update."

// bindStartTimeout bounds how long StartBIND waits for named's first answer.
const bindStartTimeout = 15 * time.Second

// BIND is a running named serving one zone as primary on a loopback port.
type BIND struct {
	Addr      string // "127.0.0.1:port", UDP and TCP
	Zone      string // the zone, absolute ("example.test.")
	KeyName   string // TSIG key name (BINDKeyName)
	Algorithm string // dns.HmacSHA256
	Secret    string // base64 TSIG secret
	Dir       string // the temporary directory holding the config, zone and journal

	access      string   // the zone's update and transfer clauses; default: the key's
	options     string   // more named.conf options
	zoneOptions string   // more zone clause statements
	env         []string // named's environment; nil: this process's
	id          string   // named's server-id: what id.server CH TXT answers, to tell it from another named
	firstPort   int      // the port of the first try instead of a free one (tests of a port race)
}

// StartBIND starts named (Debian package bind9) with zoneText as the zone
// file of zone, a fresh HMAC-SHA256 TSIG key allowed to update and transfer
// it, and no other zones or recursion. It waits (at most 15 s) until named
// answers the zone's SOA and stops it when the test ends. It skips the test
// (or fails it, see Require) when named is not installed.
func StartBIND(t testing.TB, zone, zoneText string) *BIND {
	t.Helper()
	return StartBINDWith(t, zone, zoneText, BINDOptions{})
}

// BINDOptions adjusts what StartBINDWith configures.
type BINDOptions struct {
	// ZoneOptions are more statements for the zone clause, e.g.
	// "check-integrity no;" so that updates may add an MX or SRV whose
	// in-zone target has no address (libdnstest's fixtures do).
	ZoneOptions string
}

// StartBINDWith is StartBIND with options.
func StartBINDWith(t testing.TB, zone, zoneText string, o BINDOptions) *BIND {
	t.Helper()
	named := Require(t, "named", "bind9")
	b := newBIND(t, zone)
	b.zoneOptions = o.ZoneOptions
	return b.start(t, named, zoneText)
}

// newBIND returns the configuration of a server for zone with a fresh key.
func newBIND(t testing.TB, zone string) *BIND {
	t.Helper()
	secret := make([]byte, 32)
	if _, err := rand.Read(secret); err != nil {
		t.Fatal(err)
	}
	return &BIND{
		Zone: dns.Fqdn(strings.ToLower(zone)), KeyName: BINDKeyName, Algorithm: dns.HmacSHA256,
		Secret: base64.StdEncoding.EncodeToString(secret), Dir: t.TempDir(),
		id: fmt.Sprintf("testpeer-%x", secret[:8]),
	}
}

// start writes the files and starts named, on another port if one was taken.
func (b *BIND) start(t testing.TB, named, zoneText string) *BIND {
	t.Helper()
	var lastErr error
	for try := range 3 { // a port found free may be taken before named binds it
		port, err := freePort()
		if err != nil {
			t.Fatal(err)
		}
		if try == 0 && b.firstPort != 0 {
			port = b.firstPort
		}
		b.Addr = net.JoinHostPort("127.0.0.1", fmt.Sprint(port))
		if err := b.writeFiles(port, zoneText); err != nil {
			t.Fatal(err)
		}
		stop, err := b.run(named)
		if err == nil {
			t.Cleanup(stop)
			return b
		}
		lastErr = err
	}
	t.Fatalf("testpeer: named did not start: %v", lastErr)
	return nil
}

// writeFiles writes the key, the zone file and named.conf (REFERENCE.md §5).
func (b *BIND) writeFiles(port int, zoneText string) error {
	key := fmt.Sprintf("key %q {\n\talgorithm hmac-sha256;\n\tsecret %q;\n};\n", b.KeyName, b.Secret)
	zoneName := strings.TrimSuffix(b.Zone, ".")
	access := b.access
	if access == "" {
		access = fmt.Sprintf("allow-update { key %[1]q; };\n\tallow-transfer { key %[1]q; };", b.KeyName)
	}
	conf := fmt.Sprintf(`include "%[1]s/tsig.key";
options {
	directory "%[1]s";
	listen-on port %[2]d { 127.0.0.1; };
	listen-on-v6 { none; };
	pid-file none;
	session-keyfile none;
	server-id %[7]q;
	recursion no;
	dnssec-validation no;
%[5]s};
controls { };
zone "%[3]s" {
	type primary;
	file "%[3]s.zone";
	%[4]s
	%[6]s
};
`, b.Dir, port, zoneName, access, b.options, b.zoneOptions, b.id)
	files := map[string]string{"tsig.key": key, "named.conf": conf, zoneName + ".zone": zoneText}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(b.Dir, name), []byte(text), 0o600); err != nil {
			return err
		}
	}
	err := os.Remove(filepath.Join(b.Dir, zoneName+".zone.jnl")) // a journal from a failed try
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	return err
}

// String describes the server without its secret.
func (b *BIND) String() string {
	return fmt.Sprintf("BIND{Addr:%s Zone:%s KeyName:%s Algorithm:%s Secret:REDACTED}", b.Addr, b.Zone, b.KeyName, b.Algorithm)
}

// run starts named and waits for its first SOA answer; stop kills and reaps it.
// named runs in the foreground (-g, logging to stderr). No -u: named 9.18
// runs as root without dropping privileges, and as an ordinary user too,
// because the directory is the test's own.
func (b *BIND) run(named string) (stop func(), err error) {
	cmd := exec.Command(named, "-g", "-c", filepath.Join(b.Dir, "named.conf"))
	cmd.Env = b.env
	return startDaemon(cmd, bindStartTimeout, b.ready, "did not answer the SOA query")
}

// ready reports whether this named answers the zone's SOA over TCP and its
// own server-id over TCP and UDP. Another named can share the port (named
// sets SO_REUSEADDR on UDP; the first keeps the TCP listener) and answer the
// SOA of the same zone: an id.server answer that is not b.id is an error,
// so that start moves to another port instead of returning a server whose
// queries reach someone else.
func (b *BIND) ready() (bool, error) {
	m := new(dns.Msg)
	m.SetQuestion(b.Zone, dns.TypeSOA)
	c := &dns.Client{Net: "tcp", Timeout: 200 * time.Millisecond}
	r, _, err := c.Exchange(m, b.Addr)
	if err != nil || r.Rcode != dns.RcodeSuccess || len(r.Answer) != 1 {
		return false, nil
	}
	for _, network := range []string{"tcp", "udp"} {
		q := new(dns.Msg)
		q.SetQuestion("id.server.", dns.TypeTXT)
		q.Question[0].Qclass = dns.ClassCHAOS
		r, _, err := (&dns.Client{Net: network, Timeout: 200 * time.Millisecond}).Exchange(q, b.Addr)
		if err != nil {
			return false, nil // not up yet (or a lost datagram): ask again
		}
		id := ""
		if len(r.Answer) == 1 {
			if txt, ok := r.Answer[0].(*dns.TXT); ok && len(txt.Txt) == 1 {
				id = txt.Txt[0]
			}
		}
		if id != b.id {
			return false, fmt.Errorf("%w: %s over %s is another server (id.server %q)", errPortShared, b.Addr, network, id)
		}
	}
	return true, nil
}

// errPortShared reports that another server answers on the port named was
// given.
var errPortShared = errors.New("port taken by another server")

// Serial returns the zone's SOA serial: BIND adds one per UPDATE that
// changes the zone, so tests count UPDATEs with it.
func (b *BIND) Serial(t testing.TB) uint32 {
	t.Helper()
	m := new(dns.Msg)
	m.SetQuestion(b.Zone, dns.TypeSOA)
	r, _, err := (&dns.Client{Net: "tcp", Timeout: 2 * time.Second}).Exchange(m, b.Addr)
	if err != nil || len(r.Answer) != 1 {
		t.Fatalf("testpeer: SOA of %s: %v %v", b.Zone, err, r)
	}
	return r.Answer[0].(*dns.SOA).Serial
}

// freePort returns a loopback port that was free for both UDP and TCP.
func freePort() (int, error) {
	for range 20 {
		pc, err := net.ListenPacket("udp", "127.0.0.1:0")
		if err != nil {
			return 0, err
		}
		port := pc.LocalAddr().(*net.UDPAddr).Port
		ln, err := net.Listen("tcp", pc.LocalAddr().String())
		pc.Close()
		if err == nil {
			ln.Close()
			return port, nil
		}
	}
	return 0, errors.New("testpeer: no loopback port free for both UDP and TCP")
}

// syncWriter collects named's output from its goroutines.
type syncWriter struct {
	mu sync.Mutex
	w  *bytes.Buffer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

func (s *syncWriter) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.String()
}
