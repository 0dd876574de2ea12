package xmppdns

import (
	"fmt"
	"strings"
)

// Op is the kind of a Correction.
type Op string

// The kinds of Correction.
const (
	OpCreate Op = "create" // the RRset was absent
	OpModify Op = "modify" // the RRset's records or TTL change
	OpDelete Op = "delete" // the RRset goes away
)

// Correction is the change of one RRset from Old to New. An absent side has
// no Data.
type Correction struct {
	Op  Op    `json:"op"`
	Old RRset `json:"old"`
	New RRset `json:"new"`
}

// String renders the correction on one line as dnscontrol prints its
// corrections, for example
// "+ CREATE _xmpp-server._tcp.contoso.com. SRV 10 0 5269 edge2.contoso.com. ttl=300",
// "± MODIFY xmpp.contoso.com. A (192.0.2.1 ttl=300) -> (192.0.2.2 ttl=300)" or
// "- DELETE xmpp.contoso.com. AAAA 2001:db8::1 ttl=300".
func (c Correction) String() string {
	switch c.Op {
	case OpCreate:
		return fmt.Sprintf("+ CREATE %s %s %s", c.New.Name, c.New.Type, c.New.dataString())
	case OpDelete:
		return fmt.Sprintf("- DELETE %s %s %s", c.Old.Name, c.Old.Type, c.Old.dataString())
	default:
		return fmt.Sprintf("± MODIFY %s %s (%s) -> (%s)", c.New.Name, c.New.Type, c.Old.dataString(), c.New.dataString())
	}
}

// Change is a planned diff of one zone: the corrections that make the zone
// hold the desired RRsets, computed from the RRsets read when it was
// planned. It is a value: print it (String, or JSON), then Apply it. Desired
// lists every RRset the plan named, changed or not, as it will be after the
// change (what a verifier should expect).
type Change struct {
	Zone        string       `json:"zone"`
	Corrections []Correction `json:"corrections"`
	Desired     []RRset      `json:"desired"`
}

// Empty reports whether the change has nothing to do.
func (c *Change) Empty() bool { return c == nil || len(c.Corrections) == 0 }

// String renders the change one correction per line, in dnscontrol style,
// or "(no changes to zone <zone>)" when it is empty.
func (c *Change) String() string {
	if c.Empty() {
		zone := ""
		if c != nil {
			zone = c.Zone
		}
		return "(no changes to zone " + zone + ")"
	}
	lines := make([]string, len(c.Corrections))
	for i, cr := range c.Corrections {
		lines[i] = cr.String()
	}
	return strings.Join(lines, "\n")
}

// Before returns the snapshot of the RRsets the change touches, as they were
// when it was planned: restoring it puts them back whatever the zone holds
// then (Zone.Undo, by contrast, leaves alone what someone else changed).
func (c *Change) Before() *Snapshot {
	if c == nil {
		return nil
	}
	s := &Snapshot{Zone: c.Zone}
	for _, cr := range c.Corrections {
		s.Sets = append(s.Sets, cr.Old.clone())
	}
	return s
}

// diff computes the correction from cur to want, or false when there is
// nothing to do.
func diff(cur, want RRset) (Correction, bool) {
	switch {
	case cur.Equal(want):
		return Correction{}, false
	case !cur.Exists():
		return Correction{Op: OpCreate, Old: cur, New: want}, true
	case !want.Exists():
		want.TTL = 0
		return Correction{Op: OpDelete, Old: cur, New: want}, true
	default:
		return Correction{Op: OpModify, Old: cur, New: want}, true
	}
}
