package memdns_test

import (
	"context"
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"maps"
	"regexp"
	"slices"
	"testing"

	"github.com/libdns/libdns"
	"github.com/xmppfed/edgefailover/xmppdns/memdns"
)

// TestHookOperationsFire: every operation name the Hooks.FailOn doc lists is
// the name of a call some provider shape makes, FailOn sees it with the
// RRset type the doc says, the call fails before changing anything, and
// Calls counts it under that name; no call fires under another name (before,
// GetRRset fired and counted as GetRecords, so FailOn("GetRRset") could
// never fail a read).
func TestHookOperationsFire(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a := []libdns.Record{addr("a", "192.0.2.1")}
	ops := map[string]struct {
		rtype string
		call  func(p *memdns.Provider) error
	}{
		"ListZones":  {"", func(p *memdns.Provider) error { _, err := p.ListZones(ctx); return err }},
		"GetRecords": {"", func(p *memdns.Provider) error { _, err := p.GetRecords(ctx, zone); return err }},
		"SetRecords": {"", func(p *memdns.Provider) error { _, err := p.SetRecords(ctx, zone, a); return err }},
		"DeleteRecords": {"", func(p *memdns.Provider) error {
			_, err := p.DeleteRecords(ctx, zone, []libdns.Record{libdns.RR{Name: "b"}})
			return err
		}},
		"AppendRecords": {"", func(p *memdns.Provider) error {
			_, err := memdns.Appender{Provider: p}.AppendRecords(ctx, zone, a)
			return err
		}},
		"GetRRset": {"A", func(p *memdns.Provider) error {
			_, err := memdns.Conditional{Provider: p}.GetRRset(ctx, zone, "b", "A")
			return err
		}},
		"SetRRsetIf": {"A", func(p *memdns.Provider) error {
			return memdns.Conditional{Provider: p}.SetRRsetIf(ctx, zone, "b", "A", nil, []libdns.Record{addr("b", "192.0.2.2")})
		}},
	}
	if doc := failOnNames(t); !slices.Equal(doc, slices.Sorted(maps.Keys(ops))) {
		t.Fatalf("Hooks.FailOn documents %q, the provider calls %q", doc, slices.Sorted(maps.Keys(ops)))
	}
	boom := errors.New("injected")
	for name, op := range ops {
		p := memdns.New(zone)
		p.Put(zone, addr("b", "192.0.2.9"))
		var seen []string
		p.SetHooks(memdns.Hooks{FailOn: func(method, rtype string) error {
			seen = append(seen, method+"/"+rtype)
			if method == name {
				return boom
			}
			return nil
		}})
		if err := op.call(p); !errors.Is(err, boom) {
			t.Errorf("%s: err = %v, want FailOn's error", name, err)
		}
		if want := []string{name + "/" + op.rtype}; !slices.Equal(seen, want) {
			t.Errorf("%s: FailOn saw %q, want %q", name, seen, want)
		}
		if n := p.Calls(name); n != 1 {
			t.Errorf("%s: Calls = %d, want 1", name, n)
		}
		p.SetHooks(memdns.Hooks{})
		if got := data(t, p); len(got) != 1 || got[0] != "b A 1m0s 192.0.2.9" {
			t.Errorf("%s: a failed call changed the zone: %q", name, got)
		}
	}
}

// failOnNames returns the quoted operation names of the Hooks.FailOn doc
// comment, sorted.
func failOnNames(t *testing.T) []string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "hooks.go", nil, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	var text string
	ast.Inspect(f, func(n ast.Node) bool {
		if fld, ok := n.(*ast.Field); ok && len(fld.Names) == 1 && fld.Names[0].Name == "FailOn" {
			text = fld.Doc.Text()
		}
		return true
	})
	var names []string
	for _, m := range regexp.MustCompile(`"([A-Z][A-Za-z]+)"`).FindAllStringSubmatch(text, -1) {
		names = append(names, m[1])
	}
	slices.Sort(names)
	return slices.Compact(names)
}
