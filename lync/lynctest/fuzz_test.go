package lynctest

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// FuzzReader feeds arbitrary inner scripts to the reader: it must never
// panic, and must answer with output that ConvertTo-Json renders as a JSON
// array, or with an error record (ParseException for what does not parse).
func FuzzReader(f *testing.F) {
	for _, s := range []string{
		"", imp, "Get-CsSite", "Get-CsSite -Identity 'Site1' | Select-Object -Property SiteId",
		"(Get-Command -Name 'Set-CsSite').Parameters.Keys",
		"Get-CsSite | Select-Object -Property @{ Name = 'P'; Expression = { [string[]]$_.Pools } }",
		"Set-CsSite -Identity 'Site2' -XmppFederationRoute $null",
		"Get-CsWindowsService -ComputerName 'edge01.contoso.com' -ExcludeActivityLevel:$false",
		"Get-Module -ListAvailable -Name @('SkypeForBusiness', 'Lync') | Select-Object -Property Name",
		"Get-CsSite -Identity 'a\u2019''b'", "\u2013Identity", "@(", "@{ Name = 'x' }", "$(x)", "'", "-1", "a|b",
	} {
		f.Add(s)
	}
	d := readerDeployment(f, nil)
	s := &session{d: d, h: d.Host("fe01.contoso.com"), modules: map[string]bool{"skypeforbusiness": true}}
	f.Fuzz(func(t *testing.T, src string) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		out, er := s.runScript(ctx, src)
		if er != nil {
			if er.Type == "" || er.FullyQualifiedErrorId == "" || er.Category == "" {
				t.Fatalf("incomplete error record %+v", er)
			}
			if _, perr := parseScript(src); perr != nil && er.FullyQualifiedErrorId != "ParseException" {
				t.Fatalf("script does not parse but got %+v", er)
			}
			var back map[string]string
			if err := json.Unmarshal([]byte(er.json()), &back); err != nil || back["Message"] != er.Message {
				t.Fatalf("error record JSON %s: %v", er.json(), err)
			}
			return
		}
		var arr []any
		if err := json.Unmarshal([]byte(convertToJSON(out, 4)), &arr); err != nil {
			t.Fatalf("output JSON %s: %v", convertToJSON(out, 4), err)
		}
	})
}

// FuzzFrameLine feeds stdin lines to a persistent process: the template with
// arbitrary text in its two holes (quote characters included, unescaped), or
// an arbitrary whole line. A frame line yields exactly one result line for
// its marker and nothing on stderr; anything else a parse error and no
// stdout.
func FuzzFrameLine(f *testing.F) {
	f.Add("'EF00-1'", "'"+base64.StdEncoding.EncodeToString([]byte("Get-CsSite"))+"'", false)
	f.Add("'EF''x'", "'!!'", false)
	f.Add("\u2018EF\u2019\u2019\u2018", "''", false)
	f.Add("'a'b'", "'x", false)
	f.Add("Get-Date", "", true)
	d := readerDeployment(f, nil)
	s := &session{d: d, h: d.Host("fe01.contoso.com"), modules: map[string]bool{}}
	f.Fuzz(func(t *testing.T, m, b string, whole bool) {
		line := m
		if !whole {
			line = strings.Replace(strings.Replace(frameTemplate, "'<M>'", m, 1), "'<B>'", b, 1)
		}
		stdout, stderr, pe := s.runFrame(context.Background(), line)
		marker, _, _, ok := matchFrame(line)
		if !ok {
			if pe == nil || stdout != "" || stderr != "" {
				t.Fatalf("non-frame line gave stdout %q stderr %q pe %v", stdout, stderr, pe)
			}
			_ = clixmlError(parseErrorText(line, pe))
			return
		}
		if pe != nil || stderr != "" || !strings.HasPrefix(stdout, marker+":") || !strings.HasSuffix(stdout, "\r\n") ||
			strings.Count(stdout, "\n") != 1+strings.Count(marker, "\n") {
			t.Fatalf("frame line gave stdout %q stderr %q pe %v", stdout, stderr, pe)
		}
	})
}
