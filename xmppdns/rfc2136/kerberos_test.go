package rfc2136_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/libdns/libdns"
	"github.com/xmppfed/edgefailover/xmppdns/rfc2136"
)

func TestKerberosConfigIsValidated(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		p    rfc2136.Provider
	}{
		{"no realm", rfc2136.Provider{Kerberos: &rfc2136.Kerberos{Username: "u", Password: "p"}}},
		{"no credentials", rfc2136.Provider{Kerberos: &rfc2136.Kerberos{Realm: "R", Username: "u"}}},
		{"two credentials", rfc2136.Provider{Kerberos: &rfc2136.Kerberos{Realm: "R", Username: "u", Password: "p", Keytab: "/k"}}},
		{"no username", rfc2136.Provider{Kerberos: &rfc2136.Kerberos{Realm: "R", Password: "p"}}},
		{"username with realm", rfc2136.Provider{Kerberos: &rfc2136.Kerberos{Realm: "R", Username: "u@R", Password: "p"}}},
		{"bad SPN", rfc2136.Provider{Kerberos: &rfc2136.Kerberos{Realm: "R", Username: "u", Password: "p", SPN: "ns1"}}},
		{"HMAC key too", rfc2136.Provider{KeyName: "k.", Kerberos: &rfc2136.Kerberos{Realm: "R", Username: "u", Password: "p"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.p.Server = "127.0.0.1:1"
			_, err := tc.p.GetRRset(context.Background(), "example.test.", "a", "A")
			if !errors.Is(err, rfc2136.ErrInvalid) {
				t.Fatalf("got %v, want ErrInvalid", err)
			}
			if err := tc.p.Validate(); !errors.Is(err, rfc2136.ErrInvalid) {
				t.Fatalf("Validate: %v, want ErrInvalid", err)
			}
		})
	}
}

func TestValidateAcceptsBothWaysToSign(t *testing.T) {
	t.Parallel()
	for _, p := range []*rfc2136.Provider{
		{Server: "ns1.example.test", KeyName: "k.", Secret: "c2VjcmV0"},
		{Server: "192.0.2.53:53", Kerberos: &rfc2136.Kerberos{Realm: "EXAMPLE.TEST", CCache: "/tmp/cc", SPN: "DNS/ns1.example.test"}},
	} {
		if err := p.Validate(); err != nil {
			t.Errorf("%v: %v", p, err)
		}
	}
}

func TestKerberosPasswordIsRedacted(t *testing.T) {
	t.Parallel()
	const password = "kerberos-password-never-shown"
	k := &rfc2136.Kerberos{Realm: "EXAMPLE.TEST", Username: "u", Password: password, KDC: "127.0.0.1:1", SPN: "DNS/ns1.example.test"}
	p := &rfc2136.Provider{Server: "127.0.0.1:1", Kerberos: k, Timeout: 200 * time.Millisecond}
	var logged bytes.Buffer
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("provider", "p", p, "k", k)
	js, _ := json.Marshal(p)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_, loginErr := p.SetRecords(ctx, "example.test.", []libdns.Record{addr("a", "192.0.2.1", 60)})
	if !errors.Is(loginErr, rfc2136.ErrKerberos) {
		t.Fatalf("login to a closed port: %v, want ErrKerberos", loginErr)
	}
	outputs := []string{fmt.Sprintf("%v %+v %#v %s", p, p, p, p), fmt.Sprintf("%v %+v %#v", k, k, k), logged.String(), string(js), loginErr.Error()}
	for _, s := range outputs {
		if strings.Contains(s, password) {
			t.Fatalf("password shown: %s", s)
		}
	}
	if !strings.Contains(outputs[0], "Password:REDACTED") || !strings.Contains(string(js), `"password":"REDACTED"`) {
		t.Fatalf("redaction not visible: %s / %s", outputs[0], js)
	}
}

func TestKerberosHonoursContextWhileTheKDCIsSilent(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() { // accept and never answer
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			defer c.Close()
		}
	}()
	k := &rfc2136.Kerberos{Realm: "EXAMPLE.TEST", Username: "u", Password: "p", KDC: ln.Addr().String(), SPN: "DNS/ns1.example.test"}
	p := &rfc2136.Provider{Server: "127.0.0.1:1", Kerberos: k}
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err = p.SetRecords(ctx, "example.test.", []libdns.Record{addr("a", "192.0.2.1", 60)})
	if !errors.Is(err, rfc2136.ErrKerberos) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v, want ErrKerberos and context.DeadlineExceeded", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Fatalf("returned after %v, the context ended after 200ms", d)
	}
}
