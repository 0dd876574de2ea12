package testpeer_test

import (
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"
	"github.com/xmppfed/edgefailover/internal/testpeer"
)

const bindZone = `$TTL 300
@    IN SOA ns1 hostmaster 1 3600 600 86400 60
@    IN NS  ns1
ns1  IN A   127.0.0.1
`

func TestStartBIND(t *testing.T) {
	b := testpeer.StartBIND(t, "example.test", bindZone)
	if strings.Contains(b.String(), b.Secret) {
		t.Fatal("String shows the secret")
	}
	send := func(key, secret string) (*dns.Msg, error) {
		m := new(dns.Msg)
		m.SetUpdate(b.Zone)
		a, _ := dns.NewRR("xmpp.example.test. 60 IN A 192.0.2.10")
		m.Insert([]dns.RR{a})
		c := &dns.Client{Net: "tcp", Timeout: 2 * time.Second}
		if key != "" {
			m.SetTsig(key, b.Algorithm, 300, time.Now().Unix())
			c.TsigSecret = map[string]string{key: secret}
		}
		r, _, err := c.Exchange(m, b.Addr)
		return r, err
	}
	if r, _ := send("", ""); r == nil || r.Rcode != dns.RcodeRefused {
		t.Fatalf("unsigned update: %v, want REFUSED", r)
	}
	if r, _ := send("other-key.", b.Secret); r == nil || r.Rcode != dns.RcodeNotAuth || r.IsTsig() == nil || r.IsTsig().Error != dns.RcodeBadKey {
		t.Fatalf("unknown key: %v, want NOTAUTH with BADKEY", r)
	}
	if r, err := send(b.KeyName, b.Secret); err != nil || r.Rcode != dns.RcodeSuccess {
		t.Fatalf("signed update: %v %v", err, r)
	}
	for _, network := range []string{"udp", "tcp"} {
		m := new(dns.Msg)
		m.SetQuestion("xmpp.example.test.", dns.TypeA)
		r, _, err := (&dns.Client{Net: network, Timeout: 2 * time.Second}).Exchange(m, b.Addr)
		if err != nil || !r.Authoritative || len(r.Answer) != 1 {
			t.Fatalf("%s query after the update: %v %v", network, err, r)
		}
	}
}
