package rfc2136_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/libdns/libdns"
	"github.com/miekg/dns"
	"github.com/xmppfed/edgefailover/xmppdns/dnstest"
	"github.com/xmppfed/edgefailover/xmppdns/rfc2136"
)

func TestWriteFaultsAreTypedAndWriteNothing(t *testing.T) {
	t.Parallel()
	update := dnstest.Fault{Opcode: dns.OpcodeUpdate, OnlyOpcode: true}
	tests := []struct {
		kind dnstest.FaultKind
		want []error
	}{
		{dnstest.FaultRefused, []error{rfc2136.ErrRefused}},
		{dnstest.FaultServFail, []error{rfc2136.ErrServFail}},
		{dnstest.FaultBadSig, []error{rfc2136.ErrBadSig, rfc2136.ErrNotAuth}},
		{dnstest.FaultDrop, []error{rfc2136.ErrTransport}},
	}
	ops := map[string]func(p *rfc2136.Provider) error{
		"SetRecords": func(p *rfc2136.Provider) error {
			_, err := p.SetRecords(context.Background(), "example.test.", []libdns.Record{addr("w", "192.0.2.2", 60)})
			return err
		},
		"AppendRecords": func(p *rfc2136.Provider) error {
			_, err := p.AppendRecords(context.Background(), "example.test.", []libdns.Record{addr("w", "192.0.2.2", 60)})
			return err
		},
		"DeleteRecords": func(p *rfc2136.Provider) error {
			_, err := p.DeleteRecords(context.Background(), "example.test.", []libdns.Record{libdns.RR{Name: "w"}})
			return err
		},
		"SetRRsetIf": func(p *rfc2136.Provider) error {
			return p.SetRRsetIf(context.Background(), "example.test.", "w", "A",
				[]libdns.Record{addr("w", "192.0.2.1", 60)}, []libdns.Record{addr("w", "192.0.2.2", 60)})
		},
	}
	for _, tc := range tests {
		for op, call := range ops {
			t.Run(tc.kind.String()+"/"+op, func(t *testing.T) {
				t.Parallel()
				tg, srv, z := newDNSTest(t)
				tg.p.Timeout = 300 * time.Millisecond
				mustSet(t, tg.p, tg.zone, addr("w", "192.0.2.1", 60))
				serial := z.Serial()
				f := update
				f.Kind = tc.kind
				srv.Inject(f)
				err := call(tg.p)
				for _, want := range tc.want {
					if !errors.Is(err, want) {
						t.Fatalf("error %v, want it to match %v", err, want)
					}
				}
				if z.Serial() != serial || len(z.Lookup("w.example.test.", dns.TypeA)) != 1 {
					t.Fatalf("the zone changed: serial %d -> %d", serial, z.Serial())
				}
			})
		}
	}
}

