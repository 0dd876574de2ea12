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
// has no changes. Failback is New with the pools and sites swapped, computed
// from live state, never copied from the forward plan.
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
// Strategy Runbook follows Microsoft's order. Rolling, this package's
// extension, sets the route first, waits for the target replicas, then
// restarts the target servers one at a time.
//
// With ApplyOptions.Journal (OpenJournal gives a locked, checksummed file),
// an apply survives its process: Inspect tells what a journal's apply did and
// where each resource stands now, Resume finishes it, Rollback restores the
// before-state, each in a new process and each safe to run twice.
//
// Package failover/failovertest builds a complete simulated deployment to
// rehearse all of this in tests and drills.
package failover
