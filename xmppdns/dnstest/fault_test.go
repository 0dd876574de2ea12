package dnstest_test

import (
	"testing"
	"time"

	"github.com/miekg/dns"
	"github.com/xmppfed/edgefailover/xmppdns/dnstest"
)

func TestFaults(t *testing.T) {
	t.Parallel()
	tests := []struct {
		fault   dnstest.Fault
		network string
		check   func(r *dns.Msg, err error) bool
	}{
		{dnstest.Fault{Kind: dnstest.FaultRefused, Count: 1}, "udp", func(r *dns.Msg, err error) bool { return err == nil && r.Rcode == dns.RcodeRefused }},
		{dnstest.Fault{Kind: dnstest.FaultServFail, Count: 1}, "tcp", func(r *dns.Msg, err error) bool { return err == nil && r.Rcode == dns.RcodeServerFailure }},
		{dnstest.Fault{Kind: dnstest.FaultDrop, Count: 1}, "udp", func(r *dns.Msg, err error) bool { return err != nil }},
		{dnstest.Fault{Kind: dnstest.FaultTruncate, Count: 1}, "udp", func(r *dns.Msg, err error) bool { return err == nil && r.Truncated && len(r.Answer) == 0 }},
		{dnstest.Fault{Kind: dnstest.FaultBadSig, Count: 1}, "udp", func(r *dns.Msg, err error) bool { return r != nil && r.Rcode == dns.RcodeNotAuth }},
	}
	for _, tc := range tests {
		t.Run(tc.fault.Kind.String(), func(t *testing.T) {
			t.Parallel()
			s, _, _ := start(t, dnstest.Config{})
			s.Inject(tc.fault)
			m := new(dns.Msg)
			m.SetQuestion("xmpp.example.test.", dns.TypeA)
			c := &dns.Client{Net: tc.network, Timeout: 300 * time.Millisecond}
			r, _, err := c.Exchange(m, s.Addr)
			if !tc.check(r, err) {
				t.Fatalf("fault %v: answer %v err %v", tc.fault.Kind, r, err)
			}
			if r := ask(t, s.Addr, tc.network, "xmpp.example.test.", dns.TypeA); r.Rcode != dns.RcodeSuccess || len(r.Answer) != 1 {
				t.Fatalf("the fault outlived its count: %v", r)
			}
			log := s.Log()
			if len(log) != 2 || log[0].Fault != tc.fault.Kind || log[1].Fault != dnstest.FaultNone {
				t.Fatalf("log: %+v", log)
			}
		})
	}
}

func TestFaultMatching(t *testing.T) {
	t.Parallel()
	s, _, k := start(t, dnstest.Config{})
	s.Inject(dnstest.Fault{Kind: dnstest.FaultTruncate, Name: "XMPP.example.test", Type: dns.TypeA})
	s.Inject(dnstest.Fault{Kind: dnstest.FaultRefused, Opcode: dns.OpcodeUpdate, OnlyOpcode: true, Count: 2})
	if r := ask(t, s.Addr, "udp", "xmpp.example.test.", dns.TypeA); !r.Truncated {
		t.Fatal("name/type fault did not apply over UDP")
	}
	if r := ask(t, s.Addr, "tcp", "xmpp.example.test.", dns.TypeA); r.Truncated || len(r.Answer) != 1 {
		t.Fatal("truncation applied over TCP")
	}
	if r := ask(t, s.Addr, "udp", "xmpp.example.test.", dns.TypeAAAA); r.Truncated {
		t.Fatal("fault applied to another type")
	}
	for i, want := range []int{dns.RcodeRefused, dns.RcodeRefused, dns.RcodeSuccess} {
		m := update(zone, func(m *dns.Msg) { m.Insert([]dns.RR{rr(t, "n.example.test. 60 IN A 192.0.2.1")}) })
		if r, err := exchange(t, s.Addr, "tcp", m, &k); err != nil || r.Rcode != want {
			t.Fatalf("update %d: %v %v, want %s", i, err, r, dns.RcodeToString[want])
		}
	}
	s.ClearFaults()
	if r := ask(t, s.Addr, "udp", "xmpp.example.test.", dns.TypeA); r.Truncated {
		t.Fatal("ClearFaults left a fault")
	}
	if n := s.Count(dns.OpcodeUpdate); n != 3 {
		t.Fatalf("Count(update) = %d, want 3", n)
	}
	e := s.Log()[3]
	if e.Opcode != dns.OpcodeUpdate || e.Key != "update-key." || e.Rcode != dns.RcodeRefused || e.Name != zone || e.Type != dns.TypeSOA {
		t.Fatalf("update log entry: %+v", e)
	}
	s.ResetLog()
	if len(s.Log()) != 0 {
		t.Fatal("ResetLog kept entries")
	}
}

func TestCloseIsIdempotentAndStops(t *testing.T) {
	t.Parallel()
	s, _, _ := start(t, dnstest.Config{})
	addr := s.Addr
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	c := &dns.Client{Net: "tcp", Timeout: 300 * time.Millisecond}
	m := new(dns.Msg)
	m.SetQuestion(zone, dns.TypeSOA)
	if _, _, err := c.Exchange(m, addr); err == nil {
		t.Fatal("closed server still answers over TCP")
	}
}
