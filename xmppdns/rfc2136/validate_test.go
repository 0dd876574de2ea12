package rfc2136_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/libdns/libdns"
	"github.com/xmppfed/edgefailover/xmppdns/rfc2136"
)

func TestBadInputIsRefusedBeforeAnyPacket(t *testing.T) {
	t.Parallel()
	tg, srv, _ := newDNSTest(t)
	ctx := context.Background()
	p := tg.p
	rec := func(name, typ, data string, ttl time.Duration) []libdns.Record {
		return []libdns.Record{libdns.RR{Name: name, Type: typ, Data: data, TTL: ttl}}
	}
	tests := []struct {
		name string
		call func() error
	}{
		{"empty zone", func() error { _, err := p.SetRecords(ctx, "", rec("a", "A", "192.0.2.1", 0)); return err }},
		{"bad zone", func() error { _, err := p.SetRecords(ctx, "exa mple.test.", rec("a", "A", "192.0.2.1", 0)); return err }},
		{"empty name", func() error { _, err := p.SetRecords(ctx, tg.zone, rec("", "A", "192.0.2.1", 0)); return err }},
		{"name outside the zone", func() error {
			_, err := p.SetRecords(ctx, tg.zone, rec("www.other.test.", "A", "192.0.2.1", 0))
			return err
		}},
		{"bad label", func() error { _, err := p.SetRecords(ctx, tg.zone, rec("bad_label!", "A", "192.0.2.1", 0)); return err }},
		{"unknown type", func() error { _, err := p.SetRecords(ctx, tg.zone, rec("a", "NOPE", "x", 0)); return err }},
		{"SOA write", func() error { _, err := p.SetRecords(ctx, tg.zone, rec("@", "SOA", "a. b. 1 2 3 4 5", 0)); return err }},
		{"meta type", func() error { _, err := p.AppendRecords(ctx, tg.zone, rec("a", "ANY", "x", 0)); return err }},
		{"bad address", func() error { _, err := p.SetRecords(ctx, tg.zone, rec("a", "A", "not-an-ip", 0)); return err }},
		{"empty data", func() error { _, err := p.SetRecords(ctx, tg.zone, rec("a", "A", "", 0)); return err }},
		{"two records in data", func() error {
			_, err := p.SetRecords(ctx, tg.zone, rec("a", "A", "192.0.2.1\nb A 192.0.2.2", 0))
			return err
		}},
		{"relative SRV target", func() error {
			_, err := p.SetRecords(ctx, tg.zone, []libdns.Record{libdns.SRV{Service: "xmpp-server", Transport: "tcp", Name: "@", Port: 5269, Target: "xmpp.example.test"}})
			return err
		}},
		{"relative MX target", func() error { _, err := p.SetRecords(ctx, tg.zone, rec("@", "MX", "10 mail", 0)); return err }},
		{"negative TTL", func() error {
			_, err := p.SetRecords(ctx, tg.zone, rec("a", "A", "192.0.2.1", -time.Second))
			return err
		}},
		{"mixed TTLs in one RRset", func() error {
			_, err := p.SetRecords(ctx, tg.zone, []libdns.Record{addr("a", "192.0.2.1", 60), addr("a", "192.0.2.2", 61)})
			return err
		}},
		{"an UPDATE over 64 KiB", func() error {
			var recs []libdns.Record
			for i := range 3000 {
				recs = append(recs, txt(fmt.Sprintf("big%d", i), strings.Repeat("y", 40), 60))
			}
			_, err := p.SetRecords(ctx, tg.zone, recs)
			return err
		}},
		{"nil record", func() error { _, err := p.AppendRecords(ctx, tg.zone, []libdns.Record{nil}); return err }},
		{"delete with bad data", func() error { _, err := p.DeleteRecords(ctx, tg.zone, rec("a", "A", "300.1.1.1", 0)); return err }},
		{"SetRRsetIf with a foreign record", func() error {
			return p.SetRRsetIf(ctx, tg.zone, "a", "A", nil, []libdns.Record{addr("b", "192.0.2.1", 60)})
		}},
		{"SetRRsetIf emptying the apex NS", func() error {
			return p.SetRRsetIf(ctx, tg.zone, "@", "NS", []libdns.Record{libdns.NS{Name: "@", Target: "ns1.example.test."}}, nil)
		}},
		{"GetRRset of a meta type", func() error { _, err := p.GetRRset(ctx, tg.zone, "a", "AXFR"); return err }},
		{"no server", func() error { q := *p; q.Server = ""; _, err := q.GetRRset(ctx, tg.zone, "a", "A"); return err }},
		{"bad Net", func() error { q := *p; q.Net = "quic"; _, err := q.GetRRset(ctx, tg.zone, "a", "A"); return err }},
		{"bad algorithm", func() error {
			q := *p
			q.Algorithm = "hmac-md5"
			_, err := q.GetRRset(ctx, tg.zone, "a", "A")
			return err
		}},
		{"secret not base64", func() error { q := *p; q.Secret = "%%%"; _, err := q.GetRRset(ctx, tg.zone, "a", "A"); return err }},
		{"no key name", func() error { q := *p; q.KeyName = ""; _, err := q.GetRRset(ctx, tg.zone, "a", "A"); return err }},
	}
	for _, tc := range tests {
		err := tc.call()
		var in *rfc2136.InputError
		if !errors.Is(err, rfc2136.ErrInvalid) || !errors.As(err, &in) {
			t.Errorf("%s: error %v, want ErrInvalid", tc.name, err)
		}
	}
	if n := len(srv.Log()); n != 0 {
		t.Fatalf("bad input sent %d messages", n)
	}
}

