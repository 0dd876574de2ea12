package lync

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/xmppfed/edgefailover/internal/pwsh"
)

// DefaultPollInterval is the poll interval of the Wait methods (and of edge's
// StopServices and StartServices) when none is given; a wait on the host
// reads the state every twentieth of the interval (at most 250ms).
const DefaultPollInterval = 5 * time.Second

// WaitError reports a wait that ended before its condition held: the
// context ended (Err is its error) or a poll failed (Err is that error).
type WaitError struct {
	What string // e.g. "services on edge01.contoso.com"
	Want string // e.g. "Stopped"
	Err  error
}

// Error implements error.
func (e *WaitError) Error() string {
	return fmt.Sprintf("lync: waiting for %s to be %s: %v", e.What, e.Want, e.Err)
}

// Unwrap returns the cause.
func (e *WaitError) Unwrap() error { return e.Err }

func waitError(what, want string, err error) error {
	return &WaitError{What: what, Want: want, Err: err}
}

// pollUntil calls check at once and then every poll until it reports done,
// fails, or ctx ends (the context's error is returned then).
func pollUntil(ctx context.Context, poll time.Duration, check func() (bool, error)) error {
	if poll <= 0 {
		poll = DefaultPollInterval
	}
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-timer.C:
		}
		done, err := check()
		if err != nil {
			if cerr := ctx.Err(); cerr != nil {
				return cerr
			}
			return err
		}
		if done {
			return nil
		}
		timer.Reset(poll)
	}
}

// WaitState waits until every Lync service of computer (or, with names,
// every named one) has state, and returns the services (all of them) as last
// read. When ctx ends first, or a read fails, it returns the last list read
// and a *WaitError. A name the computer has no service of fails the wait at
// the first read with a *WaitError matching ErrNotFound, as Start- and
// Stop-CsWindowsService -Name fail for it: Lync installs its services with
// the role, so none appears during a wait.
//
// Over *WinRM the wait runs on the host: one script loops there, reading the
// services every poll/20 (1ms to 250ms), until the state is reached or a
// deadline passes (3/4 of the OperationTimeout, at most half the time ctx
// has left); a longer wait sends the next script. A host that refuses or ends such scripts is polled
// from then on (every poll, default 5s), as is any other Runner; a wait
// whose scripts come back early with the state pending polls, and the next
// wait tries the host again.
//
// Runs: $until = [DateTime]::UtcNow.AddMilliseconds(<ms>); while ([DateTime]::UtcNow -lt $until -and
// @(Get-CsWindowsService -ComputerName <computer> [| Where-Object -Property Name -In -Value <names>] |
// Where-Object -Property Status -NE -Value <state>).Count -gt 0) { Start-Sleep -Milliseconds <tick> };
// Get-CsWindowsService -ComputerName <computer> | Select-Object ... (polling: the last statement alone)
func (s *ServicesService) WaitState(ctx context.Context, computer string, state ServiceStatus, poll time.Duration, names ...string) ([]Service, error) {
	computer, err := parseFQDN("computer", computer)
	if err != nil {
		return nil, err
	}
	names = slices.Clone(names) // the caller's slice stays as given
	for i, n := range names {
		if names[i], err = ParseServiceName(n); err != nil {
			return nil, err
		}
	}
	list, err := listScript(computer)
	if err != nil {
		return nil, err
	}
	read := pwsh.NewCommand("Get-CsWindowsService").String("ComputerName", computer)
	readScript, err := read.Script()
	if err != nil {
		return nil, err
	}
	if len(names) > 0 {
		readScript += " | Where-Object -Property Name -In -Value " + pwsh.Array(names...)
	}
	var last []Service
	err = s.client.wait(ctx, hostWait{
		cmdlet:  "Get-CsWindowsService",
		read:    readScript,
		pending: "Where-Object -Property Status -NE -Value " + pwsh.Quote(string(state)),
		poll:    list,
		check: func(raw json.RawMessage) (bool, error) {
			var got []Service
			if err := decode("Get-CsWindowsService", raw, &got); err != nil {
				return false, err
			}
			last = got
			if n := missing(got, names); n != "" {
				return false, &notFoundError{Kind: "service", Name: n}
			}
			return allIn(got, state, names), nil
		},
	}, poll)
	if err != nil {
		return last, waitError("services on "+computer, string(state), err)
	}
	return last, nil
}

// allIn reports whether every service (or every named one) has state; a
// name names the services missing finds by it (strings.EqualFold).
func allIn(list []Service, state ServiceStatus, names []string) bool {
	for _, svc := range list {
		if svc.Status != state && (len(names) == 0 || slices.ContainsFunc(names, func(n string) bool { return strings.EqualFold(svc.Name, n) })) {
			return false
		}
	}
	return true
}

// missing returns the first of names that list lacks, or "".
func missing(list []Service, names []string) string {
	for _, n := range names {
		if !slices.ContainsFunc(list, func(svc Service) bool { return strings.EqualFold(svc.Name, n) }) {
			return n
		}
	}
	return ""
}
