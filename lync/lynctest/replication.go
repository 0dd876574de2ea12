package lynctest

import (
	"context"
	"time"
)

// bumpVersionLocked records a topology change at now: every replica is out
// of date until it replicates. Call with d.mu held.
func (d *Deployment) bumpVersionLocked(now time.Time) {
	for _, h := range d.hosts {
		d.settleReplicaLocked(h, now)
	}
	d.version++
	d.changedAt = now
	for _, h := range d.hosts {
		if h.replica != nil {
			d.replicaEventLocked(h, now)
			d.scheduleReplicaCheckLocked(h, now)
		}
	}
}

// scheduleReplicaCheckLocked checks h's replica again when replication
// started at from could have completed, to report it. Call with d.mu held.
func (d *Deployment) scheduleReplicaCheckLocked(h *Host, from time.Time) {
	if d.onReplication == nil || d.closed {
		return
	}
	wait := time.Until(from.Add(d.latency.scaled(d.latency.Replication)))
	d.wg.Add(1)
	go func() {
		defer d.wg.Done()
		if !d.sleep(context.Background(), wait) {
			return
		}
		d.mu.Lock()
		defer d.mu.Unlock()
		d.replicaEventLocked(h, time.Now())
	}()
}

// replicaEventLocked queues a ReplicaEvent if h's replica changed state
// since the last one. Call with d.mu held.
func (d *Deployment) replicaEventLocked(h *Host, now time.Time) {
	up := d.replicaUpToDateLocked(h, now)
	if up != h.replica.reported {
		h.replica.reported = up
		d.enqueueLocked(event{repl: &ReplicaEvent{Host: h.fqdn, UpToDate: up}})
	}
}

// recheckReplicasLocked reports replicas a removed fault had held back.
func (d *Deployment) recheckReplicasLocked() {
	now := time.Now()
	for _, h := range d.hosts {
		if h.replica != nil {
			d.scheduleReplicaCheckLocked(h, now.Add(-d.latency.scaled(d.latency.Replication)))
		}
	}
}

// settleReplicaLocked brings h's replica up to date if replication could
// have completed by now: REPLICA running since before the change, the
// replication delay passed, and no FaultReplicationStuck. Call with d.mu held.
func (d *Deployment) settleReplicaLocked(h *Host, now time.Time) {
	r := h.replica
	if r == nil || r.applied == d.version || r.runningSince.IsZero() || d.replicationStuckLocked(h.fqdn) {
		return
	}
	from := d.changedAt
	if r.runningSince.After(from) {
		from = r.runningSince
	}
	ready := from.Add(d.latency.scaled(d.latency.Replication))
	if !now.Before(ready) {
		r.applied, r.lastReport = d.version, ready
	}
}

func (d *Deployment) replicationStuckLocked(fqdn string) bool {
	for _, f := range d.faults {
		if f.Kind == FaultReplicationStuck && (f.Host == "" || f.Host == fqdn) {
			return true
		}
	}
	return false
}

// replicaUpToDateLocked settles and reports h's replica. Call with d.mu held.
func (d *Deployment) replicaUpToDateLocked(h *Host, now time.Time) bool {
	d.settleReplicaLocked(h, now)
	return h.replica.applied == d.version
}

const classReplication = "Microsoft.Rtc.Management.Xds.GetReplicationStatusCmdlet"

var replicationDef = &cmdletDef{name: "Get-CsManagementStoreReplicationStatus", class: classReplication}

func replicationCmdlets() []*cmdletDef {
	return []*cmdletDef{{name: replicationDef.name, class: classReplication, lync: true, run: getReplication,
		params: []paramDef{{name: "ReplicaFqdn", kind: pString}, {name: "CentralManagementStoreStatus", kind: pSwitch}}}}
}

func getReplication(rc *runCtx, b bound) ([]any, *ErrorRecord) {
	d := rc.d
	d.mu.Lock()
	defer d.mu.Unlock()
	now := time.Now()
	var out []any
	for _, h := range d.hosts {
		if h.replica == nil || (b.has("ReplicaFqdn") && h.fqdn != normFQDN(b.str("ReplicaFqdn"))) {
			continue
		}
		up := d.replicaUpToDateLocked(h, now)
		var last any
		if !h.replica.lastReport.IsZero() {
			last = psDate(h.replica.lastReport)
		}
		out = append(out, newObject("Microsoft.Rtc.Management.Xds.ReplicaStatus",
			"UpToDate", up, "ReplicaFqdn", h.fqdn, "LastStatusReport", last,
			"LastUpdateCreation", psDate(d.changedAt), "ProductVersion", productVersion(d.product)))
	}
	if b.has("ReplicaFqdn") && len(out) == 0 {
		return nil, notFound(replicationDef, "replica", b.str("ReplicaFqdn"))
	}
	return out, nil
}

func productVersion(p Product) string {
	if p == Lync2013 {
		return "5.0.8308.0"
	}
	return "6.0.9319.0"
}
