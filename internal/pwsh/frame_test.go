package pwsh

import (
	"bytes"
	"encoding/base64"
	"errors"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"testing/iotest"
)

// wireTemplate reads the frame line of docs/wire.md §2, byte for byte.
func wireTemplate(t *testing.T) string {
	t.Helper()
	doc, err := os.ReadFile("../../docs/wire.md")
	if err != nil {
		t.Fatalf("read the wire contract: %v", err)
	}
	_, sec, ok := strings.Cut(string(doc), "## 2. The frame line")
	if !ok {
		t.Fatal("docs/wire.md has no section 2")
	}
	_, block, ok := strings.Cut(sec, "```\n")
	if !ok {
		t.Fatal("docs/wire.md §2 has no code block")
	}
	line, _, ok := strings.Cut(block, "\n```")
	if !ok || strings.Count(line, "\n") != 0 {
		t.Fatalf("docs/wire.md §2 code block is not one line: %q", line)
	}
	return line
}

func TestFrameLineMatchesWire(t *testing.T) {
	t.Parallel()
	tmpl := wireTemplate(t)
	if strings.Count(tmpl, "'<M>'") != 1 || strings.Count(tmpl, "'<B>'") != 1 {
		t.Fatalf("template holes not found in %q", tmpl)
	}
	const marker = "EF0123456789abcdef0123456789abcdef-7"
	inner := "Get-CsSite -Identity 'Site2'"
	want := strings.Replace(tmpl, "'<M>'", "'"+marker+"'", 1)
	want = strings.Replace(want, "'<B>'", "'"+base64.StdEncoding.EncodeToString([]byte(inner))+"'", 1)
	if got := FrameLine(marker, inner); got != want {
		t.Errorf("FrameLine =\n%s\nwant\n%s", got, want)
	}
}

func TestFrameLineEscapesMarker(t *testing.T) {
	t.Parallel()
	got := FrameLine("x'; Stop-Computer; '", "")
	if !strings.Contains(got, "$m = 'x''; Stop-Computer; '''; try") {
		t.Errorf("marker not escaped: %s", got)
	}
}

var markerRE = regexp.MustCompile(`^EF[0-9a-f]{32}-[1-9][0-9]*$`)

func TestMarker(t *testing.T) {
	t.Parallel()
	m, err := NewMarker(bytes.NewReader(bytes.Repeat([]byte{0xab, 0x01}, 8)))
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []string{"EFab01ab01ab01ab01ab01ab01ab01ab01-1", "EFab01ab01ab01ab01ab01ab01ab01ab01-2"} {
		if got := m.Next(); got != want {
			t.Errorf("Next #%d = %q, want %q", i+1, got, want)
		}
	}

	// Concurrent callers never get the same marker.
	var mu sync.Mutex
	seen := map[string]bool{}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 100 {
				s := m.Next()
				if !markerRE.MatchString(s) {
					t.Errorf("marker %q does not match %v", s, markerRE)
				}
				mu.Lock()
				if seen[s] {
					t.Errorf("marker %q handed out twice", s)
				}
				seen[s] = true
				mu.Unlock()
			}
		})
	}
	wg.Wait()
}

func TestNewMarkerShortRead(t *testing.T) {
	t.Parallel()
	for _, r := range []interface{ Read([]byte) (int, error) }{
		bytes.NewReader(make([]byte, 15)),
		iotest.ErrReader(errors.New("no entropy")),
	} {
		if m, err := NewMarker(r); err == nil {
			t.Errorf("NewMarker = %v, want an error", m)
		}
	}
}
