package rfc2136_test

import (
	"context"
	"os/exec"
	"testing"
	"time"

	"github.com/xmppfed/edgefailover/internal/testpeer"
)

// TestLibdnstest runs libdns's conformance suite (the test-only module in
// ./conformance, which requires libdns v1.2.0-alpha.1 while this module
// stays on v1.1) so that `go test ./...` covers it. It needs the go command
// and the modules in the module cache or from the proxy.
func TestLibdnstest(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go test in ./conformance")
	}
	goCmd, err := exec.LookPath("go")
	if err != nil {
		testpeer.Missing(t, "the go command is not on PATH: "+err.Error())
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, goCmd, "test", "-count=1", "-v", "./...")
	cmd.Dir = "conformance"
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go test in ./conformance: %v\n%s", err, out)
	}
	t.Logf("%s", out)
}
