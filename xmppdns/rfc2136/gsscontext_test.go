package rfc2136

import (
	"encoding/hex"
	"errors"
	"testing"

	"github.com/miekg/dns"
)

func TestGSSVerifyTellsTheAcceptorsMICFromAnEcho(t *testing.T) {
	t.Parallel()
	g := fuzzContext()
	msg := []byte("the TSIG digest input")
	tsig := func(mac []byte) *dns.TSIG {
		return &dns.TSIG{Hdr: dns.RR_Header{Name: g.keyName}, Algorithm: GSSAlgorithm, MAC: hex.EncodeToString(mac)}
	}
	if err := g.Verify(msg, tsig(acceptorMIC(t, g, msg, 1))); err != nil {
		t.Fatalf("the acceptor's MIC: %v", err)
	}
	mine, err := g.Generate(msg, tsig(nil))
	if err != nil {
		t.Fatal(err)
	}
	if err := g.Verify(msg, tsig(mine)); !errors.Is(err, ErrSignatureEchoed) || !errors.Is(err, dns.ErrSig) {
		t.Fatalf("our own MIC sent back: %v, want ErrSignatureEchoed", err)
	}
	if err := g.Verify([]byte("another message"), tsig(acceptorMIC(t, g, msg, 2))); !errors.Is(err, dns.ErrSig) {
		t.Fatalf("a MIC over another message: %v", err)
	}
	other := *tsig(acceptorMIC(t, g, msg, 3))
	other.Algorithm = dns.HmacSHA256
	if err := g.Verify(msg, &other); !errors.Is(err, dns.ErrKeyAlg) {
		t.Fatalf("another algorithm: %v", err)
	}
	if a, b := must(g.Generate(msg, tsig(nil))), must(g.Generate(msg, tsig(nil))); hex.EncodeToString(a) == hex.EncodeToString(b) {
		t.Fatal("two signatures share a sequence number")
	}
}

func must(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}
