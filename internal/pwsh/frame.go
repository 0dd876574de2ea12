package pwsh

import (
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync/atomic"
)

// Marker hands out the frame markers of one session (wire.md §2): "EF", 32
// lower-case hex digits drawn once, "-" and a sequence number that grows with
// each call of Next, starting at 1. It is safe for concurrent use.
type Marker struct {
	session string
	seq     atomic.Uint64
}

// NewMarker draws the session part of the markers from r, which is
// crypto/rand.Reader in production.
func NewMarker(r io.Reader) (*Marker, error) {
	var b [16]byte
	if _, err := io.ReadFull(r, b[:]); err != nil {
		return nil, fmt.Errorf("pwsh: draw frame marker: %w", err)
	}
	return &Marker{session: "EF" + hex.EncodeToString(b[:])}, nil
}

// Next returns the next marker, e.g. "EF0123456789abcdef0123456789abcdef-7".
func (m *Marker) Next() string {
	return m.session + "-" + strconv.FormatUint(m.seq.Add(1), 10)
}

// The frame line of wire.md §2, split at its two holes.
const (
	frameHead = `& { $ErrorActionPreference = 'Stop'; $m = '`
	frameMid  = `'; try { $o = @(& ([ScriptBlock]::Create([Text.Encoding]::UTF8.GetString([Convert]::FromBase64String('`
	frameTail = `'))))); [Console]::Out.WriteLine($m + ':ok:' + [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes((ConvertTo-Json -InputObject $o -Depth 4 -Compress)))) } catch { $e = $_; [Console]::Out.WriteLine($m + ':err:' + [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes((ConvertTo-Json -Compress -InputObject @{ Type = $e.Exception.GetType().FullName; Message = $e.Exception.Message; FullyQualifiedErrorId = [string]$e.FullyQualifiedErrorId; Category = [string]$e.CategoryInfo.Category; Cmdlet = [string]$e.InvocationInfo.MyCommand.Name })))) } }`
)

// FrameLine wraps the inner script in the frame line of wire.md §2, with
// marker (from Marker.Next) and the base64 of inner's UTF-8 bytes at the holes.
// The line has no line break; the caller adds "\r\n" for stdin. A marker that
// holds a quote character is escaped as in Quote, so it cannot break the line.
func FrameLine(marker, inner string) string {
	q := Quote(marker)
	return frameHead + q[1:len(q)-1] + frameMid + base64.StdEncoding.EncodeToString([]byte(inner)) + frameTail
}

// ErrorRecord is the error a script threw on the host (wire.md §3 and §5).
// Match on FullyQualifiedErrorId and Category, never on Message.
type ErrorRecord struct {
	Type                  string `json:"Type"`                  // .NET exception type
	Message               string `json:"Message"`               // exception message, for people
	FullyQualifiedErrorId string `json:"FullyQualifiedErrorId"` // e.g. "CommandNotFoundException"
	Category              string `json:"Category"`              // e.g. "ObjectNotFound"
	Cmdlet                string `json:"Cmdlet"`                // may be empty
}

// Result is the outcome of one framed script: Output on success, Err when the
// script threw.
type Result struct {
	Marker string
	Output json.RawMessage // the JSON array of output objects; nil when Err is set
	Err    *ErrorRecord
}

// okTag and errTag follow the marker on a result line.
const (
	okTag  = ":ok:"
	errTag = ":err:"
)

// ResultLine returns the stdout line (without line break) that a host writes
// for res: what the frame line prints. Fake hosts and tests use it.
func ResultLine(res *Result) (string, error) {
	if res.Err != nil {
		b, err := json.Marshal(res.Err)
		if err != nil {
			return "", err
		}
		return res.Marker + errTag + base64.StdEncoding.EncodeToString(b), nil
	}
	out := res.Output
	if out == nil {
		out = json.RawMessage("[]")
	}
	if !isJSONArray(out) {
		return "", &FrameError{Reason: "output is not a JSON array", Excerpt: excerpt(out)}
	}
	return res.Marker + okTag + base64.StdEncoding.EncodeToString(out), nil
}

// isJSONArray reports whether b is valid JSON whose value is an array.
func isJSONArray(b []byte) bool {
	t := strings.TrimLeft(string(b), " \t\r\n")
	return strings.HasPrefix(t, "[") && json.Valid(b)
}
