package lynctest

// RouteEvent reports a change of a site's XMPP route by Set-CsSite. Routes
// are "" (none) or "EdgeServer:<pool fqdn>".
type RouteEvent struct {
	Site     string // site name, e.g. "Site2"
	From, To string
}

// ReplicaEvent reports that a CMS replica became up to date, or fell behind
// after a topology change.
type ReplicaEvent struct {
	Host     string // replica FQDN
	UpToDate bool
}

// event is one queued callback invocation.
type event struct {
	svc   *ServiceEvent
	route *RouteEvent
	repl  *ReplicaEvent
}

// enqueueLocked queues an event for the dispatcher and returns its sequence
// number. Call with d.mu held: the queue order is the order of the changes.
func (d *Deployment) enqueueLocked(e event) uint64 {
	if d.onServiceChange == nil && d.onRouteChange == nil && d.onReplication == nil {
		return 0
	}
	d.evQueue = append(d.evQueue, e)
	d.evSeq++
	select {
	case d.evWake <- struct{}{}:
	default:
	}
	return d.evSeq
}

// dispatch delivers queued events one at a time, in order, without holding
// d.mu, until the deployment closes (remaining events are still delivered).
func (d *Deployment) dispatch() {
	defer d.wg.Done()
	for {
		closing := false
		select {
		case <-d.evWake:
		case <-d.closing:
			closing = true
		}
		d.mu.Lock()
		q, last := d.evQueue, d.evSeq
		d.evQueue = nil
		d.mu.Unlock()
		for _, e := range q {
			switch {
			case e.svc != nil && d.onServiceChange != nil:
				d.onServiceChange(*e.svc)
			case e.route != nil && d.onRouteChange != nil:
				d.onRouteChange(*e.route)
			case e.repl != nil && d.onReplication != nil:
				d.onReplication(*e.repl)
			}
		}
		d.mu.Lock()
		d.evDone = last
		close(d.evDelivered)
		d.evDelivered = make(chan struct{})
		d.mu.Unlock()
		if closing {
			return
		}
	}
}

// flush waits until every event up to seq was delivered (or the deployment
// closed). Cmdlets flush before they return, so that a harness's callbacks
// have run when the client sees the result.
func (d *Deployment) flush(seq uint64) {
	for {
		d.mu.Lock()
		done, ch := d.evDone >= seq, d.evDelivered
		d.mu.Unlock()
		if done {
			return
		}
		select {
		case <-ch:
		case <-d.closing:
			return
		}
	}
}

// lastSeq returns the sequence number of the newest queued event.
func (d *Deployment) lastSeq() uint64 {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.evSeq
}
