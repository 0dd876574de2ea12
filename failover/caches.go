package failover

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/libdns/libdns"

	"github.com/xmppfed/edgefailover/xmppdns"
)

// CacheBound is how long remote servers may still act on an RRset that a
// plan replaces or deletes. A remote server's resolver may answer from its
// cache until the TTL it received has run out (RFC 1035 section 3.2.1,
// RFC 2181 section 8), so a partner that looked the RRset up just before the
// write may use the old records until the write plus the old TTL, whatever
// the plan does after the write. An RRset the plan creates is not listed: a
// resolver that cached its absence keeps that for at most the zone's
// negative-caching TTL (RFC 2308), which the plan does not read.
type CacheBound struct {
	// RRset names the RRset: "xmpp.contoso.com. A".
	RRset string
	// Old is its data as remote caches may hold it, comma-separated.
	Old string
	// OldTTL is the TTL remote caches received with Old.
	OldTTL time.Duration
	// Step is the ID of the step that writes the new RRset ("dns/contoso.com").
	Step string
	// Fallback reports that Old (an SRV set) also lists a target of the new
	// set: a partner that still holds it tries the old pool first and, when
	// that connection fails or times out, the next target (RFC 6120 section
	// 3.2.1), so it reaches the new pool after one failed attempt rather
	// than after OldTTL.
	Fallback bool
	// Advice, when OldTTL is above CacheAdviceAbove and there is no
	// Fallback, says how to shorten the bound before the next failover.
	Advice string
}

// String renders the bound as the dry run prints it, for example
// "xmpp.contoso.com. A: partners may reach the old pool (192.0.2.10) until
// write + 3600 s (its old TTL), written by dns/contoso.com".
func (b CacheBound) String() string {
	secs := int64(b.OldTTL / time.Second)
	if b.Fallback {
		return fmt.Sprintf("%s: partners may try the old pool first (%s) until write + %d s (its old TTL), then the next SRV target, written by %s",
			b.RRset, b.Old, secs, b.Step)
	}
	return fmt.Sprintf("%s: partners may reach the old pool (%s) until write + %d s (its old TTL), written by %s",
		b.RRset, b.Old, secs, b.Step)
}

// MarshalJSON gives the bound with the TTL in whole seconds and its text.
func (b CacheBound) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		RRset    string `json:"rrset"`
		Old      string `json:"old"`
		OldTTL   int64  `json:"old_ttl"`
		Step     string `json:"step"`
		Fallback bool   `json:"fallback"`
		Text     string `json:"text"`
		Advice   string `json:"advice,omitempty"`
	}{b.RRset, b.Old, int64(b.OldTTL / time.Second), b.Step, b.Fallback, b.String(), b.Advice})
}

// CacheWindow returns the longest OldTTL of the bounds without Fallback:
// partners may reach the old pool until the last DNS write plus this. It
// is 0 when the plan moves no RRset (or every moved one falls back).
func (p *Plan) CacheWindow() time.Duration {
	var w time.Duration
	for _, b := range p.Caches {
		if !b.Fallback && b.OldTTL > w {
			w = b.OldTTL
		}
	}
	return w
}

// cacheBounds lists a bound for every RRset the zone change replaces or
// deletes.
func cacheBounds(c Config, step string, ch *xmppdns.Change) []CacheBound {
	var out []CacheBound
	for _, cr := range ch.Corrections {
		if !cr.Old.Exists() {
			continue
		}
		b := CacheBound{RRset: cr.Old.Name + " " + cr.Old.Type, Old: rdata(cr.Old), OldTTL: cr.Old.TTL, Step: step}
		if cr.Old.Type == "SRV" && cr.New.Exists() {
			b.Fallback = sharesTarget(cr.Old, cr.New)
		}
		if !b.Fallback && b.OldTTL > CacheAdviceAbove {
			b.Advice = advice(c, b)
		}
		out = append(out, b)
	}
	return out
}

func advice(c Config, b CacheBound) string {
	ttl := int64(CacheAdviceAbove / time.Second)
	a := fmt.Sprintf("lower the TTL of %s to %d s ahead of time (prepare-dr -ttl %d), at least one old TTL before a failover", b.RRset, ttl, ttl)
	if c.SRV != SRVPrioritized {
		a += ", or use the prioritized SRV policy (prepare-dr writes one SRV target per pool; a partner then falls over to the next target on its next connection attempt)"
	}
	return a
}

// sharesTarget reports whether an SRV set lists a target of another.
// Records that do not parse as SRV (libdns.RR.Parse) list no target.
func sharesTarget(old, new xmppdns.RRset) bool {
	targets := srvTargets(new)
	for _, t := range srvTargets(old) {
		if slices.Contains(targets, t) {
			return true
		}
	}
	return false
}

// srvTargets returns the targets of an SRV set, in lower case.
func srvTargets(s xmppdns.RRset) []string {
	var out []string
	for _, d := range s.Data {
		if rec, err := (libdns.RR{Name: s.Name, Type: "SRV", Data: d}).Parse(); err == nil {
			if srv, ok := rec.(libdns.SRV); ok {
				out = append(out, strings.ToLower(srv.Target))
			}
		}
	}
	return out
}
