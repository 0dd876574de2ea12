package xmppdns_test

import (
	"context"
	"fmt"
	"net/netip"
	"testing"

	"github.com/miekg/dns"
	"github.com/xmppfed/edgefailover/xmppdns"
)

// BenchmarkFailover50Domains writes the federation records of 50 SIP
// domains (an SRV set each) plus the federation host's address through the
// rfc2136 provider to a dnstest primary: as one planned change (one UPDATE
// per zone) and as one SetSRV/SetAddrs call per RRset. It reports the
// UPDATE messages per failover.
//
//	go test -run '^$' -bench Failover50 -benchtime 10x ./xmppdns
func BenchmarkFailover50Domains(b *testing.B) {
	const domains = 50
	pools := [2][]xmppdns.SRV{}
	pools[0], _ = xmppdns.Prioritized("edgepool2.example.test.", "edgepool1.example.test.")
	pools[1], _ = xmppdns.Prioritized("edgepool1.example.test.", "edgepool2.example.test.")
	ips := [2]netip.Addr{netip.MustParseAddr("192.0.2.20"), netip.MustParseAddr("192.0.2.10")}
	ctx := context.Background()
	run := func(b *testing.B, apply func(dz *xmppdns.Zone, i int) error) {
		env := startLab(b, "")
		start := env.cluster.Primary.Count(dns.OpcodeUpdate)
		b.ResetTimer()
		for i := range b.N {
			if err := apply(env.dz, i); err != nil {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		b.ReportMetric(float64(env.cluster.Primary.Count(dns.OpcodeUpdate)-start)/float64(b.N), "updates/op")
	}
	b.Run("batched", func(b *testing.B) {
		run(b, func(dz *xmppdns.Zone, i int) error {
			desired := []xmppdns.Desired{xmppdns.AddrSet{Host: "xmpp.example.test", IPs: []netip.Addr{ips[i%2]}}}
			for d := range domains {
				desired = append(desired, xmppdns.SRVSet{Domain: fmt.Sprintf("sip%d.example.test", d), Records: pools[i%2]})
			}
			ch, err := dz.Plan(ctx, desired...)
			if err != nil {
				return err
			}
			return dz.Apply(ctx, ch)
		})
	})
	b.Run("per-rrset", func(b *testing.B) {
		run(b, func(dz *xmppdns.Zone, i int) error {
			if _, err := dz.SetAddrs(ctx, "xmpp.example.test", ips[i%2]); err != nil {
				return err
			}
			for d := range domains {
				if _, err := dz.SetSRV(ctx, fmt.Sprintf("sip%d.example.test", d), pools[i%2]...); err != nil {
					return err
				}
			}
			return nil
		})
	})
}
