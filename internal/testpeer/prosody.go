package testpeer

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// prosodyStartTimeout bounds how long StartProsody waits for the s2s port.
const prosodyStartTimeout = 15 * time.Second

// Prosody is a running Prosody serving one domain, server-to-server on a
// loopback port.
type Prosody struct {
	Domain   string            // the VirtualHost, e.g. "peer.test"
	S2SAddr  string            // "127.0.0.1:port" of s2s (plain, STARTTLS offered)
	C2SAddr  string            // "127.0.0.1:port" given to c2s_ports (module c2s disabled)
	CertPool *x509.CertPool    // holds the self-signed certificate of Domain
	Cert     *x509.Certificate // that certificate
	Dir      string            // the temporary directory of config, certificate and data
	log      *syncWriter
}

// Log returns what Prosody has printed so far (log level info, on the console).
func (p *Prosody) Log() string { return p.log.String() }

// StartProsody starts Prosody (Debian package prosody, 0.12) in the
// foreground with the minimal configuration of REFERENCE.md §5: one
// VirtualHost domain with a fresh self-signed ECDSA certificate for it,
// dialback and STARTTLS offered but not required, s2s_secure_auth off. It
// waits (at most 15 s) until the s2s port accepts and stops Prosody when the
// test ends. It skips the test (or fails it, see Require) when prosody is not
// installed.
func StartProsody(t testing.TB, domain string) *Prosody {
	t.Helper()
	prosody := Require(t, "prosody", "prosody")
	p := &Prosody{Domain: domain, Dir: t.TempDir(), log: &syncWriter{w: &bytes.Buffer{}}}
	if err := p.writeCert(); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(p.Dir, "data"), 0o700); err != nil {
		t.Fatal(err)
	}
	var lastErr error
	for range 3 { // a port found free may be taken before prosody binds it
		s2s, err1 := freePort()
		c2s, err2 := freePort()
		if err := errors.Join(err1, err2); err != nil {
			t.Fatal(err)
		}
		p.S2SAddr = net.JoinHostPort("127.0.0.1", fmt.Sprint(s2s))
		p.C2SAddr = net.JoinHostPort("127.0.0.1", fmt.Sprint(c2s))
		cfg := filepath.Join(p.Dir, "prosody.cfg.lua")
		if err := os.WriteFile(cfg, []byte(p.config(s2s, c2s)), 0o600); err != nil {
			t.Fatal(err)
		}
		stop, err := p.run(prosody, cfg)
		if err == nil {
			t.Cleanup(stop)
			return p
		}
		lastErr = err
	}
	t.Fatalf("testpeer: prosody did not start: %v", lastErr)
	return nil
}

// config is REFERENCE.md §5's configuration. run_as_root is set only when
// running as root: Prosody refuses to run as root without it.
func (p *Prosody) config(s2s, c2s int) string {
	root := ""
	if os.Geteuid() == 0 {
		root = "run_as_root = true\n"
	}
	return fmt.Sprintf(`%[1]spidfile = "%[2]s/prosody.pid"
data_path = "%[2]s/data"
certificates = "%[2]s"
modules_enabled = { "tls"; "dialback"; "disco"; "ping"; }
modules_disabled = { "c2s"; "posix"; }
interfaces = { "127.0.0.1" }
s2s_ports = { %[3]d }
c2s_ports = { %[4]d }
http_ports = {}
https_ports = {}
s2s_secure_auth = false
s2s_require_encryption = false
log = { info = "*console" }
VirtualHost %[5]q
    ssl = { certificate = "%[2]s/%[6]s.crt"; key = "%[2]s/%[6]s.key" }
`, root, p.Dir, s2s, c2s, p.Domain, p.Domain)
}

// writeCert writes a self-signed ECDSA P-256 certificate for the domain
// (subjectAltName DNS:domain) and its key as PEM.
func (p *Prosody) writeCert() error {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return err
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(now.UnixNano()),
		Subject:               pkix.Name{CommonName: p.Domain},
		DNSNames:              []string{p.Domain},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
		BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return err
	}
	if p.Cert, err = x509.ParseCertificate(der); err != nil {
		return err
	}
	p.CertPool = x509.NewCertPool()
	p.CertPool.AddCert(p.Cert)
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return err
	}
	crt := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	kp := pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER})
	if err := os.WriteFile(filepath.Join(p.Dir, p.Domain+".crt"), crt, 0o600); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(p.Dir, p.Domain+".key"), kp, 0o600)
}

// run starts prosody -F and waits until the s2s port accepts; stop ends it
// with SIGTERM (SIGKILL after 5 s) and reaps it.
func (p *Prosody) run(prosody, cfg string) (stop func(), err error) {
	cmd := exec.Command(prosody, "-F", "--config", cfg)
	cmd.Dir = p.Dir
	cmd.Stdout, cmd.Stderr = p.log, p.log
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	stop = func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(5 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
		}
	}
	deadline := time.Now().Add(prosodyStartTimeout)
	for time.Now().Before(deadline) {
		select {
		case err := <-exited:
			exited <- err
			return nil, fmt.Errorf("prosody exited (%v): %s", err, p.log.String())
		default:
		}
		if c, err := net.DialTimeout("tcp", p.S2SAddr, 200*time.Millisecond); err == nil {
			c.Close()
			return stop, nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	stop()
	return nil, errors.New("prosody's s2s port did not accept in time: " + p.log.String())
}
