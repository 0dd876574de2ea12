package failover

import (
	"testing"

	"github.com/xmppfed/edgefailover/xmppdns"
)

// TestSharesTargetParsesSRV: the targets of an SRV set are read by the one
// SRV parser (libdns.RR.Parse), case-insensitively; data that is not an SRV
// record (a field that is not a number, a missing field) names no target,
// so a broken old set never counts as a fallback.
func TestSharesTargetParsesSRV(t *testing.T) {
	set := func(data ...string) xmppdns.RRset {
		return xmppdns.RRset{Name: "_xmpp-server._tcp.contoso.com.", Type: "SRV", Data: data}
	}
	newSet := set("10 0 5269 edge2.contoso.com.", "20 0 5269 edge1.contoso.com.")
	for _, tc := range []struct {
		old  xmppdns.RRset
		want bool
	}{
		{set("10 0 5269 edge1.contoso.com."), true},
		{set("10 0 5269 EDGE2.contoso.com."), true},
		{set("10 0 5269 edge3.contoso.com."), false},
		{set("10 0 xmpp edge1.contoso.com."), false},
		{set("ten 0 5269 edge2.contoso.com."), false},
		{set("10 0 5269"), false},
		{set(), false},
	} {
		if got := sharesTarget(tc.old, newSet); got != tc.want {
			t.Errorf("sharesTarget(%q) = %v, want %v", tc.old.Data, got, tc.want)
		}
	}
}
