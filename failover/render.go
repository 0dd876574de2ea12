package failover

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// String renders the plan as text, the dry run: the preflight checks with
// their results, then one block per step with its dependencies, its changes (+ create, ± modify old -> new, - delete,
// = ensure) and the exact commands it will run.
func (p *Plan) String() string {
	var b strings.Builder
	_ = p.WriteText(&b)
	return b.String()
}

// WriteText writes the text form of the plan (see String) to w.
func (p *Plan) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Plan: %s (strategy %s)\n", p.Name, p.Strategy)
	if !p.HasChanges() {
		b.WriteString("No changes: federation already runs as planned.\n")
	} else {
		n := p.Counts()
		fmt.Fprintf(&b, "%d to create, %d to modify, %d to delete, %d states to reach; %d steps.\n",
			n[Create], n[Modify], n[Delete], n[Ensure], len(p.Steps))
	}
	for _, n := range p.Notes {
		fmt.Fprintf(&b, "Note: %s.\n", n)
	}
	writeCaches(&b, p)
	writeFindings(&b, p.Findings)
	for i, s := range p.Steps {
		b.WriteByte('\n')
		fmt.Fprintf(&b, "%2d. %s", i+1, s.ID)
		if s.SeedStep > 0 {
			fmt.Fprintf(&b, "  [runbook step %d]", s.SeedStep)
		}
		b.WriteByte('\n')
		fmt.Fprintf(&b, "    %s\n", s.Title)
		if len(s.DependsOn) > 0 {
			fmt.Fprintf(&b, "    after: %s\n", strings.Join(s.DependsOn, ", "))
		}
		for _, c := range s.Changes {
			b.WriteString("    ")
			b.WriteString(c.String())
			b.WriteByte('\n')
		}
		for _, c := range s.Commands {
			fmt.Fprintf(&b, "    $ %s\n", c)
		}
		if s.Undo != "" {
			fmt.Fprintf(&b, "    undo: %s\n", s.Undo)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// String renders the change in the spirit of dnscontrol's corrections:
// "+ CREATE r: new", "± MODIFY r: old -> new", "- DELETE r: old" or
// "= ENSURE r: old -> new".
func (c Change) String() string {
	switch c.Kind {
	case Create:
		return fmt.Sprintf("+ CREATE %s: %s", c.Resource, c.After)
	case Delete:
		return fmt.Sprintf("- DELETE %s: %s", c.Resource, c.Before)
	case Ensure:
		return fmt.Sprintf("= ENSURE %s: %s -> %s", c.Resource, c.Before, c.After)
	default:
		return fmt.Sprintf("± MODIFY %s: %s -> %s", c.Resource, c.Before, c.After)
	}
}

// writeCaches writes how long remote caches may still send partners to the
// old pool.
func writeCaches(b *strings.Builder, p *Plan) {
	if len(p.Caches) == 0 {
		return
	}
	if w := p.CacheWindow(); w > 0 {
		fmt.Fprintf(b, "Remote caches: partners may reach the old pool until write + %d s (the longest old TTL of an RRset the plan moves):\n", int64(w/time.Second))
	} else {
		b.WriteString("Remote caches: partners holding an old SRV set fall over to the next target after one failed attempt:\n")
	}
	for _, c := range p.Caches {
		fmt.Fprintf(b, "  %s\n", c)
		if c.Advice != "" {
			fmt.Fprintf(b, "  advice: %s\n", c.Advice)
		}
	}
}
