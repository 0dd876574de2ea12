package lync

import (
	"encoding/json"
	"testing"
)

func TestParseHostTime(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"11/25/2026 21:58:01", "11/25/2026 9:58:01 PM", "2026-11-25T21:58:01Z"} {
		if got := parseHostTime(s); got.Year() != 2026 || got.Day() != 25 {
			t.Errorf("parseHostTime(%q) = %v", s, got)
		}
	}
	if !parseHostTime("Dienstag").IsZero() {
		t.Error("garbage parsed")
	}
}

// FuzzHostOutput feeds host output to the decoders of results: they may
// refuse it, never panic (lync/winrm's FuzzModuleOutput covers the module
// list).
func FuzzHostOutput(f *testing.F) {
	f.Add(`[{"Name":"Lync"}]`)
	f.Add(`[{"Identity":"Site:Site2","SiteId":2,"Pools":null,"Route":"EdgeServer:x.y"}]`)
	f.Add(`11/25/2026 21:58:01`)
	f.Fuzz(func(t *testing.T, s string) {
		var sites []siteJSON
		if json.Unmarshal([]byte(s), &sites) == nil {
			for _, j := range sites {
				info := j.info()
				_ = info.XmppRoute.Pool()
				want, _ := ParseRoute("EdgeServer:edgepool2.contoso.com")
				_ = info.XmppRoute.Equal(want)
			}
		}
		_ = parseHostTime(s)
	})
}
