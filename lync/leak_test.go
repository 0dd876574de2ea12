package lync_test

import (
	"runtime"
	"strings"
	"testing"
	"time"
)

// clientFrames mark a goroutine of the client side: this package (not its
// tests, whose goroutines run testing.tRunner), masterzen/winrm, or an HTTP
// client connection. lynctest's
// goroutines (the fake host) end with its deployment, not with a client.
var clientFrames = []string{"edgefailover/lync.", "github.com/masterzen/winrm", "net/http.(*persistConn)"}

// clientGoroutines returns the stacks of the client goroutines alive now.
func clientGoroutines() []string {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	var out []string
	for _, g := range strings.Split(string(buf), "\n\n") {
		if strings.Contains(g, "testing.tRunner(") {
			continue // a test, in this package's internal tests too
		}
		for _, f := range clientFrames {
			if strings.Contains(g, f) {
				out = append(out, g)
				break
			}
		}
	}
	return out
}

// checkNoClientGoroutines fails t if client goroutines are still alive
// after a grace period. Only for tests that do not run in parallel (the
// parallel ones start after every sequential test ended).
func checkNoClientGoroutines(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	left := clientGoroutines()
	for len(left) > 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
		left = clientGoroutines()
	}
	if len(left) > 0 {
		t.Errorf("%d client goroutines left:\n%s", len(left), strings.Join(left, "\n\n"))
	}
}
