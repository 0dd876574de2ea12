package pwsh

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

const testMarker = "EF0123456789abcdef0123456789abcdef-7"

// hostLine writes a result line the way the frame line does on a host:
// marker, tag, base64 of the UTF-8 JSON.
func hostLine(marker, tag, js string) string {
	return marker + ":" + tag + ":" + base64.StdEncoding.EncodeToString([]byte(js))
}

const errJSON = `{"Type":"System.Management.Automation.CommandNotFoundException","Message":"The term 'Get-CsSite' is not recognized as the name of a cmdlet, function, script file, or operable program.","FullyQualifiedErrorId":"CommandNotFoundException","Category":"ObjectNotFound","Cmdlet":""}`

var errRecord = &ErrorRecord{
	Type:                  "System.Management.Automation.CommandNotFoundException",
	Message:               "The term 'Get-CsSite' is not recognized as the name of a cmdlet, function, script file, or operable program.",
	FullyQualifiedErrorId: "CommandNotFoundException",
	Category:              "ObjectNotFound",
}

func TestParseFrame(t *testing.T) {
	t.Parallel()
	okLine := hostLine(testMarker, "ok", `[{"Identity":"Site:Site2","SiteId":2}]`)
	tests := []struct {
		name    string
		out     string
		want    *Result
		wantErr error
	}{
		{"ok crlf", okLine + "\r\n", &Result{Marker: testMarker, Output: json.RawMessage(`[{"Identity":"Site:Site2","SiteId":2}]`)}, nil},
		{"ok lf, no final break", "banner\n" + okLine, &Result{Marker: testMarker, Output: json.RawMessage(`[{"Identity":"Site:Site2","SiteId":2}]`)}, nil},
		{"empty array", hostLine(testMarker, "ok", "[]") + "\r\n", &Result{Marker: testMarker, Output: json.RawMessage(`[]`)}, nil},
		{"strings", hostLine(testMarker, "ok", `["a","b"]`) + "\n", &Result{Marker: testMarker, Output: json.RawMessage(`["a","b"]`)}, nil},
		{"err", "WARNING: x\r\n" + hostLine(testMarker, "err", errJSON) + "\r\n", &Result{Marker: testMarker, Err: errRecord}, nil},
		{"err keys in any order, extra keys", hostLine(testMarker, "err", `{"Cmdlet":"Get-CsSite","Category":"ObjectNotFound","X":1,"FullyQualifiedErrorId":"f","Message":"m","Type":"t"}`),
			&Result{Marker: testMarker, Err: &ErrorRecord{Type: "t", Message: "m", FullyQualifiedErrorId: "f", Category: "ObjectNotFound", Cmdlet: "Get-CsSite"}}, nil},
		{"other markers are noise", hostLine(testMarker+"0", "ok", `[1]`) + "\n" + hostLine("EF0123456789abcdef0123456789abcdef-6", "err", "{}") + "\n" + okLine + "\n",
			&Result{Marker: testMarker, Output: json.RawMessage(`[{"Identity":"Site:Site2","SiteId":2}]`)}, nil},
		{"BOM first", "\xEF\xBB\xBF" + okLine + "\r\n", &Result{Marker: testMarker, Output: json.RawMessage(`[{"Identity":"Site:Site2","SiteId":2}]`)}, nil},
		{"first frame wins", hostLine(testMarker, "ok", "[1]") + "\n" + hostLine(testMarker, "ok", "[2]") + "\n", &Result{Marker: testMarker, Output: json.RawMessage(`[1]`)}, nil},
		{"marker not at line start", "x" + okLine + "\n", nil, ErrNoFrame},
		{"empty", "", nil, ErrNoFrame},
		{"only noise", "PS C:\\> \r\n\r\n", nil, ErrNoFrame},
		{"ok not array", hostLine(testMarker, "ok", `{"a":1}`), nil, ErrMalformed},
		{"ok bad JSON", hostLine(testMarker, "ok", `[1,`), nil, ErrMalformed},
		{"ok empty payload", testMarker + ":ok:", nil, ErrMalformed},
		{"err not object", hostLine(testMarker, "err", `["x"]`), nil, ErrMalformed},
		{"err null", hostLine(testMarker, "err", `null`), nil, ErrMalformed},
		{"err wrong type", hostLine(testMarker, "err", `{"Type":5}`), nil, ErrMalformed},
		{"bad base64", testMarker + ":ok:W10", nil, ErrMalformed},
		{"base64 with space", testMarker + ":ok:W1 0=", nil, ErrMalformed},
		{"base64 with inner CR", testMarker + ":ok:W1\r0=\r\n", nil, ErrMalformed},
		{"non-canonical base64", testMarker + ":ok:W11=", nil, ErrMalformed},
		{"unknown tag", hostLine(testMarker, "warn", `[]`), nil, ErrMalformed},
		{"no tag", testMarker + ":", nil, ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseFrame([]byte(tt.out), testMarker)
			if tt.wantErr != nil {
				var fe *FrameError
				if !errors.Is(err, tt.wantErr) || !errors.As(err, &fe) {
					t.Fatalf("ParseFrame = %v, %v; want a *FrameError matching %v", got, err, tt.wantErr)
				}
				if len(fe.Excerpt) > MaxExcerpt || fe.Reason == "" {
					t.Errorf("FrameError = %+v", fe)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParseFrame (-want +got):\n%s", diff)
			}
		})
	}
}

