package labfiles

import (
	"strings"
	"testing"

	"github.com/xmppfed/edgefailover/failover/failovertest"
)

// Packets counts what reached the lab: WS-Man requests (401s included),
// DNS messages on every name server, and connections to the XMPP
// listeners. A program refusing bad input must leave it unchanged.
func Packets(lab *failovertest.Lab) int {
	c := lab.Deployment().Counters()
	n := c.Total() + c.Unauthorized
	for _, s := range lab.DNS().Servers() {
		n += len(s.Log())
	}
	for _, p := range lab.Pools() {
		n += int(p.Listener.Stats().Connections)
	}
	return n
}

// Sent runs f and returns how many packets (see Packets) reached lab
// meanwhile.
func Sent(lab *failovertest.Lab, f func()) int {
	before := Packets(lab)
	f()
	return Packets(lab) - before
}

// Start is failovertest.Start plus Write into a temporary directory of t:
// a lab for a program's test, with the files examples/lab would write.
func Start(t testing.TB, opts failovertest.Options) (*failovertest.Lab, *Files) {
	t.Helper()
	lab := failovertest.Start(t, opts)
	files, err := Write(t.TempDir(), lab.Endpoints())
	if err != nil {
		t.Fatal(err)
	}
	return lab, files
}

// Refused runs a program through run, which returns its exit code and
// what it wrote, and fails t unless it exited 2, said want, and sent
// nothing to lab: what every bad input must do.
func Refused(t testing.TB, lab *failovertest.Lab, name, want string, run func() (int, string)) {
	t.Helper()
	var code int
	var out string
	if sent := Sent(lab, func() { code, out = run() }); sent != 0 {
		t.Errorf("%s: %d packets reached the lab", name, sent)
	}
	if code != 2 || !strings.Contains(out, want) {
		t.Errorf("%s: exit %d, want 2 and %q in:\n%s", name, code, want, out)
	}
}
