package xmppdns

import (
	"testing"

	"github.com/miekg/dns"
)

// TestSetResultFromMsg checks the verdict on one server's reply.
func TestSetResultFromMsg(t *testing.T) {
	t.Parallel()
	present := RRset{Name: "xmpp.contoso.com.", Type: "A", Data: []string{"192.0.2.1"}}
	absent := RRset{Name: "xmpp.contoso.com.", Type: "AAAA"}
	reply := func(rcode int, aa bool, answer ...string) *dns.Msg {
		m := new(dns.Msg)
		m.SetQuestion("xmpp.contoso.com.", dns.TypeA)
		m.Response, m.Rcode, m.Authoritative = true, rcode, aa
		m.Answer = rrs(t, answer...)
		return m
	}
	tests := []struct {
		name  string
		want  RRset
		m     *dns.Msg
		match bool
	}{
		{"same data", present, reply(dns.RcodeSuccess, true, "XMPP.contoso.com. 60 IN A 192.0.2.1"), true},
		{"other data", present, reply(dns.RcodeSuccess, true, "xmpp.contoso.com. 60 IN A 192.0.2.2"), false},
		{"extra record", present, reply(dns.RcodeSuccess, true, "xmpp.contoso.com. 60 IN A 192.0.2.1", "xmpp.contoso.com. 60 IN A 192.0.2.2"), false},
		{"not authoritative", present, reply(dns.RcodeSuccess, false, "xmpp.contoso.com. 60 IN A 192.0.2.1"), false},
		{"record of another owner ignored", present, reply(dns.RcodeSuccess, true, "other.contoso.com. 60 IN A 192.0.2.1"), false},
		{"NODATA when absent expected", absent, reply(dns.RcodeSuccess, true), true},
		{"NXDOMAIN when absent expected", absent, reply(dns.RcodeNameError, true), true},
		{"NXDOMAIN when present expected", present, reply(dns.RcodeNameError, true), false},
		{"alias when absent expected", absent, reply(dns.RcodeSuccess, true, "xmpp.contoso.com. 60 IN CNAME edge.contoso.com."), false},
		{"SERVFAIL", absent, reply(dns.RcodeServerFailure, true), false},
		{"REFUSED", absent, reply(dns.RcodeRefused, false), false},
	}
	for _, tt := range tests {
		got := setResultFromMsg(tt.want, tt.m)
		if got.Match != tt.match || got.Rcode != tt.m.Rcode {
			t.Errorf("%s: %+v, want match %v", tt.name, got, tt.match)
		}
	}
}
