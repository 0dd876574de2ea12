package setup_test

import (
	"context"
	"fmt"
	"io"
	"sync"

	"github.com/libdns/libdns"

	"github.com/xmppfed/edgefailover/examples/internal/setup"
	"github.com/xmppfed/edgefailover/xmppdns"
)

// memory stands for a third-party libdns provider (cloudflare, route53...):
// a getter and a setter, no conditional or atomic write.
type memory struct {
	token string
	mu    sync.Mutex
	recs  []libdns.Record
}

func (m *memory) GetRecords(context.Context, string) ([]libdns.Record, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]libdns.Record(nil), m.recs...), nil
}

func (m *memory) SetRecords(_ context.Context, _ string, rs []libdns.Record) ([]libdns.Record, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.recs = append(m.recs, rs...)
	return rs, nil
}

// A program accepts another DNS provider type in a few lines: a
// constructor in its Registry, reading its secret through the Console.
// The config then says "type": "memory" with its "settings"; the dry run
// states what the provider guarantees.
func ExampleRegistry() {
	reg := setup.Registry{
		"memory": func(ctx context.Context, s map[string]any, c *setup.Console) (xmppdns.Provider, error) {
			tok, err := c.Secret(ctx, setup.String(s, "token_env"), "memory API token")
			if err != nil {
				return nil, err
			}
			return &memory{token: tok}, nil
		},
	}
	cfg := setup.DNSProvider{Type: "memory", Name: "memory (account 2)", Settings: map[string]any{"token_env": "MEMORY_TOKEN"}}
	env := func(k string) (string, bool) { return "t0ken", k == "MEMORY_TOKEN" }
	prov, opts, err := cfg.Provider(context.Background(), setup.NewConsole(nil, io.Discard, env), reg)
	if err != nil {
		fmt.Println(err)
		return
	}
	zone, err := xmppdns.NewZone("contoso.com.", prov, opts)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(zone.Guarantees())
	fmt.Println(setup.DNSProvider{Type: "cloudflare"}.Check(reg))
	// Output:
	// memory (account 2): not conditional: a concurrent change between check and write is overwritten; not atomic: the change takes several calls, new records are written before old ones are removed, and a failure between calls is reported with what it left (PartialError)
	// type "cloudflare": use rfc2136, memory
}
