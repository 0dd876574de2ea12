package lynctest

// maxInvocations bounds the invocation log of a host.
const maxInvocations = 100

// Invocation is one cmdlet call as the reader bound it: the values are
// exactly what the literals decoded to (string, []string for arrays, nil for
// $null, bool for switches, int64 for integers).
type Invocation struct {
	Cmdlet string
	Params map[string]any // by canonical parameter name, e.g. "Identity"
}

// Invocations returns the last cmdlet calls the host's reader bound (at most
// 100), oldest first, including calls that then failed.
func (h *Host) Invocations() []Invocation {
	h.d.mu.Lock()
	defer h.d.mu.Unlock()
	out := make([]Invocation, len(h.invocations))
	for i, inv := range h.invocations {
		p := make(map[string]any, len(inv.Params))
		for k, v := range inv.Params {
			if ss, ok := v.([]string); ok {
				v = append([]string(nil), ss...)
			}
			p[k] = v
		}
		out[i] = Invocation{Cmdlet: inv.Cmdlet, Params: p}
	}
	return out
}

// record logs a bound call and counts it.
func (d *Deployment) record(h *Host, cmdlet string, b bound) {
	d.mu.Lock()
	defer d.mu.Unlock()
	h.counters.Cmdlets[cmdlet]++
	p := make(map[string]any, len(b))
	for k, v := range b {
		p[k] = v
	}
	h.invocations = append(h.invocations, Invocation{Cmdlet: cmdlet, Params: p})
	if len(h.invocations) > maxInvocations {
		h.invocations = append([]Invocation(nil), h.invocations[len(h.invocations)-maxInvocations:]...)
	}
}