func TestReadFaults(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	t.Run("SERVFAIL is retried, then typed", func(t *testing.T) {
		t.Parallel()
		tg, srv, _ := newDNSTest(t)
		srv.Inject(dnstest.Fault{Kind: dnstest.FaultServFail, Type: dns.TypeA, Count: 1})
		if _, err := tg.p.GetRRset(ctx, tg.zone, "ns1", "A"); err != nil {
			t.Fatalf("one SERVFAIL was not retried: %v", err)
		}
		srv.Inject(dnstest.Fault{Kind: dnstest.FaultServFail, Type: dns.TypeA})
		srv.ResetLog()
		_, err := tg.p.GetRRset(ctx, tg.zone, "ns1", "A")
		var rc *rfc2136.RcodeError
		if !errors.Is(err, rfc2136.ErrServFail) || !errors.As(err, &rc) || rc.Op != "query" || rc.Name != "ns1.example.test." {
			t.Fatalf("persistent SERVFAIL: %v", err)
		}
		if n := len(srv.Log()); n != 3 {
			t.Fatalf("%d queries, want 3 attempts", n)
		}
	})
	t.Run("REFUSED is not retried", func(t *testing.T) {
		t.Parallel()
		tg, srv, _ := newDNSTest(t)
		srv.Inject(dnstest.Fault{Kind: dnstest.FaultRefused})
		if _, err := tg.p.GetRRset(ctx, tg.zone, "ns1", "A"); !errors.Is(err, rfc2136.ErrRefused) || len(srv.Log()) != 1 {
			t.Fatalf("REFUSED: %v after %d queries", err, len(srv.Log()))
		}
	})
	t.Run("truncation is retried over TCP", func(t *testing.T) {
		t.Parallel()
		tg, srv, _ := newDNSTest(t)
		srv.Inject(dnstest.Fault{Kind: dnstest.FaultTruncate})
		got, err := tg.p.GetRRset(ctx, tg.zone, "ns1", "A")
		if err != nil || len(got) != 1 {
			t.Fatalf("%v %v", got, err)
		}
		log := srv.Log()
		if len(log) != 2 || !log[0].Truncated || log[0].Net != "udp" || log[1].Net != "tcp" {
			t.Fatalf("log: %+v", log)
		}
	})
	t.Run("no answer: transport error, bounded by the context", func(t *testing.T) {
		t.Parallel()
		tg, srv, _ := newDNSTest(t)
		srv.Inject(dnstest.Fault{Kind: dnstest.FaultDrop})
		ctx, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
		defer cancel()
		_, err := tg.p.GetRRset(ctx, tg.zone, "ns1", "A")
		if !errors.Is(err, rfc2136.ErrTransport) || !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("dropped: %v", err)
		}
	})
	t.Run("a cancelled context sends nothing", func(t *testing.T) {
		t.Parallel()
		tg, srv, _ := newDNSTest(t)
		ctx, cancel := context.WithCancel(ctx)
		cancel()
		if _, err := tg.p.SetRecords(ctx, tg.zone, []libdns.Record{addr("c", "192.0.2.1", 60)}); !errors.Is(err, context.Canceled) {
			t.Fatalf("cancelled: %v", err)
		}
		if len(srv.Log()) != 0 {
			t.Fatalf("sent %d messages", len(srv.Log()))
		}
	})
	t.Run("a secondary refuses updates", func(t *testing.T) {
		t.Parallel()
		z, _ := dnstest.ParseZone("example.test", suiteZoneText)
		k, _ := dnstest.NewKey("k.", dns.HmacSHA512)
		c, err := dnstest.StartCluster(dnstest.Config{Zones: []*dnstest.Zone{z}, Keys: []dnstest.Key{k}}, 1)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		p := &rfc2136.Provider{Server: c.Secondaries[0].Addr, KeyName: "k.", Algorithm: "hmac-sha512", Secret: rfc2136.Secret(k.Secret)}
		if _, err := p.SetRecords(ctx, "example.test.", []libdns.Record{addr("x", "192.0.2.1", 60)}); !errors.Is(err, rfc2136.ErrRefused) {
			t.Fatalf("update to a secondary: %v", err)
		}
		p.Server = c.Primary.Addr
		if _, err := p.SetRecords(ctx, "example.test.", []libdns.Record{addr("x", "192.0.2.1", 60)}); err != nil {
			t.Fatalf("update to the primary with hmac-sha512: %v", err)
		}
	})
	t.Run("AXFR refused: ErrListUnsupported", func(t *testing.T) {
		t.Parallel()
		tg, srv, _ := newDNSTest(t)
		srv.Inject(dnstest.Fault{Kind: dnstest.FaultRefused, Type: dns.TypeAXFR})
		_, err := tg.p.GetRecords(ctx, tg.zone)
		if !errors.Is(err, rfc2136.ErrListUnsupported) || !errors.Is(err, rfc2136.ErrRefused) {
			t.Fatalf("GetRecords: %v", err)
		}
	})
}
