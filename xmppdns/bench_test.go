package xmppdns

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/miekg/dns"
)

// BenchmarkWaitConverged measures how long after the last of 4 authoritative
// servers starts serving a change WaitConverged notices: the goal is under
// one poll interval plus one round trip. Secondaries lag 15, 35 and 75 ms
// plus a varying fraction of the interval (so every phase of the poll cycle
// is measured); the time reference is dnstest's SyncTime of the slowest one.
//
//	go test -run '^$' -bench WaitConverged -benchtime 20x ./xmppdns
func BenchmarkWaitConverged(b *testing.B) {
	for _, interval := range []time.Duration{10 * time.Millisecond, 50 * time.Millisecond} {
		b.Run(fmt.Sprintf("interval=%s", interval), func(b *testing.B) {
			z, c, a := startCluster(b, 3, "")
			for i, lag := range []time.Duration{15, 35, 75} {
				c.Secondaries[i].SetLag(lag * time.Millisecond)
			}
			ctx := context.Background()
			name := "_xmpp-server._tcp.example.test."
			// One poll of every server: the round trip of the check itself.
			start := time.Now()
			if _, err := a.Check(ctx, RRset{Name: name, Type: "SRV"}); err != nil {
				b.Fatal(err)
			}
			rtt := time.Since(start)
			var total, worst time.Duration
			var all []time.Duration
			b.ResetTimer()
			for i := range b.N {
				// Vary the slowest lag so the catch-up falls at every phase
				// of the poll cycle, not always at the same one.
				c.Secondaries[2].SetLag(75*time.Millisecond + (time.Duration(i)*7919*time.Microsecond)%interval)
				target := fmt.Sprintf("edgepool%d.example.test.", 2+i%2)
				rr, _ := dns.NewRR(name + " 300 IN SRV 10 0 5269 " + target)
				if err := z.SetRRset(name, dns.TypeSRV, rr); err != nil {
					b.Fatal(err)
				}
				rep, err := a.WaitConverged(ctx, interval, RRset{Name: name, Type: "SRV", Data: []string{"10 0 5269 " + target}})
				detected := time.Now()
				if err != nil || !rep.Converged {
					b.Fatal(err, rep)
				}
				var last time.Time
				for _, s := range c.Servers() {
					if t := s.SyncTime(z); t.After(last) {
						last = t
					}
				}
				d := detected.Sub(last)
				total += d
				worst = max(worst, d)
				all = append(all, d)
			}
			avg := total / time.Duration(b.N)
			b.ReportMetric(float64(avg.Microseconds())/1000, "ms-after-sync")
			b.ReportMetric(float64(worst.Microseconds())/1000, "worst-ms")
			b.ReportMetric(float64(rtt.Microseconds())/1000, "check-ms")
			slices.Sort(all)
			p90 := all[len(all)*9/10]
			b.ReportMetric(float64(p90.Microseconds())/1000, "p90-ms")
			b.ReportMetric(float64(avg)/float64(interval+rtt), "avg/(interval+check)")
			b.ReportMetric(float64(worst)/float64(interval+rtt), "worst/(interval+check)")
		})
	}
}
