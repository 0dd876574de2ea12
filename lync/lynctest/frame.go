package lynctest

import (
	"context"
	"encoding/base64"
	"strings"
	"unicode/utf8"
)

// frameTemplate is the frame line of docs/wire.md §2, with its two holes.
const frameTemplate = `& { $ErrorActionPreference = 'Stop'; $m = '<M>'; try { $o = @(& ([ScriptBlock]::Create([Text.Encoding]::UTF8.GetString([Convert]::FromBase64String('<B>'))))); [Console]::Out.WriteLine($m + ':ok:' + [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes((ConvertTo-Json -InputObject $o -Depth 4 -Compress)))) } catch { $e = $_; [Console]::Out.WriteLine($m + ':err:' + [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes((ConvertTo-Json -Compress -InputObject @{ Type = $e.Exception.GetType().FullName; Message = $e.Exception.Message; FullyQualifiedErrorId = [string]$e.FullyQualifiedErrorId; Category = [string]$e.CategoryInfo.Category; Cmdlet = [string]$e.InvocationInfo.MyCommand.Name })))) } }`

// The fixed text around the holes, each hole being a single-quoted literal.
var framePrefix, frameMiddle, frameSuffix = func() (string, string, string) {
	a, rest, _ := strings.Cut(frameTemplate, "'<M>'")
	b, c, _ := strings.Cut(rest, "'<B>'")
	return a, b, c
}()

// matchFrame takes a received line apart: it must be the template with a
// single-quoted literal (PowerShell's quoting rules) in each hole. It returns
// the values of the two literals, or the rune offset where the line stops
// matching.
func matchFrame(line string) (marker, payload string, bad int, ok bool) {
	line = strings.ToValidUTF8(line, "\uFFFD") // as the console decodes stdin
	pos := 0
	rest, ok := strings.CutPrefix(line, framePrefix)
	if !ok {
		return "", "", commonPrefix(line, framePrefix), false
	}
	pos += len(framePrefix)
	marker, n, ok := cutQuoted(rest)
	if !ok {
		return "", "", pos, false
	}
	rest, pos = rest[n:], pos+n
	if rest, ok = strings.CutPrefix(rest, frameMiddle); !ok {
		return "", "", pos + commonPrefix(rest, frameMiddle), false
	}
	pos += len(frameMiddle)
	payload, n, ok = cutQuoted(rest)
	if !ok {
		return "", "", pos, false
	}
	rest, pos = rest[n:], pos+n
	if rest != frameSuffix {
		return "", "", pos + commonPrefix(rest, frameSuffix), false
	}
	return marker, payload, 0, true
}

// cutQuoted reads a single-quoted literal at the start of s and returns its
// value and its length in bytes.
func cutQuoted(s string) (string, int, bool) {
	rs := []rune(s)
	if len(rs) == 0 || !isQuote(rs[0]) {
		return "", 0, false
	}
	v, end, ok := readQuoted(rs, 0)
	if !ok {
		return "", 0, false
	}
	n := 0
	for i := 0; i < end; i++ {
		_, size := utf8.DecodeRuneInString(s[n:])
		n += size
	}
	return v, n, true
}

func commonPrefix(a, b string) int {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	return i
}

// runFrame runs one line as powershell.exe would: a frame line writes its
// result line to stdout; anything else writes a parse error to stderr. It
// returns "" for both when the process was terminated mid-script.
func (s *session) runFrame(ctx context.Context, line string) (stdout, stderr string, perr *parseError) {
	line = strings.ToValidUTF8(line, "\uFFFD")
	marker, payload, bad, ok := matchFrame(line)
	if !ok {
		return "", "", &parseError{pos: utf8.RuneCountInString(line[:min(bad, len(line))]),
			msg: "Unexpected token in expression or statement. (lynctest accepts only the frame line of docs/wire.md §2)"}
	}
	s.d.count(s.h, func(c *Counters) { c.Scripts++ })
	out, rec := s.runPayload(ctx, payload)
	if ctx.Err() != nil || rec == errAborted {
		return "", "", nil
	}
	if rec != nil {
		return s.noise() + marker + ":err:" + base64.StdEncoding.EncodeToString([]byte(rec.json())) + "\r\n", "", nil
	}
	js := convertToJSON(out, 4)
	return s.noise() + marker + ":ok:" + base64.StdEncoding.EncodeToString([]byte(js)) + "\r\n", "", nil
}

// noise returns the stdout noise of FaultNoise, if it fires.
func (s *session) noise() string {
	if s.d.fire(s.h.fqdn, "", "", "", FaultNoise) == nil {
		return ""
	}
	return "WARNING: The names of some imported commands from the module '" + s.d.product.Module() +
		"' include unapproved verbs. (lynctest noise)\r\n" +
		"EF00000000000000000000000000000000-0:ok:W10=\r\n"
}

// runPayload is the try block: decode, [ScriptBlock]::Create, run.
func (s *session) runPayload(ctx context.Context, payload string) ([]any, *ErrorRecord) {
	raw, err := base64.StdEncoding.DecodeString(payload)
	if err != nil {
		return nil, &ErrorRecord{
			Type: "System.Management.Automation.MethodInvocationException",
			Message: `Exception calling "FromBase64String" with "1" argument(s): "The input is not a valid Base-64 ` +
				`string as it contains a non-base 64 character, more than two padding characters, or an illegal ` +
				`character among the padding characters. "`,
			FullyQualifiedErrorId: "FormatException",
			Category:              "NotSpecified",
		}
	}
	return s.runScript(ctx, strings.ToValidUTF8(string(raw), "\uFFFD"))
}
