package winrm

import (
	"encoding/json"
	"fmt"

	"github.com/xmppfed/edgefailover/internal/pwsh"
	"github.com/xmppfed/edgefailover/lync"
)

// HostError reports a PowerShell process that ended without writing the
// result of its script (for instance because the frame line did not parse
// on the host). Stderr is the decoded error text. It matches lync.ErrNoResult.
type HostError struct {
	Host     string
	ExitCode int
	Stderr   string // at most a few KB
}

// Error implements error.
func (e *HostError) Error() string {
	return fmt.Sprintf("lync: %s: PowerShell exited with code %d and no result: %s", e.Host, e.ExitCode, e.Stderr)
}

// Is reports whether target is ErrNoResult.
func (e *HostError) Is(target error) bool { return target == lync.ErrNoResult }

// inputError is a *lync.InputError for a value refused before anything was
// sent.
func inputError(field, value, reason string, cause error) *lync.InputError {
	if len(value) > 80 {
		value = value[:80] + "..."
	}
	return &lync.InputError{Field: field, Value: value, Reason: reason, Err: cause}
}

// resultOf maps a decoded frame to the Runner contract.
func resultOf(res *pwsh.Result) (json.RawMessage, error) {
	if res.Err != nil {
		r := res.Err
		return nil, &lync.CmdletError{
			Cmdlet:                r.Cmdlet,
			Type:                  r.Type,
			FullyQualifiedErrorId: r.FullyQualifiedErrorId,
			Category:              r.Category,
			Message:               r.Message,
		}
	}
	return res.Output, nil
}
