package winrm

import (
	"fmt"
	"time"
)

// PersistentReason says why the persistent mode cannot work on a host.
type PersistentReason int

// Reasons of a *PersistentError.
const (
	// PersistentExited: `powershell.exe -Command -` ended before it answered
	// its first script (the host refuses PowerShell fed over stdin).
	PersistentExited PersistentReason = iota + 1
	// PersistentSilent: the process ran but answered no script within
	// Options.StartTimeout (its stdin does not reach it).
	PersistentSilent
)

// String returns "exited" or "silent".
func (r PersistentReason) String() string {
	switch r {
	case PersistentExited:
		return "exited"
	case PersistentSilent:
		return "silent"
	}
	return fmt.Sprintf("PersistentReason(%d)", int(r))
}

// PersistentError reports that the persistent session cannot work on a
// host, which is the only reason ModeAuto runs one process per script.
// ModePersistent returns it to the caller; retrying does not help. It does
// not match lync.ErrSessionBroken.
type PersistentError struct {
	Host   string
	Reason PersistentReason
	Err    error // a *HostError for PersistentExited
}

// Error implements error.
func (e *PersistentError) Error() string {
	return fmt.Sprintf("lync: %s: persistent PowerShell session cannot work (%s): %v", e.Host, e.Reason, e.Err)
}

// Unwrap returns the cause.
func (e *PersistentError) Unwrap() error { return e.Err }

// retryPersistent is how long ModeAuto runs one process per script after a
// *PersistentError, before it tries a persistent session again.
const retryPersistent = 10 * time.Minute

// perScript reports whether scripts run one process each now. Called with
// w.sem held.
func (w *WinRM) perScript() bool {
	if w.opts.Mode == ModePerScript {
		return true
	}
	return w.fallback != nil && time.Since(w.fellBack) < retryPersistent
}
