package setup_test

import (
	"context"
	"fmt"
	"io"

	"github.com/xmppfed/edgefailover/examples/internal/setup"
	"github.com/xmppfed/edgefailover/xmppdns"
	"github.com/xmppfed/edgefailover/xmppdns/memdns"
)

// A program accepts another DNS provider type in a few lines: a
// constructor in its Registry, reading its secret through the Console.
// The config then says "type": "memory" with its "settings"; the dry run
// states what the provider guarantees.
func ExampleRegistry() {
	reg := setup.Registry{
		"memory": func(ctx context.Context, s map[string]any, c *setup.Console) (xmppdns.Provider, error) {
			// A real provider would log in with the token; memdns, standing
			// for a third-party libdns provider (cloudflare, route53...), has
			// a getter, a setter and a deleter, no conditional or atomic write.
			if _, err := c.Secret(ctx, setup.String(s, "token_env"), "memory API token"); err != nil {
				return nil, err
			}
			return memdns.New("contoso.com."), nil
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
