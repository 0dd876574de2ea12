package main

import (
	"encoding/json"
	"fmt"
	"io"
)

// write prints the results and returns the exit code.
func (c *checker) write(w io.Writer) int {
	failed := 0
	for _, r := range c.results {
		if !r.OK {
			failed++
		}
	}
	code := exitHealthy
	if failed > 0 || len(c.results) == 0 {
		code = exitUnhealthy
	}
	if c.o.json {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.Encode(map[string]any{"healthy": code == exitHealthy, "failed": failed, "checks": c.results})
		return code
	}
	for _, r := range c.results {
		mark := "ok  "
		if !r.OK {
			mark = "FAIL"
		}
		fmt.Fprintf(w, "%s  %-44s %s\n", mark, r.Check, r.Detail)
	}
	if code == exitHealthy {
		fmt.Fprintf(w, "healthy: %d checks passed\n", len(c.results))
	} else {
		fmt.Fprintf(w, "UNHEALTHY: %d of %d checks failed\n", failed, len(c.results))
	}
	return code
}
