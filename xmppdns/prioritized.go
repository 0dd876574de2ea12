package xmppdns

import (
	"fmt"
	"slices"
	"strings"

	"github.com/xmppfed/edgefailover/internal/dnsname"
)

// PriorityStep is the distance between the priorities Prioritized gives:
// 10, 20, 30, ... so an operator can slot a record in between by hand.
const PriorityStep = 10

// Prioritized returns the SRV set of the runbook's disaster-recovery tip: one
// record per Edge pool, all on DefaultPort with weight 0, each with its own
// priority, in the order given. The first pool, the one that hosts XMPP
// federation now, gets the lowest number (10), so remote servers prefer it;
// the others follow at 20, 30, ... Failing over is calling it again with the
// new pool first. Pools are FQDNs, with or without the trailing dot
// ("edgepool2.contoso.com"), each named once; the targets are absolute
// ("edgepool2.contoso.com.").
func Prioritized(pools ...string) ([]SRV, error) {
	if len(pools) == 0 {
		return nil, inputErr("pools", "", "at least one pool is needed")
	}
	if len(pools) > 65535/PriorityStep {
		return nil, inputErr("pools", fmt.Sprint(len(pools)), "too many pools for distinct priorities")
	}
	out := make([]SRV, len(pools))
	seen := make(map[string]bool, len(pools))
	for i, p := range pools {
		field := fmt.Sprintf("pools[%d]", i)
		n, err := dnsname.ParseFQDN(p)
		if err != nil {
			return nil, &InputError{Field: field, Value: p, Reason: nameReason(err)}
		}
		if seen[n] {
			return nil, inputErr(field, p, "pool named twice")
		}
		seen[n] = true
		out[i] = SRV{Target: n + ".", Port: DefaultPort, Priority: uint16((i + 1) * PriorityStep)}
	}
	return out, nil
}

// Active returns the records of the set with the lowest priority number:
// the targets remote servers try first (RFC 2782). It returns nil for an
// empty set or the "." record.
func (s SRVSet) Active() []SRV {
	var out []SRV
	for _, r := range s.Records {
		if r.Target == "." {
			continue
		}
		switch {
		case len(out) == 0 || r.Priority < out[0].Priority:
			out = []SRV{r}
		case r.Priority == out[0].Priority:
			out = append(out, r)
		}
	}
	slices.SortFunc(out, func(a, b SRV) int { return strings.Compare(a.Target, b.Target) })
	return out
}
