package lync

import (
	"context"
	"encoding/json"
)

// Runner runs one PowerShell script on one Windows host where the Lync or
// Skype for Business management shell module is available.
//
// The script is an inner script of docs/wire.md §4 (the Runner frames it).
// Run returns the JSON array the script wrote (wire.md §3), a *CmdletError
// when the script threw on the host, or a *TransportError wrapping the cause
// when the host could not be reached or stopped answering (lync/winrm's
// *winrm.WinRM may also return a *winrm.ModuleError, a *winrm.HostError when
// a process ended without a result (ErrNoResult), a *ProtocolError for
// unreadable output, or an *InputError for a script too long for one
// process). Run honours ctx: it returns by the context's deadline at the
// latest. Implementations are safe for concurrent use; *winrm.WinRM
// serializes the scripts of one host.
//
// Client resources are built on any Runner, so callers may plug in their own
// (for instance a recording or a dry-run runner).
type Runner interface {
	Run(ctx context.Context, script string) (json.RawMessage, error)
}