func TestProviderFromJSON(t *testing.T) {
	t.Parallel()
	tg, _, _ := newDNSTest(t)
	cfg := fmt.Sprintf(`{"server": %q, "key_name": %q, "algorithm": "hmac-sha256", "secret": %q, "timeout": 2000000000}`,
		tg.addr, tg.p.KeyName, string(tg.p.Secret))
	var p rfc2136.Provider
	if err := json.Unmarshal([]byte(cfg), &p); err != nil {
		t.Fatal(err)
	}
	if p.Secret != tg.p.Secret || p.Timeout != 2*time.Second {
		t.Fatalf("decoded %v", &p)
	}
	if _, err := p.SetRecords(context.Background(), tg.zone, []libdns.Record{addr("json", "192.0.2.1", 60)}); err != nil {
		t.Fatal(err)
	}
}

func TestSecretIsRedacted(t *testing.T) {
	t.Parallel()
	const secret = "c3VwZXItc2VjcmV0LXRzaWcta2V5LXZhbHVlIQ=="
	p := &rfc2136.Provider{Server: "127.0.0.1:1", KeyName: "k.", Secret: secret, Algorithm: "hmac-md5"}
	var logged bytes.Buffer
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("provider", "p", p, "secret", p.Secret)
	js, _ := json.Marshal(p)
	_, cfgErr := p.GetRRset(context.Background(), "example.test.", "a", "A")
	outputs := []string{
		fmt.Sprint(p), fmt.Sprintf("%v %+v %#v %s %q", p, p, p, p, p), fmt.Sprintf("%v %+v %#v %s", *p, *p, *p, *p),
		fmt.Sprint(p.Secret), fmt.Sprintf("%#v %q %x", p.Secret, p.Secret, p.Secret),
		logged.String(), string(js), cfgErr.Error(),
	}
	for _, s := range outputs {
		if strings.Contains(s, secret) {
			t.Fatalf("secret shown: %s", s)
		}
	}
	if !strings.Contains(outputs[0], "REDACTED") || !strings.Contains(string(js), "REDACTED") {
		t.Fatalf("redaction not visible: %s / %s", outputs[0], js)
	}
}
