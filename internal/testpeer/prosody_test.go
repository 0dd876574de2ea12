package testpeer_test

import (
	"encoding/xml"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/xmppfed/edgefailover/internal/testpeer"
)

func TestStartProsody(t *testing.T) {
	t.Parallel()
	p := testpeer.StartProsody(t, "peer.test")
	if p.Cert == nil || len(p.Cert.DNSNames) != 1 || p.Cert.DNSNames[0] != "peer.test" || p.Cert.VerifyHostname("peer.test") != nil {
		t.Fatalf("certificate = %+v", p.Cert)
	}
	c, err := net.DialTimeout("tcp", p.S2SAddr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	_, err = io.WriteString(c, "<?xml version='1.0'?><stream:stream xmlns='jabber:server' "+
		"xmlns:stream='http://etherx.jabber.org/streams' xmlns:db='jabber:server:dialback' "+
		"from='probe.example' to='peer.test' version='1.0'>")
	if err != nil {
		t.Fatal(err)
	}
	dec := xml.NewDecoder(c)
	for {
		tok, err := dec.Token()
		if err != nil {
			t.Fatalf("no stream header: %v\nlog:\n%s", err, p.Log())
		}
		if se, ok := tok.(xml.StartElement); ok {
			var from string
			for _, a := range se.Attr {
				if a.Name.Local == "from" {
					from = a.Value
				}
			}
			if se.Name.Local != "stream" || from != "peer.test" {
				t.Errorf("answer <%s from=%q>", se.Name.Local, from)
			}
			break
		}
	}
	if !strings.Contains(p.Log(), "Activated service 's2s'") {
		t.Errorf("log lacks the s2s activation:\n%s", p.Log())
	}
}
