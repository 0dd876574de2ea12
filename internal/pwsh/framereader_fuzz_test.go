package pwsh

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// FuzzFrameReader feeds arbitrary output in arbitrary chunks: no panic,
// bounded memory, and either a result that re-encodes to a line of the input
// or a typed error; chunking never changes the outcome.
func FuzzFrameReader(f *testing.F) {
	f.Add([]byte(hostLine(testMarker, "ok", `[{"a":1}]`)+"\r\n"), []byte{3, 9})
	f.Add([]byte("noise\n"+hostLine(testMarker, "err", errJSON)+"\n"), []byte{1})
	f.Add([]byte(testMarker+":ok:W10=\r\r\n"), []byte{0, 40})
	f.Add([]byte(testMarker+":err:e30=\n"), []byte{})
	f.Add([]byte(strings.Repeat("x", 300)+testMarker+":ok:W10=\n"), []byte{200})
	f.Fuzz(func(t *testing.T, data, cuts []byte) {
		whole := NewFrameReader(testMarker)
		whole.maxLine = 256
		_, wholeErr := whole.Write(data)

		r := NewFrameReader(testMarker)
		r.maxLine = 256
		rest := data
		var err error
		for i := 0; len(rest) > 0 && err == nil; i++ {
			n := len(rest)
			if i < len(cuts) {
				n = min(n, int(cuts[i]))
			}
			_, err = r.Write(rest[:n])
			rest = rest[n:]
			if len(r.pending) > r.maxLine || len(r.noise) > MaxExcerpt {
				t.Fatalf("memory: pending %d, noise %d", len(r.pending), len(r.noise))
			}
		}
		if (err == nil) != (wholeErr == nil) {
			t.Fatalf("chunked error %v, whole error %v", err, wholeErr)
		}
		if n := r.Noise(); len(n) > MaxExcerpt || !utf8.ValidString(n) {
			t.Fatalf("Noise = %q", n)
		}
		if err != nil {
			var fe *FrameError
			if !errors.As(err, &fe) || !errors.Is(err, ErrMalformed) || len(fe.Excerpt) > MaxExcerpt || !utf8.ValidString(fe.Excerpt) {
				t.Fatalf("error %#v is not a bounded *FrameError", err)
			}
			return
		}
		res, ok := r.Result()
		wres, wok := whole.Result()
		if ok != wok || !cmp.Equal(res, wres) {
			t.Fatalf("chunked %+v, whole %+v", res, wres)
		}
		if !ok {
			return
		}
		line, err := ResultLine(res)
		if err != nil {
			t.Fatalf("ResultLine(%+v): %v", res, err)
		}
		if res.Err == nil && !bytes.Contains(data, []byte(line)) {
			t.Fatalf("re-encoded %q is not in the input", line)
		}
		again, err := ParseFrame([]byte(line), testMarker)
		if err != nil || !cmp.Equal(again, res) {
			t.Fatalf("re-read %+v, %v; want %+v", again, err, res)
		}
	})
}

// FuzzParseFrame: no panic, and a result or a bounded typed error.
func FuzzParseFrame(f *testing.F) {
	f.Add([]byte(hostLine(testMarker, "ok", `["a"]`)))
	f.Add([]byte(hostLine(testMarker, "err", errJSON) + "\r\n"))
	f.Add([]byte("\xff\xfe" + testMarker + ":ok:\n"))
	f.Fuzz(func(t *testing.T, out []byte) {
		res, err := ParseFrame(out, testMarker)
		if err != nil {
			var fe *FrameError
			if res != nil || !errors.As(err, &fe) || len(fe.Excerpt) > MaxExcerpt || !utf8.ValidString(fe.Excerpt) ||
				!(errors.Is(err, ErrMalformed) || errors.Is(err, ErrNoFrame)) {
				t.Fatalf("ParseFrame = %+v, %#v", res, err)
			}
			return
		}
		if res.Marker != testMarker || (res.Err == nil) == (res.Output == nil) {
			t.Fatalf("Result = %+v", res)
		}
		if res.Err == nil && !isJSONArray(res.Output) {
			t.Fatalf("Output %q is not an array", res.Output)
		}
	})
}
