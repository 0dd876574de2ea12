package failover_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/miekg/dns"

	"github.com/xmppfed/edgefailover/failover"
	"github.com/xmppfed/edgefailover/failover/failovertest"
)

func setRR(t *testing.T, lab *failovertest.Lab, zone, name string, rtype uint16, rrs ...string) {
	t.Helper()
	var out []dns.RR
	for _, s := range rrs {
		rr, err := dns.NewRR(s)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, rr)
	}
	if err := lab.DNSZone(zone).SetRRset(name, rtype, out...); err != nil {
		t.Fatal(err)
	}
}

func TestPlanStatesTheCacheBound(t *testing.T) {
	t.Parallel()
	lab := failovertest.Start(t, failovertest.Options{})
	setRR(t, lab, "contoso.com", "xmpp.contoso.com.", dns.TypeA, "xmpp.contoso.com. 3600 IN A 192.0.2.10")
	p := newPlan(t, forward(lab))
	if len(p.Caches) != 1 {
		t.Fatalf("Caches = %v, want the A record only", p.Caches)
	}
	b := p.Caches[0]
	want := failover.CacheBound{RRset: "xmpp.contoso.com. A", Old: "192.0.2.10", OldTTL: time.Hour, Step: "dns/contoso.com"}
	if b.Advice == "" || !strings.Contains(b.Advice, "prioritized SRV") {
		t.Errorf("no advice above %v: %q", failover.CacheAdviceAbove, b.Advice)
	}
	b.Advice = ""
	if diff := cmp.Diff(want, b); diff != "" {
		t.Errorf("bound (-want +got):\n%s", diff)
	}
	if p.CacheWindow() != time.Hour {
		t.Errorf("CacheWindow = %v", p.CacheWindow())
	}
	if s := p.String(); !strings.Contains(s, "partners may reach the old pool until write + 3600 s") || !strings.Contains(s, "advice: lower the TTL") {
		t.Errorf("dry run does not state the bound:\n%s", s)
	}
	js, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(js), `"old_ttl":3600`) || !strings.Contains(string(js), `until write + 3600 s`) {
		t.Errorf("JSON does not state the bound: %s", js)
	}
	if r, err := p.Apply(context.Background(), failover.ApplyOptions{}); err != nil {
		t.Fatalf("Apply: %v (%v)", err, r.State)
	}

	// Failback: computed from live state, the same bound for the A record
	// now on pool 2 (the plan wrote it with TTL 3600 kept).
	bp := newPlan(t, back(lab))
	if len(bp.Caches) != 1 || bp.Caches[0].Old != "192.0.2.20" || bp.Caches[0].OldTTL != time.Hour {
		t.Fatalf("failback Caches = %v", bp.Caches)
	}
}

func TestPrioritizedSRVFallsBack(t *testing.T) {
	t.Parallel()
	lab := failovertest.Start(t, failovertest.Options{})
	// prepare-dr wrote the prioritized set ahead: pool 1 first.
	for _, d := range []string{"contoso.com", "fabrikam.com"} {
		setRR(t, lab, d, "_xmpp-server._tcp."+d+".", dns.TypeSRV,
			"_xmpp-server._tcp."+d+". 3600 IN SRV 10 0 5269 access1.contoso.com.",
			"_xmpp-server._tcp."+d+". 3600 IN SRV 20 0 5269 access2.contoso.com.")
	}
	cfg := forward(lab)
	cfg.SRV = failover.SRVPrioritized
	cfg.PoolHosts = map[string]string{failovertest.SourcePool: "access1.contoso.com", failovertest.TargetPool: "access2.contoso.com"}
	p := newPlan(t, cfg)
	srv := 0
	for _, b := range p.Caches {
		if strings.HasSuffix(b.RRset, " SRV") {
			srv++
			if !b.Fallback || b.Advice != "" || !strings.Contains(b.String(), "then the next SRV target") {
				t.Errorf("%v: a cached prioritized set still leads to pool 2", b)
			}
		}
	}
	if srv != 2 {
		t.Errorf("Caches = %v, want both SRV sets", p.Caches)
	}
	if p.CacheWindow() > failover.CacheAdviceAbove {
		t.Errorf("CacheWindow = %v: the SRV sets fall back, only the A record counts", p.CacheWindow())
	}
}
