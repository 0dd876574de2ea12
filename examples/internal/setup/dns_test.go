package setup

import (
	"context"
	"errors"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/xmppfed/edgefailover/xmppdns/rfc2136"
)

// "auth": "gss-tsig" builds an rfc2136 provider signing with Kerberos: the
// password from its variable, no HMAC key, valid for the provider itself.
func TestGSSTSIGProvider(t *testing.T) {
	t.Parallel()
	p := DNSProvider{Type: "rfc2136", Server: "dc01.fabrikam.com:53", Auth: "gss-tsig",
		Kerberos: &Kerberos{Realm: "FABRIKAM.COM", Username: "svc-xmppdns", PasswordEnv: "KRB_PW", KDC: "dc01.fabrikam.com"}}
	env := func(k string) (string, bool) { return "Kerb-Passw0rd", k == "KRB_PW" }
	prov, _, err := p.Provider(context.Background(), NewConsole(nil, io.Discard, env), nil)
	if err != nil {
		t.Fatal(err)
	}
	rp := prov.(*rfc2136.Provider)
	if rp.Kerberos == nil || rp.KeyName != "" || rp.Secret != "" || string(rp.Kerberos.Password) != "Kerb-Passw0rd" || rp.Kerberos.Realm != "FABRIKAM.COM" {
		t.Errorf("provider %v", rp)
	}
	if strings.Contains(rp.String(), "Kerb-Passw0rd") {
		t.Errorf("the provider prints its password: %s", rp)
	}
	p.Kerberos.Keytab = "/etc/krb5.keytab" // two credential sources
	if err := p.Check(nil); !errors.Is(err, rfc2136.ErrInvalid) {
		t.Errorf("password_env and keytab: %v", err)
	}
}

// A stdin that is not a terminal (/dev/null under cron or systemd) gives
// no secret: ErrNoSecret, naming the variable to set.
func TestSecretFromDevNull(t *testing.T) {
	t.Parallel()
	f, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	_, err = NewConsole(f, io.Discard, nil).Secret(context.Background(), "EDGEFAILOVER_WINRM_PASSWORD", "WinRM password")
	if !errors.Is(err, ErrNoSecret) || !strings.Contains(err.Error(), "EDGEFAILOVER_WINRM_PASSWORD") {
		t.Errorf("/dev/null: %v", err)
	}
	s, err := NewConsole(strings.NewReader("s3cret\n"), io.Discard, nil).Secret(context.Background(), "X", "x")
	if err != nil || s != "s3cret" {
		t.Errorf("a piped line: %q %v", s, err)
	}
}
