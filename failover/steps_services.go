package failover

import (
	"context"
	"fmt"
	"slices"
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

func progressState(p *progress, st *edge.ServerState) {
	if st != nil {
		p.Report(st.FQDN, describe(st.Services))
	}
}

// stopStep stops every Lync service of a target server (runbook step 2).
// Undo restores each service's before-state.
func stopStep(c Config, srv *edge.Server, before []lync.Service, deps []string) *Step {
	fqdn := srv.FQDN()
	s := &Step{
		ID:        "stop/" + fqdn,
		SeedStep:  2,
		Title:     "Stop the Lync services of Edge server " + fqdn,
		DependsOn: deps,
		Changes:   []Change{{Kind: Ensure, Resource: "services of " + fqdn, Before: describe(before), After: "all Stopped"}},
		Commands:  []string{stopCommand(fqdn, c.Graceful), pollCommand(fqdn)},
		Undo:      undoText(before),
	}
	s.do = func(ctx context.Context, p *progress) error {
		// Each service as the plan read it, or stopped already (by an
		// interrupted apply that this one resumes: stop the rest).
		if err := checkServices(ctx, srv, before, lync.ServiceStopped); err != nil {
			return err
		}
		st, err := srv.StopServices(ctx, edge.StopOptions{Graceful: c.Graceful, PollInterval: c.Timeouts.Poll, Timeout: c.Timeouts.Stop})
		progressState(p, st)
		return err
	}
	s.undo = restoreServices(c, srv, before)
	return s
}

// checkServices is the stale-plan guard of a step that stops services:
// each service must be as the plan read it or in one of the states an
// interrupted run of the same step leaves (also); otherwise someone acted
// on the server meanwhile, and the undo would restore a state that no
// longer holds.
func checkServices(ctx context.Context, srv *edge.Server, before []lync.Service, also ...lync.ServiceStatus) error {
	st, err := srv.Status(ctx)
	if err != nil {
		return err
	}
	want := make(map[string]lync.ServiceStatus, len(before))
	for _, s := range before {
		want[s.Name] = s.Status
	}
	ok := len(st.Services) == len(want)
	for _, s := range st.Services {
		b, known := want[s.Name]
		if !known || (s.Status != b && !slices.Contains(also, s.Status)) {
			ok = false
		}
	}
	if ok {
		return nil
	}
	return fmt.Errorf("%w: services of %s are %s, the plan read %s", ErrStalePlan, srv.FQDN(), describe(st.Services), describe(before))
}

// startStep starts every Lync service of a target server (runbook step 7).
// before is what the step will find: all Stopped after a stop step, or the
// services as read when only the start is left to do. Undo restores it.
func startStep(c Config, srv *edge.Server, before []lync.Service, deps []string) *Step {
	fqdn := srv.FQDN()
	s := &Step{
		ID:        "start/" + fqdn,
		SeedStep:  7,
		Title:     "Start the Lync services of Edge server " + fqdn,
		DependsOn: deps,
		Changes:   []Change{{Kind: Ensure, Resource: "services of " + fqdn, Before: describeStart(before), After: "all Running"}},
		Commands:  []string{startCommand(fqdn, nil), pollCommand(fqdn)},
		Undo:      undoText(before),
	}
	s.do = func(ctx context.Context, p *progress) error {
		st, err := srv.StartServices(ctx, edge.StartOptions{PollInterval: c.Timeouts.Poll, Timeout: c.Timeouts.Start})
		progressState(p, st)
		return err
	}
	s.undo = restoreServices(c, srv, before)
	return s
}

// restartStep stops and starts one target server (the Rolling strategy).
// Undo restores each service's before-state.
func restartStep(c Config, srv *edge.Server, before []lync.Service, deps []string) *Step {
	fqdn := srv.FQDN()
	s := &Step{
		ID:        "restart/" + fqdn,
		SeedStep:  7,
		Title:     "Restart the Lync services of Edge server " + fqdn + " to load the new route",
		DependsOn: deps,
		Changes:   []Change{{Kind: Ensure, Resource: "services of " + fqdn, Before: describe(before), After: "restarted, all Running"}},
		Commands:  []string{stopCommand(fqdn, c.Graceful), pollCommand(fqdn), startCommand(fqdn, nil), pollCommand(fqdn)},
		Undo:      undoText(before),
	}
	s.do = func(ctx context.Context, p *progress) error {
		// An interrupted restart leaves services stopped or started again.
		if err := checkServices(ctx, srv, before, lync.ServiceStopped, lync.ServiceRunning); err != nil {
			return err
		}
		st, err := srv.StopServices(ctx, edge.StopOptions{Graceful: c.Graceful, PollInterval: c.Timeouts.Poll, Timeout: c.Timeouts.Stop})
		progressState(p, st)
		if err != nil {
			return err
		}
		st, err = srv.StartServices(ctx, edge.StartOptions{PollInterval: c.Timeouts.Poll, Timeout: c.Timeouts.Start})
		progressState(p, st)
		return err
	}
	s.undo = restoreServices(c, srv, before)
	return s
}

// describeStart shows what a start step finds: "all Stopped" after a stop
// step.
func describeStart(before []lync.Service) string {
	for _, s := range before {
		if s.Status != lync.ServiceStopped {
			return describe(before)
		}
	}
	return "all Stopped"
}

// allStopped is the state a stop step leaves: the same services, Stopped.
func allStopped(svcs []lync.Service) []lync.Service {
	out := make([]lync.Service, len(svcs))
	for i, s := range svcs {
		out[i] = s
		out[i].Status = lync.ServiceStopped
	}
	return out
}

// target is the state an undo restores a service to: Running if it was
// running (or starting), Stopped otherwise.
func target(s lync.Service) lync.ServiceStatus {
	if s.Status == lync.ServiceRunning || s.Status == lync.ServiceStartPending {
		return lync.ServiceRunning
	}
	return lync.ServiceStopped
}

func undoText(before []lync.Service) string {
	var run, stop []string
	for _, s := range before {
		if target(s) == lync.ServiceRunning {
			run = append(run, s.Name)
		} else {
			stop = append(stop, s.Name)
		}
	}
	var parts []string
	if len(stop) > 0 {
		parts = append(parts, "stop what was stopped: "+strings.Join(stop, ", "))
	}
	if len(run) > 0 {
		parts = append(parts, "start what was running: "+strings.Join(run, ", "))
	}
	if len(parts) == 0 {
		return "nothing: the server has no Lync services"
	}
	return "restore each service's before-state: " + strings.Join(parts, "; then ")
}

// restoreServices returns the undo of a service step: it reads the
// services and brings each back to its before-state, Stopped staying
// Stopped and Running staying Running: it stops, then starts, only the
// services that differ, so that it is idempotent and changes nothing on a
// server already as it was.
func restoreServices(c Config, srv *edge.Server, before []lync.Service) func(context.Context, *progress) error {
	return func(ctx context.Context, p *progress) error {
		st, err := srv.Status(ctx)
		if err != nil {
			return err
		}
		want := make(map[string]lync.ServiceStatus, len(before))
		for _, s := range before {
			want[s.Name] = target(s)
		}
		var stop, start []string
		for _, s := range st.Services {
			w, ok := want[s.Name]
			switch {
			case !ok || s.Status == w:
			case w == lync.ServiceStopped:
				stop = append(stop, s.Name)
			default:
				start = append(start, s.Name)
			}
		}
		if len(stop) > 0 {
			st, err := srv.StopServices(ctx, edge.StopOptions{Names: stop, PollInterval: c.Timeouts.Poll, Timeout: c.Timeouts.Stop})
			progressState(p, st)
			if err != nil {
				return err
			}
		}
		if len(start) > 0 {
			st, err := srv.StartServices(ctx, edge.StartOptions{Names: start, PollInterval: c.Timeouts.Poll, Timeout: c.Timeouts.Start})
			progressState(p, st)
			if err != nil {
				return err
			}
		}
		return nil
	}
}
