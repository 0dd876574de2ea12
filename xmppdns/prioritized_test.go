package xmppdns

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestPrioritized(t *testing.T) {
	t.Parallel()
	got, err := Prioritized("EdgePool2.contoso.com.", "edgepool1.contoso.com", "edgepool3.fabrikam.com.") // with or without the trailing dot
	if err != nil {
		t.Fatal(err)
	}
	want := []SRV{
		{Target: "edgepool2.contoso.com.", Port: 5269, Priority: 10},
		{Target: "edgepool1.contoso.com.", Port: 5269, Priority: 20},
		{Target: "edgepool3.fabrikam.com.", Port: 5269, Priority: 30},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	active := SRVSet{Records: got}.Active()
	if len(active) != 1 || active[0].Target != "edgepool2.contoso.com." {
		t.Errorf("Active = %v", active)
	}
	if _, err := checkSRVs("x", got); err != nil {
		t.Errorf("Prioritized output fails validation: %v", err)
	}
}

func TestPrioritizedRefuses(t *testing.T) {
	t.Parallel()
	many := make([]string, 6554)
	for i := range many {
		many[i] = "p.contoso.com."
	}
	for name, pools := range map[string][]string{
		"none":      nil,
		"one label": {"edgepool1"},
		"twice":     {"edgepool1.contoso.com.", "EDGEPOOL1.contoso.com"},
		"not LDH":   {"edge_pool.contoso.com."},
		"too many":  many,
		"dot alone": {"."},
	} {
		if _, err := Prioritized(pools...); !errors.Is(err, ErrInvalidInput) {
			t.Errorf("%s: error = %v", name, err)
		}
	}
}

func TestActive(t *testing.T) {
	t.Parallel()
	s := SRVSet{Records: []SRV{srv("b.contoso.com.", 5), srv("a.contoso.com.", 5), srv("c.contoso.com.", 1), NotAvailable()}}
	if got := s.Active(); len(got) != 1 || got[0].Target != "c.contoso.com." {
		t.Errorf("Active = %v", got)
	}
	if got := (SRVSet{Records: []SRV{NotAvailable()}}).Active(); got != nil {
		t.Errorf("Active of \".\" = %v", got)
	}
}
