// Package journal stores the records of a failover apply durably, so that
// failover.Resume, failover.Rollback and failover.Inspect can finish or
// explain it in another process after a crash.
//
//	j, err := journal.Open("/var/lib/edgefailover/site2.journal", journal.Options{})
//	...
//	defer j.Close()
//	rep, err := plan.Apply(ctx, failover.ApplyOptions{Journal: j})
//
// A Journal is anything that appends a Record durably and reads them back;
// File is the one this package provides: one record per line, each line the
// CRC-32 of its JSON and the JSON, synced before Append returns, a torn last
// line ignored and overwritten, damage before it ErrCorrupt. A File holds an
// flock(2) lock in path+".lock" that names its holder, so that a second
// apply, resume or rollback cannot use the journal at once (ErrLocked), and
// a lock left by a dead process is told from a live one (ErrStaleLock,
// Options.TakeOver). Directories are synced after files are created in
// them.
//
// Record and Kind are exported for those who write their own Journal (a
// database, a replicated log) and for programs that read a journal with
// Parse. What a Record's Plan holds is failover's encoding of the plan and
// its before-states; it is opaque here. What the records mean, and which
// may follow which, is failover's recovery state machine: its package doc
// shows the table.
package journal
