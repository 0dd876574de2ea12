package rfc2136_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/libdns/libdns"
	"github.com/miekg/dns"
	"github.com/xmppfed/edgefailover/internal/testpeer"
	"github.com/xmppfed/edgefailover/xmppdns/rfc2136"
)

// federationRecords is the XMPP federation DNS of 50 SIP domains hosted in
// one zone (an SRV each) plus the federation host's A record.
func federationRecords(round int) []libdns.Record {
	recs := []libdns.Record{addr("xmpp", fmt.Sprintf("192.0.2.%d", 1+round%200), 300)}
	for i := range 50 {
		recs = append(recs, libdns.SRV{Service: "xmpp-server", Transport: "tcp", Name: fmt.Sprintf("sip%02d", i),
			TTL: 300 * time.Second, Priority: uint16(10 + round%50), Port: 5269, Target: "xmpp.example.test."})
	}
	return recs
}

// BenchmarkFederationWrite compares one SetRecords for the whole zone with
// one SetRecords per record; updates/op counts the UPDATE messages the
// server received: dnstest's log, or BIND's SOA serial (one increment per
// UPDATE that changes the zone, as every one here does).
func BenchmarkFederationWrite(b *testing.B) {
	ctx := context.Background()
	modes := []struct {
		name  string
		write func(p *rfc2136.Provider, recs []libdns.Record) error
	}{
		{"batched", func(p *rfc2136.Provider, recs []libdns.Record) error {
			_, err := p.SetRecords(ctx, "example.test.", recs)
			return err
		}},
		{"per-record", func(p *rfc2136.Provider, recs []libdns.Record) error {
			for _, r := range recs {
				if _, err := p.SetRecords(ctx, "example.test.", []libdns.Record{r}); err != nil {
					return err
				}
			}
			return nil
		}},
	}
	for _, m := range modes {
		b.Run("dnstest/"+m.name, func(b *testing.B) {
			tg, srv, _ := newDNSTest(b)
			srv.ResetLog()
			round := 0
			for b.Loop() {
				if err := m.write(tg.p, federationRecords(round)); err != nil {
					b.Fatal(err)
				}
				round++
			}
			b.ReportMetric(float64(srv.Count(dns.OpcodeUpdate))/float64(round), "updates/op")
		})
	}
	for _, m := range modes {
		b.Run("bind/"+m.name, func(b *testing.B) {
			bd := testpeer.StartBIND(b, "example.test", suiteZoneText)
			p := &rfc2136.Provider{Server: bd.Addr, KeyName: bd.KeyName, Secret: rfc2136.Secret(bd.Secret)}
			first := bd.Serial(b)
			round := 0
			for b.Loop() {
				if err := m.write(p, federationRecords(round)); err != nil {
					b.Fatal(err)
				}
				round++
			}
			// every UPDATE changes the zone, and BIND adds one to the serial per UPDATE
			b.ReportMetric(float64(bd.Serial(b)-first)/float64(round), "updates/op")
		})
	}
}
