package failover_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xmppfed/edgefailover/failover"
	"github.com/xmppfed/edgefailover/failover/failovertest"
	"github.com/xmppfed/edgefailover/failover/journal"
)

// Secrets (the WinRM password, the TSIG key) never reach the dry run, the
// plan's JSON, the log, the journal, the report or %v of the config.
func TestSecretsStayOut(t *testing.T) {
	t.Parallel()
	lab := failovertest.Start(t, failovertest.Options{})
	_, password := lab.Deployment().Credentials()
	tsig := string(lab.Provider().Secret)
	if password == "" || tsig == "" {
		t.Fatal("the lab has no secrets to look for")
	}
	cfg := forward(lab)
	var logs bytes.Buffer
	cfg.Logger = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	p := newPlan(t, cfg)
	path := filepath.Join(t.TempDir(), "journal")
	rep, err := p.Apply(context.Background(), failover.ApplyOptions{
		Logger:  slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Journal: openJournal(t, path, journal.Options{}),
	})
	if err != nil {
		t.Fatal(err)
	}
	js, _ := json.Marshal(p)
	rj, _ := json.Marshal(rep)
	journal, _ := os.ReadFile(path)
	for name, text := range map[string]string{
		"plan text":   p.String(),
		"plan JSON":   string(js),
		"report":      rep.String() + string(rj),
		"log":         logs.String(),
		"journal":     string(journal),
		"config %v":   fmt.Sprintf("%v %+v %#v", cfg, cfg, cfg),
		"provider %v": fmt.Sprintf("%v %+v %#v", lab.Provider(), *lab.Provider(), lab.Provider()),
	} {
		for _, secret := range []string{password, tsig} {
			if strings.Contains(text, secret) {
				t.Errorf("%s holds a secret", name)
			}
		}
	}
}
