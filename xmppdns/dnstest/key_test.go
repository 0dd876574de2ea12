package dnstest_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/miekg/dns"
	"github.com/xmppfed/edgefailover/xmppdns/dnstest"
)

func TestKeyRedaction(t *testing.T) {
	t.Parallel()
	k, err := dnstest.NewKey("k.", dns.HmacSHA384)
	if err != nil {
		t.Fatal(err)
	}
	var logged bytes.Buffer
	slog.New(slog.NewTextHandler(&logged, nil)).Info("key", "key", k)
	js, _ := json.Marshal(k)
	for _, s := range []string{fmt.Sprint(k), fmt.Sprintf("%v %+v %#v %s %q", k, k, k, k, k), fmt.Sprint(&k), logged.String(), string(js)} {
		if strings.Contains(s, k.Secret) || !strings.Contains(s, "REDACTED") {
			t.Fatalf("secret shown or not redacted: %s", s)
		}
	}
	if _, err := dnstest.Start(dnstest.Config{Keys: []dnstest.Key{{Name: "k.", Algorithm: "hmac-md5", Secret: k.Secret}}}); err == nil {
		t.Fatal("Start accepted hmac-md5")
	}
	if _, err := dnstest.Start(dnstest.Config{Keys: []dnstest.Key{{Name: "k.", Algorithm: dns.HmacSHA256, Secret: "%%%"}}}); err == nil {
		t.Fatal("Start accepted a secret that is not base64")
	}
}
