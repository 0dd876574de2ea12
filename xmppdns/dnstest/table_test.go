package dnstest_test

import (
	"context"
	"errors"
	"testing"

	"github.com/miekg/dns"
	"github.com/xmppfed/edgefailover/xmppdns/dnstest"
)

func TestTable(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tb, err := dnstest.NewTable(
		"_xmpp-server._tcp.contoso.test. 300 IN SRV 10 0 5269 edge.contoso.test.",
		"alias.contoso.test. 300 IN CNAME edge.contoso.test.",
	)
	if err != nil {
		t.Fatal(err)
	}
	ask := func(name string, qtype uint16, addr string) *dns.Msg {
		t.Helper()
		m := new(dns.Msg)
		m.SetQuestion(name, qtype)
		r, err := tb.Exchange(ctx, m, "udp", addr)
		if err != nil || !r.Authoritative || r.Id != m.Id {
			t.Fatalf("Exchange(%s) = %v, %v", name, r, err)
		}
		return r
	}
	if r := ask("_XMPP-server._tcp.contoso.test.", dns.TypeSRV, "a:53"); r.Rcode != dns.RcodeSuccess || len(r.Answer) != 1 {
		t.Errorf("SRV: %v", r)
	}
	if r := ask("_xmpp-server._tcp.contoso.test.", dns.TypeA, "a:53"); r.Rcode != dns.RcodeSuccess || len(r.Answer) != 0 {
		t.Errorf("NODATA: %v", r)
	}
	if r := ask("alias.contoso.test.", dns.TypeA, "a:53"); len(r.Answer) != 1 || r.Answer[0].Header().Rrtype != dns.TypeCNAME {
		t.Errorf("CNAME: %v", r)
	}
	if r := ask("nothing.contoso.test.", dns.TypeA, "a:53"); r.Rcode != dns.RcodeNameError {
		t.Errorf("NXDOMAIN: %v", r)
	}
	tb.SetRcode("b:53", dns.RcodeServerFailure)
	if r := ask("_xmpp-server._tcp.contoso.test.", dns.TypeSRV, "b:53"); r.Rcode != dns.RcodeServerFailure || len(r.Answer) != 0 {
		t.Errorf("SetRcode: %v", r)
	}
	tb.SetAnswer(func(q dns.Question, r *dns.Msg) { r.Answer = append(r.Answer, tb.Records()...) })
	if r := ask("x.", dns.TypeA, "a:53"); len(r.Answer) != 2 {
		t.Errorf("SetAnswer: %v", r)
	}
	if n := tb.Asked("a:53"); n != 5 {
		t.Errorf("Asked(a) = %d, want 5", n)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := tb.Exchange(cancelled, new(dns.Msg).SetQuestion("x.", dns.TypeA), "udp", "a:53"); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
	if _, err := dnstest.NewTable("not a record"); err == nil {
		t.Error("NewTable accepted a bad record")
	}
}

// TestTableAnswersAsAServer: where the Table gives an rcode, it is the one
// an authoritative server (BIND, and dnstest.Server, which
// TestSameAnswersAsBIND holds to BIND) gives: an empty non-terminal such as
// _tcp.<domain> exists (NODATA, not NXDOMAIN), ANY returns every record of
// the name, and a message with other than one question is FORMERR.
func TestTableAnswersAsAServer(t *testing.T) {
	t.Parallel()
	tb, err := dnstest.NewTable(
		"_xmpp-server._tcp.contoso.test. 300 IN SRV 10 0 5269 edge.contoso.test.",
		"edge.contoso.test. 300 IN A 192.0.2.1",
		"edge.contoso.test. 300 IN AAAA 2001:db8::1",
	)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		questions []dns.Question
		rcode     int
		answers   int
	}{
		{"empty non-terminal", []dns.Question{{Name: "_tcp.contoso.test.", Qtype: dns.TypeSRV, Qclass: dns.ClassINET}}, dns.RcodeSuccess, 0},
		{"empty non-terminal, other case", []dns.Question{{Name: "_TCP.Contoso.test.", Qtype: dns.TypeA, Qclass: dns.ClassINET}}, dns.RcodeSuccess, 0},
		{"label suffix is not a parent", []dns.Question{{Name: "tcp.contoso.test.", Qtype: dns.TypeA, Qclass: dns.ClassINET}}, dns.RcodeNameError, 0},
		{"ANY", []dns.Question{{Name: "edge.contoso.test.", Qtype: dns.TypeANY, Qclass: dns.ClassINET}}, dns.RcodeSuccess, 2},
		{"no question", nil, dns.RcodeFormatError, 0},
		{"two questions", []dns.Question{
			{Name: "edge.contoso.test.", Qtype: dns.TypeA, Qclass: dns.ClassINET},
			{Name: "edge.contoso.test.", Qtype: dns.TypeAAAA, Qclass: dns.ClassINET},
		}, dns.RcodeFormatError, 0},
	}
	for _, tt := range tests {
		m := new(dns.Msg)
		m.Id = dns.Id()
		m.Question = tt.questions
		r, err := tb.Exchange(context.Background(), m, "udp", "a:53")
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if r.Rcode != tt.rcode || len(r.Answer) != tt.answers {
			t.Errorf("%s: rcode %s with %d answers, want %s with %d", tt.name,
				dns.RcodeToString[r.Rcode], len(r.Answer), dns.RcodeToString[tt.rcode], tt.answers)
		}
	}
}
