package xmppdns

import (
	"reflect"
	"strings"
)

// Guarantees states what a Zone's writes promise, as data: it follows from
// the optional interfaces its provider implements, so it is known before
// anything is sent and a dry run can print it per zone.
type Guarantees struct {
	// Provider names the provider: the last element of its Go package path
	// ("rfc2136", "cloudflare", "route53"), or the name given with
	// ZoneOptions.ProviderName.
	Provider string `json:"provider"`
	// Conditional: an RRset is written only if it still holds what the plan
	// read (a ConditionalSetter or BatchConditionalSetter), so a concurrent
	// change is detected (ErrConflict), never overwritten.
	Conditional bool `json:"conditional"`
	// Atomic: a whole change is one write (a BatchConditionalSetter: one RFC
	// 2136 UPDATE), applied entirely or not at all.
	Atomic bool `json:"atomic"`
}

// Guarantees reports what Apply promises with this zone's provider.
func (z *Zone) Guarantees() Guarantees {
	g := Guarantees{Provider: z.providerName}
	switch z.provider.(type) {
	case BatchConditionalSetter:
		g.Conditional, g.Atomic = true, true
	case ConditionalSetter:
		g.Conditional = true
	}
	return g
}

// String says the guarantees in one sentence, for a dry run: for example
// "rfc2136: conditional and atomic: the change is one write, refused whole
// if an RRset changed since it was read" or "cloudflare: not conditional: a
// concurrent change between check and write is overwritten; not atomic: ...".
func (g Guarantees) String() string {
	var b strings.Builder
	b.WriteString(g.Provider + ": ")
	switch {
	case g.Conditional && g.Atomic:
		b.WriteString("conditional and atomic: the change is one write, refused whole if an RRset changed since it was read")
		return b.String()
	case g.Conditional:
		b.WriteString("conditional: an RRset that changed since it was read is not overwritten")
	default:
		b.WriteString("not conditional: a concurrent change between check and write is overwritten")
	}
	b.WriteString("; not atomic: the change takes several calls, new records are written before old ones are removed, and a failure between calls is reported with what it left (PartialError)")
	return b.String()
}

// providerName is the last element of the package path of p's type.
func providerName(p Provider) string {
	t := reflect.TypeOf(p)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if path := t.PkgPath(); path != "" {
		return path[strings.LastIndex(path, "/")+1:]
	}
	return t.String()
}
