package lynctest_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/xmppfed/edgefailover/lync/lynctest"
)

// benchScripts is the work of one benchmark iteration: 20 cmdlets.
const benchScripts = 20

// realLatency is the profile (process start 1s, module import 3s),
// run 1000 times faster.
var realLatency = lynctest.Latency{ProcessStart: time.Second, ModuleImport: 3 * time.Second, Scale: 0.001}

// BenchmarkPersistentSession runs 20 cmdlets through one persistent
// `-Command -` process that imports the module once.
func BenchmarkPersistentSession(b *testing.B) {
	cfg := testConfig()
	cfg.Latency = realLatency
	d := start(b, cfg)
	c := client(b, d, "edge01.contoso.com", false, "")
	for b.Loop() {
		s := openSession(b, c)
		s.run(imp)
		for i := 0; i < benchScripts; i++ {
			s.run("Get-CsSite -Identity 'Site1' | Select-Object -Property SiteId")
		}
	}
	report(b, d)
}

// BenchmarkProcessPerScript runs the same 20 cmdlets as one
// -EncodedCommand process each, importing the module every time.
func BenchmarkProcessPerScript(b *testing.B) {
	cfg := testConfig()
	cfg.Latency = realLatency
	d := start(b, cfg)
	c := client(b, d, "edge01.contoso.com", false, "")
	for b.Loop() {
		for i := 0; i < benchScripts; i++ {
			marker := fmt.Sprintf("EF0123456789abcdef0123456789abcdef-%d", i)
			line := frame(marker, imp+"; Get-CsSite -Identity 'Site1' | Select-Object -Property SiteId")
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			stdout, _, _, err := c.RunCmdWithContext(ctx, encodedCommand(line))
			cancel()
			if r, ok := findFrame(b, stdout, marker); err != nil || !ok || r.Kind != "ok" {
				b.Fatalf("script %d: %v %+v", i, err, r)
			}
		}
	}
	report(b, d)
}

func report(b *testing.B, d *lynctest.Deployment) {
	c := d.Counters()
	b.ReportMetric(float64(c.Processes)/float64(b.N), "processes/op")
	b.ReportMetric(float64(c.ModuleImports)/float64(b.N), "imports/op")
	b.ReportMetric(float64(c.Total())/float64(b.N), "requests/op")
}
