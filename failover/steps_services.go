package failover

import (
	"context"
	"fmt"
	"strings"

	"github.com/xmppfed/edgefailover/edge"
	"github.com/xmppfed/edgefailover/lync"
)

// running returns the names of the services in state Running, and whether
// that is all of them.
func running(svcs []lync.Service) (names []string, all bool) {
	for _, s := range svcs {
		if s.Status == lync.ServiceRunning {
			names = append(names, s.Name)
		}
	}
	return names, len(names) == len(svcs) && len(svcs) > 0
}

func describe(svcs []lync.Service) string {
	if len(svcs) == 0 {
		return "no Lync services"
	}
	counts := map[lync.ServiceStatus]int{}
	var order []lync.ServiceStatus
	for _, s := range svcs {
		if counts[s.Status] == 0 {
			order = append(order, s.Status)
		}
		counts[s.Status]++
	}
	parts := make([]string, len(order))
	for i, st := range order {
		parts[i] = fmt.Sprintf("%d %s", counts[st], st)
	}
	return strings.Join(parts, ", ")
}

func progressState(p *Progress, st *edge.ServerState) {
	if st != nil {
		p.Report(st.FQDN, describe(st.Services))
	}
}

// stopStep stops every Lync service of a target server (runbook step 2).
// Undo starts what was running.
func stopStep(c Config, srv *edge.Server, before []lync.Service, deps []string) *Step {
	fqdn := srv.FQDN()
	names, all := running(before)
	s := &Step{
		ID:        "stop/" + fqdn,
		SeedStep:  2,
		Title:     "Stop the Lync services of Edge server " + fqdn,
		DependsOn: deps,
		Changes:   []Change{{Kind: Ensure, Resource: "services of " + fqdn, Before: describe(before), After: "all Stopped"}},
		Commands:  []string{stopCommand(fqdn, c.Graceful), pollCommand(fqdn)},
	}
	s.do = func(ctx context.Context, p *Progress) error {
		if err := checkServices(ctx, srv, before); err != nil {
			return err
		}
		st, err := srv.StopServices(ctx, &edge.StopOptions{Graceful: c.Graceful, PollInterval: c.Timeouts.Poll, Timeout: c.Timeouts.Stop})
		progressState(p, st)
		return err
	}
	if len(names) > 0 {
		s.Undo = "start the services that were running: " + strings.Join(names, ", ")
		s.undo = startServices(c, srv, names, all)
	}
	return s
}

// checkServices is the stale-plan guard of a stop: the services must be as
// the plan read them (or already all stopped, by an interrupted apply);
// otherwise someone acted on the server meanwhile, and the undo would
// restore a state that no longer holds.
func checkServices(ctx context.Context, srv *edge.Server, before []lync.Service) error {
	st, err := srv.Status(ctx)
	if err != nil {
		return err
	}
	if st.All(lync.ServiceStopped) || sameStates(st.Services, before) {
		return nil
	}
	return fmt.Errorf("%w: services of %s are %s, the plan read %s", ErrStalePlan, srv.FQDN(), describe(st.Services), describe(before))
}

func sameStates(a, b []lync.Service) bool {
	want := make(map[string]lync.ServiceStatus, len(b))
	for _, s := range b {
		want[s.Name] = s.Status
	}
	if len(a) != len(want) {
		return false
	}
	for _, s := range a {
		if st, ok := want[s.Name]; !ok || st != s.Status {
			return false
		}
	}
	return true
}

// startStep starts every Lync service of a target server (runbook step 7).
// Undo stops them again.
func startStep(c Config, srv *edge.Server, before string, deps []string) *Step {
	fqdn := srv.FQDN()
	s := &Step{
		ID:        "start/" + fqdn,
		SeedStep:  7,
		Title:     "Start the Lync services of Edge server " + fqdn,
		DependsOn: deps,
		Changes:   []Change{{Kind: Ensure, Resource: "services of " + fqdn, Before: before, After: "all Running"}},
		Commands:  []string{startCommand(fqdn, nil), pollCommand(fqdn)},
		Undo:      "stop the services again",
	}
	s.do = startServices(c, srv, nil, true)
	s.undo = func(ctx context.Context, p *Progress) error {
		st, err := srv.StopServices(ctx, &edge.StopOptions{PollInterval: c.Timeouts.Poll, Timeout: c.Timeouts.Stop})
		progressState(p, st)
		return err
	}
	return s
}

// restartStep stops and starts one target server (the Rolling strategy).
// Undo starts what was running.
func restartStep(c Config, srv *edge.Server, before []lync.Service, deps []string) *Step {
	fqdn := srv.FQDN()
	names, all := running(before)
	s := &Step{
		ID:        "restart/" + fqdn,
		SeedStep:  7,
		Title:     "Restart the Lync services of Edge server " + fqdn + " to load the new route",
		DependsOn: deps,
		Changes:   []Change{{Kind: Ensure, Resource: "services of " + fqdn, Before: describe(before), After: "restarted, all Running"}},
		Commands:  []string{stopCommand(fqdn, c.Graceful), pollCommand(fqdn), startCommand(fqdn, nil), pollCommand(fqdn)},
	}
	s.do = func(ctx context.Context, p *Progress) error {
		if err := checkServices(ctx, srv, before); err != nil {
			return err
		}
		st, err := srv.StopServices(ctx, &edge.StopOptions{Graceful: c.Graceful, PollInterval: c.Timeouts.Poll, Timeout: c.Timeouts.Stop})
		progressState(p, st)
		if err != nil {
			return err
		}
		return startServices(c, srv, nil, true)(ctx, p)
	}
	if len(names) > 0 {
		s.Undo = "start the services that were running: " + strings.Join(names, ", ")
		s.undo = startServices(c, srv, names, all)
	}
	return s
}

func startServices(c Config, srv *edge.Server, names []string, all bool) func(context.Context, *Progress) error {
	if all {
		names = nil
	}
	return func(ctx context.Context, p *Progress) error {
		st, err := srv.StartServices(ctx, &edge.StartOptions{Names: names, PollInterval: c.Timeouts.Poll, Timeout: c.Timeouts.Start})
		progressState(p, st)
		return err
	}
}
