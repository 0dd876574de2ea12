package rfc2136_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/libdns/libdns"
	"github.com/xmppfed/edgefailover/xmppdns/rfc2136"
)

// BenchmarkWriteSigned times one SetRecords (one UPDATE, one A record)
// against the same BIND signed three ways: HMAC-SHA256; GSS-TSIG with the
// context negotiated once and reused (what a Provider does); GSS-TSIG with a
// new Kerberos value per write, so every write also logs in (AS), gets a
// service ticket (TGS) and negotiates a context (one TKEY round trip). The
// ratio of the first two is the cost of GSS-TSIG per write.
//
//	go test -run '^$' -bench WriteSigned ./xmppdns/rfc2136
func BenchmarkWriteSigned(b *testing.B) {
	l := startGSSLab(b, suiteZoneText)
	ctx := context.Background()
	hmac := &rfc2136.Provider{Server: l.bind.Addr, KeyName: l.bind.KeyName, Secret: rfc2136.Secret(l.bind.Secret)}
	write := func(b *testing.B, p *rfc2136.Provider, i int) {
		if _, err := p.SetRecords(ctx, "example.test.", []libdns.Record{addr("bench", fmt.Sprintf("192.0.2.%d", 1+i%200), 60)}); err != nil {
			b.Fatal(err)
		}
	}
	b.Run("hmac-sha256", func(b *testing.B) {
		i := 0
		for b.Loop() {
			write(b, hmac, i)
			i++
		}
	})
	b.Run("gss-tsig", func(b *testing.B) {
		p, i := l.provider(gssUser), 0
		for b.Loop() {
			write(b, p, i)
			i++
		}
		b.ReportMetric(float64(p.Kerberos.Stats().TKEYExchanges), "tkeys")
	})
	b.Run("gss-tsig-new-context-each-write", func(b *testing.B) {
		i := 0
		var tkeys int64
		for b.Loop() {
			p := l.provider(gssUser)
			write(b, p, i)
			tkeys += p.Kerberos.Stats().TKEYExchanges
			i++
		}
		b.ReportMetric(float64(tkeys)/float64(i), "tkeys/op")
	})
}
