package lynctest

import (
	"net/http"
	"testing"
	"time"
)

// TestMICRule: the acceptor applies MS-NLMP 3.2.5.1.2 as Windows does. A
// message whose MsvAvFlags says "MIC present" must carry a MIC that
// verifies; one without the flag needs none (Azure/go-ntlmssp, behind
// masterzen/winrm's ClientNTLM, never sends one), although the CHALLENGE
// had MsvAvTimestamp; and the flag cannot be stripped with the MIC, since
// the NTProofStr covers it.
func TestMICRule(t *testing.T) {
	t.Parallel()
	const user, domain, pass = "lyncadmin", "CONTOSO", "Passw0rd!"
	tg := ntlmTarget{domain: "CONTOSO", dnsDomain: "contoso.com", computer: "FE01", dnsComputer: "fe01.contoso.com"}
	tests := []struct {
		name string
		spec authSpec
		ok   bool
	}{
		{"flag and a good MIC", authSpec{avFlags: true, micField: true, mic: true}, true},
		{"no flag, no MIC (Azure/go-ntlmssp)", authSpec{}, true},
		{"no flag, a zero MIC field", authSpec{micField: true}, true},
		{"flag, MIC field zero", authSpec{avFlags: true, micField: true}, false},
		{"flag, no MIC field (payload after Version)", authSpec{avFlags: true}, false},
		{"flag and MIC stripped (Drop the MIC)", authSpec{micField: true, strip: true}, false},
		{"flag and MIC stripped with the field", authSpec{strip: true}, false},
	}
	for _, tt := range tests {
		neg := buildNegotiate()
		ch, err := newNTLMChallenge(neg, tg, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if info, _ := ntlmField(ch.message, 40); !hasAV(info, 7) {
			t.Fatal("the CHALLENGE has no MsvAvTimestamp")
		}
		spec := tt.spec
		spec.user, spec.domain, spec.password = user, domain, pass
		m, key := buildAuthenticate(spec, neg, ch.message)
		a, err := parseAuthenticate(m)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		got, ok := ch.verify(a, pass)
		if ok != tt.ok || (ok && string(got) != string(key)) {
			t.Errorf("%s: verified %v, want %v", tt.name, ok, tt.ok)
		}
		if tt.ok {
			if _, ok := ch.verify(a, pass+"x"); ok {
				t.Errorf("%s: a wrong password verified", tt.name)
			}
		}
	}
}

func hasAV(info []byte, id uint16) bool {
	for len(info) >= 4 {
		n := int(info[2]) | int(info[3])<<8
		if uint16(info[0])|uint16(info[1])<<8 == id {
			return true
		}
		if len(info) < 4+n {
			return false
		}
		info = info[4+n:]
	}
	return false
}

// TestMICRuleOverHTTP: a login whose AUTHENTICATE claims a MIC it lacks gets
// 401 from a host; the same login with its MIC gets 200.
func TestMICRuleOverHTTP(t *testing.T) {
	t.Parallel()
	d := newTestDeployment(t)
	h := d.Host("fe01.contoso.com")
	user, dom, pass := credentialsOf(d)
	for _, tt := range []struct {
		spec authSpec
		want int
	}{
		{authSpec{avFlags: true, micField: true}, http.StatusUnauthorized},
		{authSpec{avFlags: true}, http.StatusUnauthorized},
		{authSpec{strip: true, micField: true}, http.StatusUnauthorized},
		{authSpec{avFlags: true, micField: true, mic: true}, http.StatusOK},
	} {
		tt.spec.user, tt.spec.domain, tt.spec.password = user, dom, pass
		if got, _ := dialRaw(t, h.Addr()).login(tt.spec); got != tt.want {
			t.Errorf("%+v: login answered %d, want %d", tt.spec, got, tt.want)
		}
	}
	if c := h.Counters(); c.Auth.NTLM != 1 || c.Unauthorized != 3 {
		t.Errorf("auth counters %+v, unauthorized %d", c.Auth, c.Unauthorized)
	}
}

func newTestDeployment(t *testing.T) *Deployment {
	t.Helper()
	d, err := New(TwoSites(TwoSitesOptions{}))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(d.Close)
	return d
}

func credentialsOf(d *Deployment) (user, domain, password string) {
	u, p := d.Credentials()
	user, domain = splitUser(u)
	return user, domain, p
}
