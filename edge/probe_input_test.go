package edge_test

import (
	"context"
	"errors"
	"net"
	"testing"

	"github.com/xmppfed/edgefailover/edge"
	"github.com/xmppfed/edgefailover/internal/dnsname"
)

func TestProbeRejectsInputBeforeDialing(t *testing.T) {
	t.Parallel()
	good := edge.ProbeConfig{To: "contoso.com", From: "probe.example"}
	tests := []struct {
		name  string
		addr  string
		cfg   func(c *edge.ProbeConfig)
		field string
	}{
		{"no port", "xmpp.contoso.com", nil, "addr"},
		{"port zero", "xmpp.contoso.com:0", nil, "addr"},
		{"port too big", "xmpp.contoso.com:65536", nil, "addr"},
		{"port name", "xmpp.contoso.com:xmpp-server", nil, "addr"},
		{"empty host", ":5269", nil, "addr"},
		{"single label host", "edge:5269", nil, "addr"},
		{"host with quote", "x'mpp.contoso.com:5269", nil, "addr"},
		{"host with space", "xmpp contoso.com:5269", nil, "addr"},
		{"empty to", "192.0.2.1:5269", func(c *edge.ProbeConfig) { c.To = "" }, "ProbeConfig.To"},
		{"to with quote", "192.0.2.1:5269", func(c *edge.ProbeConfig) { c.To = "contoso.com' x='" }, "ProbeConfig.To"},
		{"to with angle", "192.0.2.1:5269", func(c *edge.ProbeConfig) { c.To = "<contoso.com>" }, "ProbeConfig.To"},
		{"to is an IP", "192.0.2.1:5269", func(c *edge.ProbeConfig) { c.To = "192.0.2.1" }, "ProbeConfig.To"},
		{"empty from", "192.0.2.1:5269", func(c *edge.ProbeConfig) { c.From = "" }, "ProbeConfig.From"},
		{"from with ampersand", "192.0.2.1:5269", func(c *edge.ProbeConfig) { c.From = "a&b.example" }, "ProbeConfig.From"},
		{"negative timeout", "192.0.2.1:5269", func(c *edge.ProbeConfig) { c.Timeout = -1 }, "ProbeConfig.Timeout"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg := good
			if tt.cfg != nil {
				tt.cfg(&cfg)
			}
			dialled := false
			cfg.Dial = func(context.Context, string, string) (net.Conn, error) {
				dialled = true
				return nil, errors.New("must not dial")
			}
			res, err := edge.Probe(context.Background(), tt.addr, cfg)
			var ie *edge.InputError
			if !errors.As(err, &ie) || !errors.Is(err, edge.ErrInvalidInput) || ie.Field != tt.field {
				t.Fatalf("err = %v, want *InputError for %s", err, tt.field)
			}
			if res != nil || dialled {
				t.Errorf("result %v, dialled %v", res, dialled)
			}
		})
	}
	_, err := edge.Probe(context.Background(), "192.0.2.1:5269", edge.ProbeConfig{To: "a..b", From: "probe.example"})
	if !errors.Is(err, dnsname.ErrInvalid) {
		t.Errorf("err = %v, want the dnsname cause", err)
	}
}

func TestProbeAcceptsAddresses(t *testing.T) {
	t.Parallel()
	for _, addr := range []string{"192.0.2.1:5269", "[2001:db8::1]:5269", "Edge01.Contoso.COM.:5269"} {
		var got string
		cfg := edge.ProbeConfig{To: "Contoso.com.", From: "probe.example",
			Dial: func(_ context.Context, _, a string) (net.Conn, error) { got = a; return nil, errors.New("offline") }}
		res, err := edge.Probe(context.Background(), addr, cfg)
		if err != nil || got != addr || res.To != "contoso.com" || res.Connected {
			t.Errorf("Probe(%q) = %+v, %v (dialled %q)", addr, res, err, got)
		}
	}
}

func TestProbeCancelledContext(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := edge.Probe(ctx, "192.0.2.1:5269", edge.ProbeConfig{To: "contoso.com", From: "probe.example"})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}
