package xmppdns

import (
	"encoding/json"
	"errors"
	"github.com/xmppfed/edgefailover/xmppdns/memdns"
	"testing"
)

func TestGuaranteesFollowTheProvidersInterfaces(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name               string
		p                  Provider
		opts               ZoneOptions
		cond, atomic       bool
		provider, sentence string
	}{
		{"getter and setter only", memdns.New(testZone), ZoneOptions{}, false, false, "memdns",
			"memdns: not conditional: a concurrent change between check and write is overwritten; not atomic: the change takes several calls, new records are written before old ones are removed, and a failure between calls is reported with what it left (PartialError)"},
		{"conditional per RRset", memdns.Conditional{Provider: memdns.New(testZone)}, ZoneOptions{ProviderName: "lab"}, true, false, "lab",
			"lab: conditional: an RRset that changed since it was read is not overwritten; not atomic: the change takes several calls, new records are written before old ones are removed, and a failure between calls is reported with what it left (PartialError)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			z, err := NewZone(testZone, tc.p, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			g := z.Guarantees()
			if g.Conditional != tc.cond || g.Atomic != tc.atomic || g.Provider != tc.provider || g.String() != tc.sentence {
				t.Errorf("Guarantees = %+v %q", g, g)
			}
			js, _ := json.Marshal(g)
			var back Guarantees
			if err := json.Unmarshal(js, &back); err != nil || back != g {
				t.Errorf("JSON round trip: %s -> %+v (%v)", js, back, err)
			}
		})
	}
	if _, err := NewZone(testZone, memdns.New(testZone), ZoneOptions{ProviderName: " "}); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("empty provider name: %v", err)
	}
}
