package xmppdns

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestOrderRFC2782 drives the selection with chosen random numbers and
// checks the running-sum rule of RFC 2782, weight-0 records first.
func TestOrderRFC2782(t *testing.T) {
	t.Parallel()
	c := func(host string, prio, weight uint16) Candidate {
		return Candidate{Host: host, Port: 5269, Priority: prio, Weight: weight, FromSRV: true}
	}
	in := []Candidate{c("b", 10, 60), c("z", 20, 0), c("a", 10, 0), c("c", 10, 40)}
	hosts := func(cs []Candidate) (s []string) {
		for _, x := range cs {
			s = append(s, x.Host)
		}
		return s
	}
	tests := []struct {
		draws []uint64 // returned in turn by n
		want  []string
	}{
		// sum 100 over [a:0 b:60 c:40]: running sums 0, 60, 100.
		{[]uint64{0, 0, 0, 0}, []string{"a", "b", "c", "z"}},   // 0 picks the weight-0 record first
		{[]uint64{1, 0, 0, 0}, []string{"b", "a", "c", "z"}},   // 1 <= 60: b; then [a:0 c:40], 0: a
		{[]uint64{61, 40, 0, 0}, []string{"c", "b", "a", "z"}}, // 61 > 60: c; then [a:0 b:60], 40: b
		{[]uint64{100, 1, 0, 0}, []string{"c", "b", "a", "z"}}, // 100: c (the top of the range)
		{[]uint64{60, 0, 0, 0}, []string{"b", "a", "c", "z"}},  // 60 <= 60: b
	}
	for _, tt := range tests {
		i := 0
		n := func(k uint64) uint64 {
			v := tt.draws[i]
			i++
			if v >= k {
				t.Fatalf("draw %d out of [0,%d)", v, k)
			}
			return v
		}
		if got := hosts(order(in, n)); !cmp.Equal(got, tt.want) {
			t.Errorf("draws %v: order %v, want %v", tt.draws, got, tt.want)
		}
	}
}

// TestOrderDistribution checks, with a seeded source (so the test is
// deterministic), that equal priorities are shared by weight as RFC 2782's
// algorithm shares them.
func TestOrderDistribution(t *testing.T) {
	t.Parallel()
	rnd := rand.New(rand.NewPCG(7, 11))
	in := []Candidate{{Host: "a", Weight: 1}, {Host: "b", Weight: 3}, {Host: "z", Priority: 1, Weight: 1000}}
	first := map[string]int{}
	const n = 4000
	for range n {
		got := order(in, rnd.Uint64N)
		first[got[0].Host]++
		if got[2].Host != "z" {
			t.Fatalf("higher priority number came before the end: %v", got)
		}
	}
	// RFC 2782 draws r uniformly in [0, sum] inclusive: with running sums
	// a=1, b=4, r in {0,1} picks a and r in {2,3,4} picks b, so b comes
	// first with probability 3/5 (not 3/4: the inclusive range is the RFC's).
	if b := float64(first["b"]) / n; b < 0.57 || b > 0.63 {
		t.Errorf("b first in %.3f of draws, want about 0.75 (%v)", b, first)
	}
}

// TestCandidatesDeterministic checks that the injected source decides the
// order among equal priorities: the same seed gives the same order.
func TestCandidatesDeterministic(t *testing.T) {
	t.Parallel()
	var recs []string
	for _, h := range []string{"a", "b", "c", "d", "e"} {
		recs = append(recs, "_xmpp-server._tcp.contoso.com. 300 IN SRV 10 10 5269 "+h+".contoso.com.")
	}
	f := table(t, recs...)
	run := func(seed uint64) []Candidate {
		r := &Resolver{Servers: []string{"192.0.2.53:53"}, Exchange: f.Exchange, Rand: rand.New(rand.NewPCG(seed, seed))}
		got, err := r.Candidates(context.Background(), "contoso.com")
		if err != nil || len(got) != 5 {
			t.Fatalf("Candidates = %v, %v", got, err)
		}
		return got
	}
	if d := cmp.Diff(run(1), run(1)); d != "" {
		t.Errorf("same seed, different order:\n%s", d)
	}
	differs := false
	for seed := uint64(2); seed < 10 && !differs; seed++ {
		differs = !cmp.Equal(run(1), run(seed))
	}
	if !differs {
		t.Error("the order never depends on the source")
	}
}