// TestFrameReaderEverySplit feeds a host's output in two chunks split at
// every byte position, and in three chunks around the frame line.
func TestFrameReaderEverySplit(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		js, tag string
		want    *Result
	}{
		{`[{"Name":"Ã©","Status":"Running"}]`, "ok", &Result{Marker: testMarker, Output: json.RawMessage(`[{"Name":"Ã©","Status":"Running"}]`)}},
		{errJSON, "err", &Result{Marker: testMarker, Err: errRecord}},
	} {
		out := []byte("WARNING: noise\r\n" + hostLine("EF0123456789abcdef0123456789abcdef-6", "ok", "[]") + "\r\n" +
			hostLine(testMarker, tc.tag, tc.js) + "\r\ntrailing noise\r\n")
		check := func(chunks ...[]byte) {
			t.Helper()
			r := NewFrameReader(testMarker)
			for _, c := range chunks {
				if n, err := r.Write(c); err != nil || n != len(c) {
					t.Fatalf("Write(%q) = %d, %v", c, n, err)
				}
			}
			got, ok := r.Result()
			if !ok {
				t.Fatalf("no result after chunks %q", chunks)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Fatalf("chunks %q (-want +got):\n%s", chunks, diff)
			}
		}
		for i := 0; i <= len(out); i++ {
			check(out[:i], out[i:])
		}
		for i := 0; i < len(out); i += 7 {
			for j := i; j <= len(out); j += 5 {
				check(out[:i], out[i:j], out[j:])
			}
		}
		// One byte at a time.
		chunks := make([][]byte, len(out))
		for i := range out {
			chunks[i] = out[i : i+1]
		}
		check(chunks...)
	}
}

func TestFrameReaderNoise(t *testing.T) {
	t.Parallel()
	r := NewFrameReader(testMarker)
	long := strings.Repeat("é", 300) // 600 bytes
	for _, s := range []string{"first\r\n", "\r\n", long + "\r\n", "last line\n"} {
		if _, err := r.Write([]byte(s)); err != nil {
			t.Fatal(err)
		}
	}
	if _, ok := r.Result(); ok {
		t.Fatal("Result from noise only")
	}
	got := r.Noise()
	if len(got) > MaxExcerpt || !utf8.ValidString(got) || !strings.HasSuffix(got, "éé\nlast line") || strings.Contains(got, "first") {
		t.Errorf("Noise = %q (%d bytes)", got, len(got))
	}
}

func TestFrameReaderBounds(t *testing.T) {
	t.Parallel()
	t.Run("long noise line is skipped", func(t *testing.T) {
		t.Parallel()
		r := NewFrameReader(testMarker)
		r.maxLine = 100
		noise := bytes.Repeat([]byte("x"), 1000)
		for i := 0; i < len(noise); i += 30 {
			if _, err := r.Write(noise[i:min(i+30, len(noise))]); err != nil {
				t.Fatal(err)
			}
			if len(r.pending) > r.maxLine {
				t.Fatalf("pending grew to %d bytes", len(r.pending))
			}
		}
		// A marker at the end of the skipped line is not a frame.
		if _, err := r.Write([]byte(hostLine(testMarker, "ok", "[1]") + "\n" + hostLine(testMarker, "ok", "[2]") + "\n")); err != nil {
			t.Fatal(err)
		}
		res, ok := r.Result()
		if !ok || string(res.Output) != "[2]" {
			t.Fatalf("Result = %+v, %v; want [2]", res, ok)
		}
	})
	t.Run("long frame line is an error", func(t *testing.T) {
		t.Parallel()
		r := NewFrameReader(testMarker)
		r.maxLine = 100
		line := []byte(hostLine(testMarker, "ok", "["+strings.Repeat("1,", 100)+"1]"))
		_, err := r.Write(line)
		var fe *FrameError
		if !errors.As(err, &fe) || !errors.Is(err, ErrMalformed) || len(fe.Excerpt) > MaxExcerpt {
			t.Fatalf("Write = %v, want a *FrameError", err)
		}
		if _, err2 := r.Write([]byte("\n")); err2 != err {
			t.Errorf("later Write = %v, want the same error", err2)
		}
	})
}

func TestResultLine(t *testing.T) {
	t.Parallel()
	for _, res := range []*Result{
		{Marker: testMarker, Output: json.RawMessage(`[1,"a"]`)},
		{Marker: testMarker, Err: errRecord},
	} {
		line, err := ResultLine(res)
		if err != nil {
			t.Fatal(err)
		}
		got, err := ParseFrame([]byte(line+"\r\n"), testMarker)
		if err != nil || !cmp.Equal(got, res) {
			t.Errorf("ParseFrame(ResultLine(%+v)) = %+v, %v", res, got, err)
		}
	}
	if line, _ := ResultLine(&Result{Marker: "M"}); line != "M:ok:W10=" {
		t.Errorf("ResultLine of no output = %q, want M:ok:W10=", line)
	}
	if _, err := ResultLine(&Result{Marker: "M", Output: json.RawMessage(`{}`)}); !errors.Is(err, ErrMalformed) {
		t.Errorf("ResultLine of an object = %v, want ErrMalformed", err)
	}
}
