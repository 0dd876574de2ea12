package lynctest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// transition moves services of h toward Stopped (stop) or Running and
// returns a channel closed when the transition settled. A service with
// FaultServiceWontStop stays StopPending; one with FaultServiceWontStart
// goes back to Stopped.
func (d *Deployment) transition(h *Host, svcs []*serviceState, stop, graceful bool) <-chan struct{} {
	done := make(chan struct{})
	type step struct {
		s   *serviceState
		gen int
	}
	var steps []step
	now := time.Now()
	d.mu.Lock()
	for _, s := range svcs {
		target, pending := Running, StartPending
		if stop {
			target, pending = Stopped, StopPending
		}
		if s.status == target {
			continue
		}
		d.setStatusLocked(h, s, pending, now)
		s.gen++
		steps = append(steps, step{s, s.gen})
	}
	dur := d.latency.ServiceStart
	if stop {
		dur = d.latency.ServiceStop
		if graceful {
			dur = d.latency.GracefulStop
		}
	}
	dur = d.latency.scaled(dur)
	d.mu.Unlock()
	d.wg.Add(1)
	go func() {
		defer d.wg.Done()
		defer close(done)
		if !d.sleep(context.Background(), dur) {
			return
		}
		now := time.Now()
		d.mu.Lock()
		for _, st := range steps {
			if st.s.gen != st.gen {
				continue // a newer start or stop took over
			}
			switch {
			case stop && d.fireLocked(h.fqdn, "", "", st.s.name, FaultServiceWontStop) != nil:
				// hangs in StopPending
			case stop:
				d.setStatusLocked(h, st.s, Stopped, now)
			case d.fireLocked(h.fqdn, "", "", st.s.name, FaultServiceWontStart) != nil:
				d.setStatusLocked(h, st.s, Stopped, now)
			default:
				d.setStatusLocked(h, st.s, Running, now)
			}
		}
		d.mu.Unlock()
	}()
	return done
}

// setStatusLocked changes a service state, keeping the replica's view of
// REPLICA in step, and queues the event. Call with d.mu held.
func (d *Deployment) setStatusLocked(h *Host, s *serviceState, to ServiceStatus, now time.Time) {
	if s.status == to {
		return
	}
	from := s.status
	if h.replica != nil && s.name == "REPLICA" {
		d.settleReplicaLocked(h, now)
		if to == Running {
			h.replica.runningSince = now
			d.scheduleReplicaCheckLocked(h, now)
		} else {
			h.replica.runningSince = time.Time{}
		}
	}
	s.status = to
	d.enqueueLocked(event{svc: &ServiceEvent{Host: h.fqdn, Service: s.name, From: from, To: to}})
}

// ErrUnknown is returned (wrapped) by the Deployment's setters for a host,
// service or site that does not exist.
var ErrUnknown = errors.New("lynctest: no such object")

// SetServiceStatus sets a service state at once, as if an operator had
// used the Services console; Config.OnServiceChange is called
// asynchronously. Pending transitions of that service are abandoned.
func (d *Deployment) SetServiceStatus(host, service string, status ServiceStatus) error {
	if status < Stopped || status > Paused {
		return fmt.Errorf("lynctest: invalid service status %d", status)
	}
	d.mu.Lock()
	h := d.hostByName[normFQDN(host)]
	var s *serviceState
	if h != nil {
		s = h.service(strings.ToUpper(service))
	}
	if s == nil {
		d.mu.Unlock()
		return fmt.Errorf("%w: service %q on host %q", ErrUnknown, service, host)
	}
	s.gen++
	d.setStatusLocked(h, s, status, time.Now())
	d.mu.Unlock()
	return nil
}
