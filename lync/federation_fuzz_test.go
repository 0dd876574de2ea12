package lync

import (
	"errors"
	"strings"
	"testing"

	"github.com/xmppfed/edgefailover/internal/dnsname"
)

// FuzzParseXmppUser feeds XMPP and SIP addresses, as flags or a config file
// give them, to their validators. An accepted address is one user@fqdn of
// the characters that need no escaping, and the SIP form accepts exactly
// what the XMPP form does behind "sip:".
func FuzzParseXmppUser(f *testing.F) {
	for _, s := range []string{"alice@fabrikam.com", "a.b_c-d+e@x.y", "@x.y", "a@b", "a@@b.c", "a b@c.d", "a@b.c.", "ä@b.c", strings.Repeat("a", 65) + "@b.c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		err := ParseXmppUser(s)
		sipErr := ParseSipAddress("sip:" + s)
		if (err == nil) != (sipErr == nil) {
			t.Fatalf("ParseXmppUser(%q) = %v but ParseSipAddress(sip:...) = %v", s, err, sipErr)
		}
		if err != nil {
			if !errors.Is(err, ErrInvalidInput) || !errors.Is(sipErr, ErrInvalidInput) {
				t.Fatalf("%q: errors %v / %v are not ErrInvalidInput", s, err, sipErr)
			}
			return
		}
		local, domain, _ := strings.Cut(s, "@")
		if local == "" || len(local) > 64 || strings.Count(s, "@") != 1 {
			t.Fatalf("ParseXmppUser accepted %q", s)
		}
		if strings.Trim(local, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-+") != "" {
			t.Fatalf("ParseXmppUser accepted the local part %q", local)
		}
		if _, err := dnsname.ParseFQDN(domain); err != nil {
			t.Fatalf("ParseXmppUser accepted the domain %q: %v", domain, err)
		}
	})
}
