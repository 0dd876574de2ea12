package failover

import (
	"context"
	"errors"
	"fmt"

	"github.com/xmppfed/edgefailover/xmppdns"
)

// dnsStep writes one zone's change in one write (runbook steps 4 and 5),
// conditional on the values the plan read. Undo restores the old RRsets that
// still hold what the step wrote.
func dnsStep(c Config, zc zoneChange, deps []string) *Step {
	seed := 5
	for _, k := range zc.change.Corrections {
		if k.New.Type == "A" || k.New.Type == "AAAA" || k.Old.Type == "A" || k.Old.Type == "AAAA" {
			seed = 4
		}
	}
	name := zc.zone.Name()
	s := &Step{
		ID:        "dns/" + trimDot(name),
		SeedStep:  seed,
		Title:     "Write the XMPP federation records of zone " + name,
		DependsOn: deps,
		Changes:   dnsChanges(zc.change),
		Commands:  dnsCommands(zc.change),
		Undo:      "restore the old records (only those still holding what was written)",
	}
	s.do = func(ctx context.Context, p *progress) error {
		ctx, cancel := context.WithTimeout(ctx, c.Timeouts.DNS)
		defer cancel()
		err := zc.zone.Apply(ctx, zc.change)
		if errors.Is(err, xmppdns.ErrConflict) {
			// Written already (a resumed apply repeats an interrupted
			// step), or changed by someone else: only the latter is stale.
			if ok, rerr := dnsInPlace(ctx, zc); rerr == nil && ok {
				return nil
			}
			return fmt.Errorf("%w: %w", ErrStalePlan, err)
		}
		if err == nil {
			p.Report("", fmt.Sprintf("%d RRsets written and read back", len(zc.change.Corrections)))
		}
		return err
	}
	s.undo = func(ctx context.Context, p *progress) error {
		ctx, cancel := context.WithTimeout(ctx, c.Timeouts.DNS)
		defer cancel()
		return undoDNS(ctx, zc.zone, zc.change, p)
	}
	s.inPlace = func(ctx context.Context) (bool, error) { return dnsInPlace(ctx, zc) }
	return s
}

// dnsInPlace reports whether the zone holds every RRset the change wants.
func dnsInPlace(ctx context.Context, zc zoneChange) (bool, error) {
	want := make([]xmppdns.Desired, len(zc.change.Desired))
	for i, s := range zc.change.Desired {
		want[i] = s
	}
	ch, err := zc.zone.Plan(ctx, want...)
	if err != nil {
		return false, err
	}
	return ch.Empty(), nil
}

func trimDot(s string) string {
	if len(s) > 0 && s[len(s)-1] == '.' {
		return s[:len(s)-1]
	}
	return s
}
