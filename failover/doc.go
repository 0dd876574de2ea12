// Package failover composes the Lync Server 2013 / Skype for Business Server
// 2015 runbook "fail over the Edge pool used for XMPP federation" as a Plan:
// a value built from live state, printed as a dry run, then applied.
//
// New reads what a Config names (the site, the target Edge pool and its
// servers, the XMPP route, the services, the DNS records of every SIP domain)
// and returns the plan; it changes nothing, and it opens every target server's
// session with the Lync module imported before the first change, so that the
// outage lasts as long as the work. Printing the plan (String, or JSON) is
// the dry run. A plan built when federation already runs on the target pool
// has no changes. Failback is New of Config.Failback (the pools, sites and
// addresses swapped), computed from live state, never copied from the
// forward plan.
//
// A Plan is a dependency graph of Steps. Each step says which runbook step it
// implements, what it depends on, the changes it makes (before -> after), the
// exact commands it runs, and how it is undone. Apply runs independent steps
// concurrently with a bound (per-server stops, the route, each zone's single
// DNS write), calls Hooks around them (Before may veto: an approval gate),
// emits Events for progress display and logs them through an injected
// slog.Logger. Every change first re-reads what the plan read and stops with
// ErrStalePlan if someone changed it. The last steps verify: the route read
// back, services and replicas, the records on every authoritative name
// server, port 5269, and each domain as a remote server resolves it. When a
// step fails, Apply starts nothing new, waits for the running steps, and
// undoes newest first what was done, trying every undo and joining their
// errors; the Report says per step what happened and in which State the
// deployment was left.
//
// # Vocabulary
//
// One word per concept. A step's state is a StepState wherever it shows:
// in a journal (the state table below), in a StepReport, and in an Event,
// which says that a step entered a state (or, with Event.Progress, reports
// from a running step or undo). An apply's state is an ApplyState
// (applying, rolling-back, ended); an ended apply leaves the deployment in
// a State (applied, unchanged, rolled-back, inconsistent), which a Report,
// the journal's end record and a Recovery carry. A journal.Kind names a
// record: the input of the state table. A Phase says where a StepError
// happened (the Before hook, the change, its undo); a ChangeKind says what
// a Change does to a resource.
//
// # Preflight
//
// Before it returns, New runs the checks of package preflight on the
// target pool with Config.Preflight: what the field finds wrong with a new
// pool only after the outage began (certificates, Access Edge
// configuration, XMPP partners, product version and, with
// Preflight.CheckReachability, the internal XMPP port). Their findings are
// in Plan.Findings and in the dry run. An error refuses the plan with a
// *preflight.Error listing every finding; so does a warning, unless
// Preflight.AcceptWarnings names its check. Every Config field is checked
// before any of this is read. With Verify.IMReceiver the plan ends with
// Test-CsXmppIM, an IM across the XMPP gateway of Verify.IMPool, which New
// checks is a Front End pool (Get-CsPool lists a Registrar service for it).
//
// # Remote caches
//
// Remote servers cache DNS answers for their TTL, so after the plan moves
// an RRset a partner may keep reaching the old pool until the write plus
// the old TTL, whatever Apply does. Plan.Caches states that bound for every
// RRset the plan replaces or deletes (the dry run and the JSON print it),
// CacheWindow gives the longest, and above CacheAdviceAbove the bound
// advises lowering TTLs ahead of time (prepare-dr) or SRVPrioritized, with
// which an old SRV set that a partner still holds lists the new pool too
// (Fallback: one failed connection attempt, not a TTL).
//
// Strategy Runbook follows Microsoft's order. Rolling, this package's
// extension, sets the route first, waits for the target replicas, then
// restarts the target servers one at a time.
//
// With ApplyOptions.Journal (package failover/journal stores the records;
// journal.Open gives a locked, checksummed file), an apply survives its
// process: Inspect tells what a journal's apply did and where each resource
// stands now, Resume finishes it, Rollback restores the before-state, each
// in a new process and each safe to run twice.
//
// # Recovery is a state machine
//
// The journal records every transition of every step and every decision of
// the apply; it is never folded into a summary that forgets: an undone step
// is "undone", not "not started". The states of a step (StepState) and of
// an apply (ApplyState), and the records that move between them, are one
// table in states.go; a record the table does not allow where it comes is
// journal.ErrCorrupt. "step in" is the state the step a record names must be
// in, "apply in" the state the apply must be in; the record moves them to
// "step to" and "apply to" (- leaves a state as it is):
//
//	record        step in                      step to       apply in                apply to
//	start         not-started, started         started       applying                -
//	done          started                      done          applying, rolling-back  -
//	failed        started                      failed        applying, rolling-back  rolling-back
//	veto          any                          -             applying, rolling-back  rolling-back
//	rolling-back  (no step)                    -             applying, rolling-back  rolling-back
//	rollback      (no step)                    -             any                     rolling-back
//	resume        (no step)                    -             applying                -
//	undo          any but not-started          undo-started  rolling-back            -
//	undone        undo-started                 undone        rolling-back            -
//	undo-failed   undo-started                 undo-failed   rolling-back            -
//	end           (no step)                    -             applying, rolling-back  ended
//
// A start is never written after the decision to roll back (a failed
// record, a veto, a rolling-back record with its cause, or an operator's
// rollback record); a step that was running then still records its end.
// What Resume (of an applying journal) and Rollback do with each step, by
// its state: "run again" because a started step may be half-done (it is on
// the undo list at once, and every step is idempotent: stopping stopped
// services, setting the route it already has, a DNS write already in
// place); "keep" after checking that its change is still in place
// (ErrStalePlan otherwise, before any change):
//
//	state         Resume       Rollback
//	not-started   run          nothing
//	started       run again    undo
//	done          keep         undo
//	failed        -            undo
//	undo-started  -            undo
//	undone        -            undo if a dependent is undone now
//	undo-failed   -            undo
//
// An undone step is undone again when a step that depends on it is undone
// now, since that undo may undo part of its own (undoing a start stops the
// services that the undone stop had started again).
//
// Resume runs only an applying journal: a rolling-back one is
// ErrRollingBack (run Rollback), an ended one ErrPlanEnded (and also
// ErrRollingBack when it ended inconsistent), one marked incomplete
// journal.ErrIncomplete. Rollback runs on any journal. Inspect reads any
// and says what to run next. Every undo order, in Apply, Resume and
// Rollback, is the reverse of a topological order of the plan: a step is
// undone before the steps it depends on, never by time or journal position.
// Undos run even when the journal cannot record them (a full disk): the
// apply then returns journal.ErrIncomplete with its report, and marks the
// journal incomplete so that no later Resume rolls it forward.
//
// Every undo of a service step restores each service's before-state (a
// service Stopped before stays Stopped, a Running one is running again), for
// both strategies. A server whose services an undo started loads the
// configuration its CMS replica holds at that moment: in the Runbook
// strategy the route is set back before the stop step's undo starts the
// services, but the undo does not wait for the old route to replicate, so a
// server whose replica lags may load the new route until its next restart;
// services an undo leaves running (never stopped) keep what they had loaded.
//
// Package failover/failovertest builds a complete simulated deployment to
// rehearse all of this in tests and drills.
package failover
