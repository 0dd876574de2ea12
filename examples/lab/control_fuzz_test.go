package main

import (
	"encoding/json"
	"net/netip"
	"net/url"
	"strings"
	"testing"
)

// FuzzReadControl feeds control.json files to readControl, which the
// subcommands read to reach the running lab and send it its token. An
// accepted file names a loopback address whose URL reaches that address
// and the subcommand's path only, carries a token of the lab's form, and
// writes back (as startControl writes it) to the same information; no
// error shows the token.
func FuzzReadControl(f *testing.F) {
	good := controlInfo{Addr: "127.0.0.1:41234", Token: "0123456789abcdef0123456789abcdef", PID: 4242}
	b, _ := json.Marshal(good)
	for _, s := range []string{
		string(b),
		`{"addr":"[::1]:5985","token":"ffffffffffffffffffffffffffffffff","pid":1}`,
		`{"addr":"192.0.2.10:80","token":"0123456789abcdef0123456789abcdef","pid":1}`,
		`{"addr":"127.0.0.1:80/x?","token":"0123456789abcdef0123456789abcdef"}`,
		`{"addr":"localhost:80","token":"0123456789abcdef0123456789abcdef"}`,
		`{"addr":"127.0.0.1:0","token":"0123456789abcdef0123456789abcdef"}`,
		`{"addr":"127.0.0.1:8080","token":"secret token\r\nX-Evil: 1"}`,
		`{"addr":"127.0.0.1:8080","token":12}`, `{"addr":"127.0.0.1:8080"`, `null`, ``,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		info, err := readControl(b)
		if err != nil {
			if info != (controlInfo{}) {
				t.Fatalf("readControl(%q) = %+v with %v", b, info, err)
			}
			var raw struct{ Token any }
			if json.Unmarshal(b, &raw) == nil {
				if tok, ok := raw.Token.(string); ok && len(tok) >= 6 && strings.Contains(err.Error(), tok) {
					t.Fatalf("readControl(%q): the error shows the token: %v", b, err)
				}
			}
			return
		}
		ap, err := netip.ParseAddrPort(info.Addr)
		if err != nil || !ap.Addr().IsLoopback() || ap.Port() == 0 {
			t.Fatalf("readControl(%q) took addr %q", b, info.Addr)
		}
		for _, cmd := range []string{"status", "kill-source"} {
			u, err := url.Parse("http://" + info.Addr + "/" + cmd)
			if err != nil || u.Host != info.Addr || u.Path != "/"+cmd || u.RawQuery != "" || u.User != nil {
				t.Fatalf("addr %q makes the URL %v (%v)", info.Addr, u, err)
			}
		}
		if len(info.Token) != tokenLen || strings.ContainsAny(info.Token, "\r\n \t") {
			t.Fatalf("readControl(%q) took token %q", b, info.Token)
		}
		out, err := json.Marshal(info)
		if err != nil {
			t.Fatal(err)
		}
		if again, err := readControl(out); err != nil || again != info {
			t.Fatalf("%+v writes as %s, which reads as %+v, %v", info, out, again, err)
		}
	})
}
