package setup

import (
	"cmp"
	"strconv"
	"strings"
	"testing"

	"github.com/xmppfed/edgefailover/lync/winrm"
	"github.com/xmppfed/edgefailover/xmppdns"
)

// FuzzParseHost feeds host names, as config files and flags give them, to
// ParseHost and to a WinRM member's Check and Endpoint. An accepted name is
// in the form lync and edge take (lower case, no trailing dot, letters,
// digits and inner hyphens), parses back to itself with or without the dot
// and names the same node as the input; a refusal gives the reason alone
// (the caller names the field), and Endpoint's error names the host it was
// given. A WinRM member that Check accepts as a template gives an endpoint
// for the host Check tried, and never one that sends Basic in clear without
// allow_unencrypted.
func FuzzParseHost(f *testing.F) {
	for _, s := range []struct {
		host, auth  string
		plain, open bool
	}{
		{"fe01.contoso.com", "ntlm", true, false}, {"{fqdn}", "ntlm", true, false}, {"{name}.mgmt.contoso.com", "", false, false},
		{"EDGE01.Contoso.COM.", "basic", true, false}, {"fe01.contoso.com", "Basic", true, true}, {"fe01 contoso.com", "", false, false},
		{"fe01.contoso.com", "kerberos", true, false}, {"edge_1.contoso.com", "negotiate", false, false}, {"", "digest", false, false},
		{"a..b", "", false, false}, {"192.0.2.10", "", false, false}, {"fe01.contoso.com..", "", false, false}, {"x." + strings.Repeat("a", 63) + ".com", "", false, false},
	} {
		f.Add(s.host, s.auth, s.plain, s.open)
	}
	f.Fuzz(func(t *testing.T, host, auth string, plain, open bool) {
		n, err := ParseHost(host)
		if err != nil {
			if n != "" {
				t.Fatalf("ParseHost(%q) = %q with %v", host, n, err)
			}
			if strings.Contains(host, ".") && strings.Contains(err.Error(), host) {
				t.Fatalf("ParseHost(%q): the reason %q shows the name", host, err)
			}
		} else {
			if n != strings.ToLower(n) || strings.HasSuffix(n, ".") || !xmppdns.SameName(n, host) {
				t.Fatalf("ParseHost(%q) = %q", host, n)
			}
			for i := 0; i < len(n); i++ {
				if c := n[i]; !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.') {
					t.Fatalf("ParseHost(%q) = %q, with %q", host, n, c)
				}
			}
			for _, s := range []string{n, n + ".", strings.ToUpper(n)} {
				if again, err := ParseHost(s); again != n || err != nil {
					t.Fatalf("ParseHost(%q) = %q, but ParseHost(%q) = %q, %v", host, n, s, again, err)
				}
			}
		}
		w := WinRM{Host: host, Auth: auth, PlainHTTP: plain, AllowUnencrypted: open}
		if strings.EqualFold(auth, "kerberos") {
			w.Kerberos = &WinRMKerberos{Realm: "CONTOSO.COM"}
		}
		cred := winrm.Credentials{Username: "u", Password: "p"}
		if _, err := w.Endpoint(host, false, cred); n == "" && (err == nil || !strings.Contains(err.Error(), strconv.Quote(host))) {
			t.Fatalf("Endpoint(%q), a host ParseHost refuses: %v, want an error naming it", host, err)
		}
		if w.Check(true) != nil {
			return
		}
		ep, err := w.Endpoint("edge.example.com", true, cred)
		if err != nil {
			t.Fatalf("%+v passes Check as a template, Endpoint fails: %v", w, err)
		}
		if want, _ := ParseHost(strings.NewReplacer("{fqdn}", "edge.example.com", "{name}", "edge").Replace(cmp.Or(host, "{fqdn}"))); ep.Host != want {
			t.Fatalf("template %q gives host %q, want %q", host, ep.Host, want)
		}
		if plain && !open && ep.Auth == winrm.AuthBasic {
			t.Fatalf("%+v passes Check and sends Basic in clear", w)
		}
	})
}
