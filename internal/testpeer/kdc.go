package testpeer

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// kdcStartTimeout bounds how long StartKDC waits for krb5kdc to listen.
const kdcStartTimeout = 15 * time.Second

// KDC is a running MIT Kerberos KDC (Debian package krb5-kdc) serving one
// realm on a loopback port, with its database in a temporary directory.
type KDC struct {
	Addr     string // "127.0.0.1:port", UDP and TCP
	Realm    string // "EXAMPLE.TEST"
	Krb5Conf string // a krb5.conf naming only this KDC, for MIT tools and named
	Dir      string
	kadmin   string
	env      []string
}

// StartKDC creates a realm database (kdb5_util), starts krb5kdc in the
// foreground on a loopback port and stops it when the test ends. Its keys are
// aes256-cts-hmac-sha1-96 and aes128-cts-hmac-sha1-96, as MIT and AD issue
// by default, and aes256-cts-hmac-sha384-192 (RFC 8009) for clients that
// ask for it. It skips the test (or fails it, see Require) when the MIT
// tools are not installed.
func StartKDC(t testing.TB, realm string) *KDC {
	t.Helper()
	kdc := Require(t, "krb5kdc", "krb5-kdc")
	kdbUtil := Require(t, "kdb5_util", "krb5-kdc")
	kadmin := Require(t, "kadmin.local", "krb5-admin-server")
	k := &KDC{Realm: realm, Dir: t.TempDir(), kadmin: kadmin}
	var lastErr error
	for range 3 { // a port found free may be taken before krb5kdc binds it
		port, err := freePort()
		if err != nil {
			t.Fatal(err)
		}
		k.Addr = net.JoinHostPort("127.0.0.1", fmt.Sprint(port))
		if err := k.writeFiles(port); err != nil {
			t.Fatal(err)
		}
		if out, err := k.command(kdbUtil, "create", "-s", "-r", realm, "-P", "master-password-of-a-test-realm").CombinedOutput(); err != nil {
			t.Fatalf("testpeer: kdb5_util create: %v: %s", err, out)
		}
		stop, err := k.run(kdc)
		if err == nil {
			t.Cleanup(stop)
			return k
		}
		lastErr = err
		_ = os.RemoveAll(filepath.Join(k.Dir, "db"))
	}
	t.Fatalf("testpeer: krb5kdc did not start: %v", lastErr)
	return nil
}

// writeFiles writes kdc.conf and krb5.conf for port.
func (k *KDC) writeFiles(port int) error {
	if err := os.MkdirAll(filepath.Join(k.Dir, "db"), 0o700); err != nil {
		return err
	}
	kdcConf := fmt.Sprintf(`[kdcdefaults]
 kdc_listen = 127.0.0.1:%[1]d
 kdc_tcp_listen = 127.0.0.1:%[1]d
[realms]
 %[2]s = {
  database_name = %[3]s/db/principal
  key_stash_file = %[3]s/db/stash
  acl_file = %[3]s/kadm5.acl
  max_life = 10h
  supported_enctypes = aes256-cts-hmac-sha1-96:normal aes128-cts-hmac-sha1-96:normal aes256-cts-hmac-sha384-192:normal
 }
[logging]
 kdc = STDERR
`, port, k.Realm, k.Dir)
	k.Krb5Conf = filepath.Join(k.Dir, "krb5.conf")
	krb5Conf := fmt.Sprintf(`[libdefaults]
 default_realm = %[1]s
 dns_lookup_kdc = false
 dns_lookup_realm = false
 rdns = false
 udp_preference_limit = 1
[realms]
 %[1]s = {
  kdc = 127.0.0.1:%[2]d
 }
`, k.Realm, port)
	files := map[string]string{"kdc.conf": kdcConf, "krb5.conf": krb5Conf, "kadm5.acl": ""}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(k.Dir, name), []byte(text), 0o600); err != nil {
			return err
		}
	}
	k.env = append(os.Environ(), "KRB5_CONFIG="+k.Krb5Conf, "KRB5_KDC_PROFILE="+filepath.Join(k.Dir, "kdc.conf"),
		"KRB5CCNAME=FILE:"+filepath.Join(k.Dir, "ccache-unused"), "KRB5RCACHETYPE=none")
	return nil
}

// Env returns the environment MIT tools and named need to use this realm
// (KRB5_CONFIG, no replay cache).
func (k *KDC) Env() []string { return k.env }

func (k *KDC) command(name string, args ...string) *exec.Cmd {
	cmd := exec.Command(name, args...)
	cmd.Env = k.env
	cmd.Dir = k.Dir
	return cmd
}

// run starts krb5kdc -n and waits until it accepts TCP connections.
func (k *KDC) run(kdc string) (stop func(), err error) {
	listening := func() (bool, error) {
		c, err := net.DialTimeout("tcp", k.Addr, 200*time.Millisecond)
		if err == nil {
			c.Close()
		}
		return err == nil, nil
	}
	return startDaemon(k.command(kdc, "-n", "-r", k.Realm), kdcStartTimeout, listening, "did not listen")
}

// kadminQuery runs one kadmin.local query.
func (k *KDC) kadminQuery(t testing.TB, query string) {
	t.Helper()
	if out, err := k.command(k.kadmin, "-r", k.Realm, "-q", query).CombinedOutput(); err != nil || bytes.Contains(out, []byte("rror")) {
		t.Fatalf("testpeer: kadmin.local -q %q: %v: %s", query, err, out)
	}
}

// AddUser creates the principal name@Realm with a password.
func (k *KDC) AddUser(t testing.TB, name, password string) {
	t.Helper()
	k.kadminQuery(t, fmt.Sprintf("addprinc -pw %q %s", password, name))
}

// AddService creates the principal name@Realm (e.g. "DNS/ns1.example.test")
// with a random key and returns the path of a keytab holding it.
func (k *KDC) AddService(t testing.TB, name string) string {
	t.Helper()
	k.kadminQuery(t, "addprinc -randkey "+name)
	return k.Keytab(t, name)
}

// Keytab exports name's keys to a new keytab and returns its path. The
// principal's keys are randomized again (ktadd), so a password set earlier
// no longer works: use it for principals that log in with a keytab only.
func (k *KDC) Keytab(t testing.TB, name string) string {
	t.Helper()
	path := filepath.Join(k.Dir, strings.NewReplacer("/", "_", "@", "_").Replace(name)+".keytab")
	k.kadminQuery(t, fmt.Sprintf("ktadd -k %s %s", path, name))
	return path
}

// Kinit logs name in with password into a new credential cache (kinit,
// Debian package krb5-user) and returns the cache's path.
func (k *KDC) Kinit(t testing.TB, name, password string) string {
	t.Helper()
	kinit := Require(t, "kinit", "krb5-user")
	path := filepath.Join(k.Dir, "ccache-"+strings.ReplaceAll(name, "/", "_"))
	cmd := k.command(kinit, "-c", "FILE:"+path, name+"@"+k.Realm)
	cmd.Stdin = strings.NewReader(password + "\n")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("testpeer: kinit %s: %v: %s", name, err, out)
	}
	return path
}
