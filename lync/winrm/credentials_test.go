package winrm

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/xmppfed/edgefailover/lync"
)

func TestPasswordRedacts(t *testing.T) {
	t.Parallel()
	const secret = "hunter2-S3cret"
	ep := Endpoint{Host: "edge01.contoso.com", Credentials: Credentials{Username: "CONTOSO\\admin", Password: secret}}
	var logs bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&logs, nil))
	log.Info("x", "creds", ep.Credentials, "password", ep.Credentials.Password, "ep", ep)
	js, err := json.Marshal(ep.Credentials)
	if err != nil {
		t.Fatal(err)
	}
	outs := map[string]string{
		"%v": fmt.Sprintf("%v", ep), "%+v": fmt.Sprintf("%+v", ep), "%#v": fmt.Sprintf("%#v", ep),
		"%s": fmt.Sprintf("%s", ep.Credentials.Password), "%q": fmt.Sprintf("%q", ep.Credentials.Password),
		"%x": fmt.Sprintf("%x", ep.Credentials.Password), "json": string(js), "slog": logs.String(),
	}
	for name, out := range outs {
		if strings.Contains(out, secret) || strings.Contains(out, fmt.Sprintf("%x", secret)) {
			t.Errorf("%s leaks the password: %s", name, out)
		}
		if !strings.Contains(out, redacted) {
			t.Errorf("%s does not show %s: %s", name, redacted, out)
		}
	}
	if Password("").String() != "" {
		t.Error("empty password not empty")
	}
}

func TestEndpointDefaults(t *testing.T) {
	t.Parallel()
	creds := Credentials{Username: "u", Password: "p"}
	tests := []struct {
		name    string
		ep      Endpoint
		wantErr bool
		port    int
	}{
		{"https default", Endpoint{Host: "edge01.contoso.com", Credentials: creds}, false, 5986},
		{"http explicit", Endpoint{Host: "edge01.contoso.com", PlainHTTP: true, AllowUnencrypted: true, Credentials: creds}, false, 5985},
		{"basic over http refused", Endpoint{Host: "edge01.contoso.com", PlainHTTP: true, Credentials: creds}, true, 0},
		{"ntlm over http encrypts", Endpoint{Host: "edge01.contoso.com", PlainHTTP: true, Auth: AuthNTLM, Credentials: creds}, false, 5985},
		{"basic with a domain account", Endpoint{Host: "edge01.contoso.com", Credentials: Credentials{Username: `CONTOSO\u`, Password: "p"}}, true, 0},
		{"basic with a UPN", Endpoint{Host: "edge01.contoso.com", Credentials: Credentials{Username: "u@contoso.com", Password: "p"}}, true, 0},
		{"basic with .\\user", Endpoint{Host: "edge01.contoso.com", Credentials: Credentials{Username: `.\u`, Password: "p"}}, false, 5986},
		{"kerberos over http encrypts", Endpoint{Host: "edge01.contoso.com", PlainHTTP: true, Auth: AuthKerberos,
			Kerberos: &Kerberos{Realm: "CONTOSO.COM", ConfigPath: "/etc/krb5.conf"}}, false, 5985},
		{"kerberos without a realm", Endpoint{Host: "edge01.contoso.com", PlainHTTP: true, Auth: AuthKerberos,
			Kerberos: &Kerberos{ConfigPath: "/etc/krb5.conf"}}, true, 0},
		{"ntlm https", Endpoint{Host: "edge01.contoso.com", Auth: AuthNTLM, Credentials: creds}, false, 5986},
		{"ip literal", Endpoint{Host: "192.0.2.1", Credentials: creds, Port: 1234}, false, 1234},
		{"bad host", Endpoint{Host: "edge01'; rm", Credentials: creds}, true, 0},
		{"bad port", Endpoint{Host: "edge01.contoso.com", Port: 70000, Credentials: creds}, true, 0},
		{"timeout below op timeout", Endpoint{Host: "edge01.contoso.com", Credentials: creds, Timeout: 10e9}, true, 0},
		{"kerberos needs config", Endpoint{Host: "edge01.contoso.com", Auth: AuthKerberos}, true, 0},
		{"cert needs cert", Endpoint{Host: "edge01.contoso.com", Auth: AuthCertificate}, true, 0},
		{"no user", Endpoint{Host: "edge01.contoso.com"}, true, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := tt.ep.withDefaults()
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if err != nil {
				if !errorsIsInput(err) {
					t.Errorf("err = %v, want lync.ErrInvalidInput", err)
				}
				return
			}
			if got.Port != tt.port || got.OperationTimeout != DefaultOperationTimeout || got.Timeout != DefaultOperationTimeout+DefaultTimeoutMargin {
				t.Errorf("got %+v", got)
			}
		})
	}
	if got := wsmanDuration(1500e6); got != "PT1.500S" {
		t.Errorf("wsmanDuration = %q", got)
	}
}

func errorsIsInput(err error) bool { return errors.Is(err, lync.ErrInvalidInput) }
