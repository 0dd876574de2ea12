// Package failover composes the Lync Server 2013 / Skype for Business Server
// 2015 runbook "fail over the Edge pool used for XMPP federation" as a Plan:
// a value built from live state, printed as a dry run, then applied.
//
// A Plan is a dependency graph of Steps. Each step says which runbook step it
// implements, what it depends on, the changes it makes (before -> after) and
// the exact commands it runs. Apply runs independent steps concurrently with a
// bound, calls Hooks around them (Before may veto: an approval gate), emits
// Events for progress display and logs them through an injected slog.Logger.
// When a step fails, Apply starts nothing new, waits for the running steps, and
// undoes newest first what was done, trying every undo and joining their
// errors; the Report says per step what happened and in which State the
// deployment was left.
package failover
