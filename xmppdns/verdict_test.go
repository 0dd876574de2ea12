package xmppdns

import (
	"encoding/json"
	"strings"
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

func TestReportRendering(t *testing.T) {
	t.Parallel()
	rep := &Report{Zone: "example.test.", Servers: []NameserverResult{
		{Nameserver: Nameserver{Host: "ns1.example.test.", Addr: "127.0.0.1:53"}, Match: true, Sets: []SetResult{
			{Name: "xmpp.example.test.", Type: "A", Rcode: 0, Authoritative: true, Seen: []string{"192.0.2.1"}, Match: true},
		}},
		{Nameserver: Nameserver{Host: "ns2.example.test.", Addr: "127.0.0.1:54"}, Sets: []SetResult{
			{Name: "xmpp.example.test.", Type: "A", Rcode: dns.RcodeServerFailure},
		}},
		{Nameserver: Nameserver{Host: "ns3.example.test.", Addr: "127.0.0.1:55"}, Sets: []SetResult{
			{Name: "xmpp.example.test.", Type: "A", Rcode: -1, Err: &QueryError{Server: "127.0.0.1:55", Name: "xmpp.example.test.", Type: "A", Rcode: -1, Err: ErrNoAnswer}},
		}},
		{Nameserver: Nameserver{Host: "ns4.example.net."}, Err: &QueryError{Server: "ns4.example.net.", Name: "ns4.example.net.", Type: "A/AAAA", Rcode: -1, Err: ErrNoAnswer}},
	}}
	want := `zone example.test.: NOT converged
ns1.example.test. 127.0.0.1:53 A xmpp.example.test.: ok
ns2.example.test. 127.0.0.1:54 A xmpp.example.test.: MISMATCH rcode SERVFAIL, authoritative false, seen (none)
ns3.example.test. 127.0.0.1:55 A xmpp.example.test.: NO ANSWER: xmppdns: xmpp.example.test. A at 127.0.0.1:55: xmppdns: no usable DNS answer
ns4.example.net.: cannot be asked: xmppdns: ns4.example.net. A/AAAA at ns4.example.net.: xmppdns: no usable DNS answer`
	if got := rep.String(); got != want {
		t.Errorf("String:\n%s\nwant:\n%s", got, want)
	}
	b, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	var back struct {
		Servers []struct {
			Host  string `json:"host"`
			Error string `json:"error"`
			Sets  []struct {
				Match bool   `json:"match"`
				Error string `json:"error"`
			} `json:"sets"`
		} `json:"servers"`
	}
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back.Servers[0].Host != "ns1.example.test." || !back.Servers[0].Sets[0].Match ||
		!strings.Contains(back.Servers[2].Sets[0].Error, "no usable DNS answer") ||
		!strings.Contains(back.Servers[3].Error, "no usable DNS answer") {
		t.Errorf("JSON lost data: %s", b)
	}
}
