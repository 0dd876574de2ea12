package pwsh

import (
	"strings"
	"testing"
)

func BenchmarkQuote(b *testing.B) {
	s := strings.Repeat("edgepool2.contoso.com'\u2019", 4)
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		_ = Quote(s)
	}
}

// BenchmarkFrameReader reads a 64 KiB result line in 4 KiB chunks.
func BenchmarkFrameReader(b *testing.B) {
	out := []byte("noise\r\n" + hostLine(testMarker, "ok", "["+strings.Repeat(`"x",`, 16<<10)+`"x"]`) + "\r\n")
	b.SetBytes(int64(len(out)))
	for b.Loop() {
		r := NewFrameReader(testMarker)
		for i := 0; i < len(out); i += 4096 {
			if _, err := r.Write(out[i:min(i+4096, len(out))]); err != nil {
				b.Fatal(err)
			}
		}
		if _, ok := r.Result(); !ok {
			b.Fatal("no result")
		}
	}
}
