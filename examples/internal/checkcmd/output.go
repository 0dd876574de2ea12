package checkcmd

import (
	"encoding/json"
	"fmt"
	"io"
)

// write prints the results and returns the exit code: unhealthy only for
// a check that failed (a finding); a check that could not run says why
// and is not one.
func (c *checker) write(w io.Writer) int {
	n := map[Status]int{}
	for _, r := range c.results {
		n[r.Status]++
	}
	code := ExitHealthy
	switch {
	case n[StatusFailed] > 0:
		code = ExitUnhealthy
	case n[StatusNotRun] > 0 || n[StatusOK] == 0:
		code = ExitIncomplete // interrupted: no finding, but no verdict either
	}
	if c.o.json {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.Encode(map[string]any{"healthy": code == ExitHealthy, "failed": n[StatusFailed], "not_run": n[StatusNotRun], "checks": c.results})
		return code
	}
	marks := map[Status]string{StatusOK: "ok     ", StatusFailed: "FAIL   ", StatusNotRun: "NOT RUN"}
	for _, r := range c.results {
		fmt.Fprintf(w, "%s  %-44s %s\n", marks[r.Status], r.Check, r.Detail)
	}
	notRun := ""
	if n[StatusNotRun] > 0 {
		notRun = fmt.Sprintf(", %d not run", n[StatusNotRun])
	}
	switch code {
	case ExitHealthy:
		fmt.Fprintf(w, "healthy: %d checks passed\n", n[StatusOK])
	case ExitUnhealthy:
		fmt.Fprintf(w, "UNHEALTHY: %d of %d checks failed%s\n", n[StatusFailed], len(c.results), notRun)
	default:
		fmt.Fprintf(w, "INCOMPLETE: no check failed, %d passed%s\n", n[StatusOK], notRun)
	}
	return code
}
