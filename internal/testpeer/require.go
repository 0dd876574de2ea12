package testpeer

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// RequireEnv is the environment variable that turns a missing peer from a skip
// into a failure.
const RequireEnv = "EDGEFAILOVER_REQUIRE_PEERS"

// Required reports whether missing peers must fail the tests.
func Required() bool { return os.Getenv(RequireEnv) == "1" }

// sbinDirs are searched after $PATH: Debian installs daemons such as named in
// /usr/sbin, which is not on an ordinary user's $PATH.
var sbinDirs = []string{"/usr/sbin", "/sbin", "/usr/local/sbin"}

// LookPath finds the program name on $PATH or in the sbin directories.
func LookPath(name string) (string, error) {
	if p, err := exec.LookPath(name); err == nil {
		return p, nil
	}
	for _, d := range sbinDirs {
		p := filepath.Join(d, name)
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0 {
			return p, nil
		}
	}
	return "", &exec.Error{Name: name, Err: exec.ErrNotFound}
}

// Require returns the path of program, or ends the test: with t.Skip and a
// message naming the Debian package when peers are optional, with t.Fatal when
// EDGEFAILOVER_REQUIRE_PEERS=1.
func Require(t testing.TB, program, debianPackage string) string {
	t.Helper()
	p, err := LookPath(program)
	if err == nil {
		return p
	}
	Missing(t, program+" not found (install the Debian package "+debianPackage+": apt-get install -y "+debianPackage+")")
	return ""
}

// Missing ends the test because a peer is unavailable for the given reason:
// a skip, or a failure when peers are required.
func Missing(t testing.TB, reason string) {
	t.Helper()
	if Required() {
		t.Fatalf("real peer required (%s=1) but unavailable: %s", RequireEnv, reason)
	}
	t.Skipf("skipping real-peer test: %s; set %s=1 to make this a failure", reason, RequireEnv)
}
