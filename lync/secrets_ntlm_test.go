package lync_test

import (
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/xmppfed/edgefailover/lync"
	"github.com/xmppfed/edgefailover/lync/lynctest"
	"github.com/xmppfed/edgefailover/lync/winrm"
)

// TestNTLMSecretsStayOut: at debug level, through a whole NTLM session
// sealed over HTTP and a refused login, the password shows in no log line,
// error or %v.
func TestNTLMSecretsStayOut(t *testing.T) {
	t.Parallel()
	d := newDeployment(t, topology(lynctest.SfB2015, ""))
	var logs lockedBuffer
	log := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	ep := endpoint(d, feHost, false) // NTLM over HTTP, sealed
	_, pass := d.Credentials()
	w := newRunner(t, ep, winrm.Options{Logger: log})
	if _, err := lync.NewClient(w, lync.ClientOptions{}).Sites.List(t.Context()); err != nil {
		t.Fatal(err)
	}
	_ = w.Close()
	ep.Credentials.Password = "Wr0ng-canary-Passw0rd"
	bad := newRunner(t, ep, winrm.Options{Logger: log})
	_, runErr := bad.Run(t.Context(), "Get-CsSite")
	_ = bad.Close()
	log.Debug("endpoint", "ep", ep, "creds", ep.Credentials)
	for _, out := range []string{logs.String(), fmt.Sprint(runErr), fmt.Sprintf("%v %+v %#v", ep, ep, ep)} {
		for _, secret := range []string{pass, "Wr0ng-canary-Passw0rd"} {
			if strings.Contains(out, secret) {
				t.Fatalf("the password shows: %s", out)
			}
		}
	}
	if runErr == nil || !strings.Contains(logs.String(), "session started") {
		t.Fatalf("err %v; logs: %s", runErr, logs.String())
	}
}
