package pwsh

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
)

// MaxFrameLine is the longest result line a FrameReader accepts, in bytes.
// Longer lines of other output are skipped; a longer frame is an error.
const MaxFrameLine = 16 << 20

var _ io.Writer = (*FrameReader)(nil)

// FrameReader finds the result line of one frame (wire.md §3) in the stdout of
// a host. Write stdout to it in chunks split anywhere; lines end with "\n" or
// "\r\n", and a UTF-8 byte order mark before the marker is ignored. Lines that
// do not start with the marker are noise: they are skipped and the last
// MaxExcerpt bytes of them are kept for Noise. Once a frame is read, Result
// returns it and later output is ignored. Memory stays below MaxFrameLine plus
// a little. A FrameReader is not safe for concurrent use.
type FrameReader struct {
	prefix  []byte // marker + ":"
	marker  string
	maxLine int
	pending []byte // the current line so far
	discard bool   // skipping the rest of an overlong noise line
	noise   []byte
	res     *Result
	err     error
}

// NewFrameReader returns a reader for the frame of marker, a value of
// Marker.Next.
func NewFrameReader(marker string) *FrameReader {
	return &FrameReader{marker: marker, prefix: []byte(marker + ":"), maxLine: MaxFrameLine}
}

// Write consumes a chunk of stdout. It returns a *FrameError (matching
// ErrMalformed) when the frame line of the marker is malformed or longer than
// MaxFrameLine; that error is then returned by every later call.
func (r *FrameReader) Write(p []byte) (int, error) {
	if r.err != nil {
		return 0, r.err
	}
	total := len(p)
	for len(p) > 0 && r.res == nil {
		seg, rest, complete := bytes.Cut(p, []byte{'\n'})
		p = rest
		if r.discard {
			r.discard = !complete
			continue
		}
		if len(r.pending)+len(seg) > r.maxLine {
			head := make([]byte, 0, len(r.prefix)) // the start of the line, without copying it all
			head = append(head, r.pending[:min(len(r.pending), len(r.prefix))]...)
			head = append(head, seg[:min(len(seg), len(r.prefix)-len(head))]...)
			if bytes.Equal(head, r.prefix) {
				r.err = &FrameError{Reason: fmt.Sprintf("frame line longer than %d bytes", r.maxLine), Excerpt: excerpt(head)}
				return total - len(p), r.err
			}
			if len(r.pending) > 0 {
				r.addNoise(r.pending)
			} else {
				r.addNoise(seg)
			}
			r.pending, r.discard = r.pending[:0], !complete
			continue
		}
		if !complete {
			r.pending = append(r.pending, seg...)
			break
		}
		line := seg
		if len(r.pending) > 0 {
			line = append(r.pending, seg...)
		}
		r.pending = r.pending[:0]
		if err := r.line(line); err != nil {
			r.err = err
			return total - len(p), err
		}
	}
	return total, nil
}

// Result returns the frame once its line has been read.
func (r *FrameReader) Result() (*Result, bool) { return r.res, r.res != nil }

// Noise returns the last bytes (at most MaxExcerpt) of the lines that were not
// the frame, joined by "\n", as valid UTF-8. It helps to explain a missing frame.
func (r *FrameReader) Noise() string {
	b := r.noise
	for len(b) > 0 && b[0]&0xC0 == 0x80 { // do not start inside a rune
		b = b[1:]
	}
	return excerpt(b)
}

func (r *FrameReader) addNoise(line []byte) {
	line = bytes.TrimRight(line, "\r")
	if len(line) == 0 {
		return
	}
	if len(r.noise) > 0 {
		r.noise = append(r.noise, '\n')
	}
	r.noise = append(r.noise, line[max(0, len(line)-MaxExcerpt):]...)
	if n := len(r.noise); n > MaxExcerpt {
		r.noise = append(r.noise[:0], r.noise[n-MaxExcerpt:]...)
	}
}

// finish reads a last line that has no line break.
func (r *FrameReader) finish() error {
	if r.err != nil || r.res != nil || r.discard || len(r.pending) == 0 {
		return r.err
	}
	line := r.pending
	r.pending = nil
	r.err = r.line(line)
	return r.err
}

// line handles one complete line, without its "\n".
func (r *FrameReader) line(line []byte) error {
	line = bytes.TrimSuffix(line, []byte{'\r'})
	line = bytes.TrimPrefix(line, []byte("\xEF\xBB\xBF")) // a UTF-8 BOM a writer may put first
	rest, ours := bytes.CutPrefix(line, r.prefix)
	if !ours {
		r.addNoise(line)
		return nil
	}
	res, err := decodeFrame(r.marker, rest)
	if err != nil {
		return &FrameError{Reason: err.Error(), Excerpt: excerpt(line)}
	}
	r.res = res
	return nil
}

// decodeFrame decodes "ok:<base64>" or "err:<base64>".
func decodeFrame(marker string, rest []byte) (*Result, error) {
	tag, payload, _ := bytes.Cut(rest, []byte{':'})
	for _, c := range payload {
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/' || c == '=') {
			return nil, fmt.Errorf("payload is not base64: byte %q", c)
		}
	}
	js := make([]byte, base64.StdEncoding.DecodedLen(len(payload)))
	n, err := base64.StdEncoding.Strict().Decode(js, payload)
	if err != nil {
		return nil, fmt.Errorf("payload is not base64: %v", err)
	}
	js = js[:n]
	switch string(tag) {
	case "ok":
		if !isJSONArray(js) {
			return nil, fmt.Errorf("ok payload is not a JSON array")
		}
		return &Result{Marker: marker, Output: json.RawMessage(js)}, nil
	case "err":
		rec := new(ErrorRecord)
		if t := bytes.TrimLeft(js, " \t\r\n"); len(t) == 0 || t[0] != '{' {
			return nil, fmt.Errorf("err payload is not a JSON object")
		}
		if err := json.Unmarshal(js, rec); err != nil {
			return nil, fmt.Errorf("err payload is not an error record: %v", err)
		}
		return &Result{Marker: marker, Err: rec}, nil
	}
	return nil, fmt.Errorf("unknown result tag %q", excerpt(tag))
}

// ParseFrame finds the frame of marker in the whole stdout of a host, as
// FrameReader does; a last line needs no line break. It returns a *FrameError
// matching ErrNoFrame, with an excerpt of out, when no line carries the marker.
func ParseFrame(out []byte, marker string) (*Result, error) {
	r := NewFrameReader(marker)
	if _, err := r.Write(out); err != nil {
		return nil, err
	}
	if err := r.finish(); err != nil {
		return nil, err
	}
	if res, ok := r.Result(); ok {
		return res, nil
	}
	return nil, &FrameError{Reason: fmt.Sprintf("no line starts with %q", marker+":"), Excerpt: excerpt(out), Err: ErrNoFrame}
}
