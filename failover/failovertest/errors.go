package failovertest

import (
	"errors"
	"fmt"
)

var (
	// ErrClosed is returned by the methods of a Lab after Close.
	ErrClosed = errors.New("failovertest: lab closed")
	// ErrBadOptions is matched (errors.Is) by every *OptionError.
	ErrBadOptions = errors.New("failovertest: invalid options")
	// ErrUnknownHost is returned by OpenServer for a name that is not a
	// server of the lab.
	ErrUnknownHost = errors.New("failovertest: no such host in the lab")
	// ErrListener is returned by Snapshot when a listener the lab state
	// calls for could not be started again (its port was taken meanwhile).
	ErrListener = errors.New("failovertest: listener could not follow the lab state")
)

// OptionError reports an Options field New refused. It matches ErrBadOptions.
type OptionError struct {
	Field  string // e.g. "Domains[1]"
	Value  string // the refused value, as given
	Reason string
}

// Error implements error.
func (e *OptionError) Error() string {
	return fmt.Sprintf("failovertest: Options.%s %q: %s", e.Field, e.Value, e.Reason)
}

// Is reports whether target is ErrBadOptions.
func (e *OptionError) Is(target error) bool { return target == ErrBadOptions }
