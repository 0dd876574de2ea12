package rfc2136_test

import (
	"context"
	"errors"
	"net"
	"testing"

	"github.com/libdns/libdns"
	"github.com/miekg/dns"
	"github.com/xmppfed/edgefailover/xmppdns/rfc2136"
)

// startRogue serves handler on a loopback UDP and TCP port: a server that
// misbehaves in ways dnstest never does.
func startRogue(t *testing.T, handler dns.HandlerFunc) string {
	t.Helper()
	var pc net.PacketConn
	var ln net.Listener
	for range 50 { // the UDP port's TCP twin may be taken: try another
		var err error
		if pc, err = net.ListenPacket("udp", "127.0.0.1:0"); err != nil {
			t.Fatal(err)
		}
		if ln, err = net.Listen("tcp", pc.LocalAddr().String()); err == nil {
			break
		}
		pc.Close()
		ln = nil
	}
	if ln == nil {
		t.Fatal("no loopback port free for UDP and TCP")
	}
	accept := func(dns.Header) dns.MsgAcceptAction { return dns.MsgAccept }
	for _, s := range []*dns.Server{{PacketConn: pc, Handler: handler, MsgAcceptFunc: accept}, {Listener: ln, Handler: handler, MsgAcceptFunc: accept}} {
		started := make(chan struct{})
		s.NotifyStartedFunc = func() { close(started) }
		go s.ActivateAndServe()
		<-started
		t.Cleanup(func() { s.Shutdown() })
	}
	return pc.LocalAddr().String()
}

func TestRogueAnswers(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	addr := startRogue(t, func(w dns.ResponseWriter, r *dns.Msg) {
		m := new(dns.Msg)
		m.SetReply(r) // NOERROR, AA not set, never signed
		if r.Question[0].Qtype == dns.TypeA {
			a, _ := dns.NewRR(r.Question[0].Name + " 60 IN A 192.0.2.1")
			m.Answer = []dns.RR{a}
		}
		w.WriteMsg(m)
	})
	p := &rfc2136.Provider{Server: addr, KeyName: "k.", Secret: "c2VjcmV0"}
	if _, err := p.GetRRset(ctx, "example.test.", "www", "A"); !errors.Is(err, rfc2136.ErrNotAuthoritative) {
		t.Fatalf("answer without AA: %v", err)
	}
	if _, err := p.SetRecords(ctx, "example.test.", []libdns.Record{libdns.RR{Name: "www", Type: "A", Data: "192.0.2.1"}}); !errors.Is(err, rfc2136.ErrResponseSig) {
		t.Fatalf("unsigned NOERROR to a signed update: %v", err)
	}
}
