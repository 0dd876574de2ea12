package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/xmppfed/edgefailover/failover/preflight"
)

// TestPreflightFaultRefusesThePlan: each preflight fault shows a plan
// refused by failover.New with its finding, and zero changes.
func TestPreflightFaultRefusesThePlan(t *testing.T) {
	t.Parallel()
	for fault, want := range map[string]string{
		"missing-san":    "[error] certificate edge2a.contoso.com: the Access Edge external certificate does not cover fabrikam.com",
		"expired-cert":   "[error] certificate edge2a.contoso.com: the Access Edge external certificate expired on",
		"expiring-cert":  "[warning] certificate edge2a.contoso.com: the Access Edge external certificate expires on",
		"federation-off": "[error] access-edge Global: AllowFederatedUsers is False",
		"no-partners":    "[warning] xmpp-partners Global: no XMPP allowed partner",
		"sfb2019":        "[error] version edgepool2.contoso.com: Skype for Business Server 2019",
		"port-23456":     "[error] reachability edge2a.contoso.com:23456: not reachable",
	} {
		t.Run(fault, func(t *testing.T) {
			t.Parallel()
			code, out, errs := runDrill(t, "-fault", fault)
			if code != exitFailed {
				t.Fatalf("exit %d, want 1\n%s%s", code, out, errs)
			}
			for _, w := range []string{"== plan refused before any change ==", want, "changes made: 0; lab unchanged: yes", "drill FAILED"} {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q\n%s", w, out)
				}
			}
			if strings.Contains(out, "== applying ==") {
				t.Errorf("a refused plan was applied:\n%s", out)
			}
		})
	}
	code, out, _ := runDrill(t, "-json", "-fault", "missing-san")
	var doc struct {
		Findings []preflight.Finding `json:"findings"`
		Summary  summary             `json:"summary"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil || code != exitFailed {
		t.Fatalf("exit %d, %v\n%s", code, err, out)
	}
	if !doc.Summary.Refused || doc.Summary.RefusedChanges != 0 || len(doc.Findings) == 0 || doc.Summary.LabUnchanged == nil || !*doc.Summary.LabUnchanged {
		t.Errorf("summary %+v, %d findings", doc.Summary, len(doc.Findings))
	}
}
