package rfc2136_test

import (
	"context"
	"testing"

	"github.com/libdns/libdns"
	"github.com/miekg/dns"
	"github.com/xmppfed/edgefailover/xmppdns/dnstest"
)

func TestNetSelectsTransports(t *testing.T) {
	t.Parallel()
	tests := []struct {
		net             string
		queryNet, upNet string
	}{
		{"", "udp", "tcp"},
		{"tcp", "tcp", "tcp"},
		{"udp", "udp", "udp"},
	}
	for _, tc := range tests {
		t.Run("Net="+tc.net, func(t *testing.T) {
			t.Parallel()
			tg, srv, _ := newDNSTest(t)
			tg.p.Net = tc.net
			if _, err := tg.p.AppendRecords(context.Background(), tg.zone, []libdns.Record{addr("n", "192.0.2.1", 60)}); err != nil {
				t.Fatal(err)
			}
			log := srv.Log()
			if len(log) != 2 || log[0].Opcode != dns.OpcodeQuery || log[1].Opcode != dns.OpcodeUpdate {
				t.Fatalf("log: %+v", log)
			}
			if log[0].Net != tc.queryNet || log[1].Net != tc.upNet {
				t.Fatalf("query over %s, update over %s; want %s, %s", log[0].Net, log[1].Net, tc.queryNet, tc.upNet)
			}
			if log[0].Key != "" || log[1].Key != dnstest.DefaultKeyName {
				t.Fatalf("signing: query key %q, update key %q", log[0].Key, log[1].Key)
			}
		})
	}
}
