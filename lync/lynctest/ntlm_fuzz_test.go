package lynctest

import (
	"testing"
	"time"
)

// FuzzNTLMMessages feeds client NTLM messages (NEGOTIATE, AUTHENTICATE) and
// encrypted bodies to the acceptor's parsers: they may refuse them, never
// panic.
func FuzzNTLMMessages(f *testing.F) {
	neg := append(append([]byte(nil), ntlmSignature...), 1, 0, 0, 0, 0x35, 0x82, 0x08, 0xe2)
	f.Add(neg)
	auth := append(append([]byte(nil), ntlmSignature...), 3, 0, 0, 0)
	f.Add(append(auth, make([]byte, 80)...))
	f.Add(buildEncrypted(contentType, 3, make([]byte, 16), []byte("abc")))
	tg := ntlmTarget{domain: "CONTOSO", dnsDomain: "contoso.com", computer: "FE01", dnsComputer: "fe01.contoso.com"}
	f.Fuzz(func(t *testing.T, b []byte) {
		if c, err := newNTLMChallenge(b, tg, time.Unix(0, 0)); err == nil {
			if _, err := parseAuthenticate(c.message); err == nil {
				t.Fatal("a CHALLENGE parsed as AUTHENTICATE")
			}
		}
		if a, err := parseAuthenticate(b); err == nil {
			c := &ntlmChallenge{flags: a.flags | ntlmKeyExch}
			_, _ = c.verify(a, "Password")
			_ = avFlagsMIC(a.nt[16:])
		}
		if e, err := parseEncrypted(b); err == nil && len(e.sealed) != e.length {
			t.Fatalf("sealed %d bytes, declared %d", len(e.sealed), e.length)
		}
		_ = bodyKindOf(string(b), len(b))
	})
}
