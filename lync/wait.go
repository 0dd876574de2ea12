package lync

import (
	"context"
	"fmt"
	"time"
)

// DefaultPollInterval is the poll interval of the Wait methods when none is given.
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

// WaitState polls List every poll (default 5s) until every Lync service
// of computer has state, and returns the services. When ctx ends first (or
// a poll fails) it returns the last list read and a *WaitError.
//
// Runs: Get-CsWindowsService -ComputerName <computer> | Select-Object ... (repeatedly)
func (s *ServicesService) WaitState(ctx context.Context, computer string, state ServiceStatus, poll time.Duration) ([]Service, error) {
	if _, err := parseFQDN("computer", computer); err != nil {
		return nil, err
	}
	var last []Service
	err := pollUntil(ctx, poll, func() (bool, error) {
		list, err := s.List(ctx, computer)
		if err != nil {
			return false, err
		}
		last = list
		for _, svc := range list {
			if svc.Status != state {
				return false, nil
			}
		}
		return true, nil
	})
	if err != nil {
		return last, waitError("services on "+computer, string(state), err)
	}
	return last, nil
}
