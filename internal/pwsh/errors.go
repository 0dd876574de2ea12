package pwsh

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Sentinel errors. Every error this package returns matches one of them with
// errors.Is; callers never need to inspect error text.
var (
	// ErrInvalidString reports a string that cannot reach a host unchanged
	// (it is not valid UTF-8, so it cannot survive the UTF-16 script encoding).
	ErrInvalidString = errors.New("pwsh: string is not valid UTF-8")
	// ErrBuild reports a command the builder refuses to build (see BuildError).
	ErrBuild = errors.New("pwsh: cannot build command")
	// ErrTooLong reports a command line longer than MaxCommandLine (see TooLongError).
	ErrTooLong = errors.New("pwsh: command line too long")
	// ErrMalformed reports host output that cannot be decoded (see FrameError).
	ErrMalformed = errors.New("pwsh: malformed host output")
	// ErrNoFrame reports host output that holds no frame of the expected marker.
	ErrNoFrame = errors.New("pwsh: no frame in host output")
)

// BuildError is the first problem a Command builder met. It matches ErrBuild,
// and also ErrInvalidString when a value was not valid UTF-8.
type BuildError struct {
	Command string // the cmdlet name given to NewCommand
	Field   string // the parameter, property or member concerned; empty for the cmdlet name
	Reason  string // what is wrong, e.g. "duplicate parameter"
	Err     error  // optional cause, e.g. ErrInvalidString
}

// Error describes the problem, naming the cmdlet and the field.
func (e *BuildError) Error() string {
	s := fmt.Sprintf("pwsh: build %q", e.Command)
	if e.Field != "" {
		s += fmt.Sprintf(" at %q", e.Field)
	}
	return s + ": " + e.Reason
}

// Is reports whether target is ErrBuild.
func (e *BuildError) Is(target error) bool { return target == ErrBuild }

// Unwrap returns the cause, if any.
func (e *BuildError) Unwrap() error { return e.Err }

// TooLongError reports a command line over the cmd.exe limit. It matches ErrTooLong.
type TooLongError struct {
	Length int // characters of the command line that would be sent
	Limit  int // MaxCommandLine
}

// Error gives the length and the limit.
func (e *TooLongError) Error() string {
	return fmt.Sprintf("pwsh: command line of %d characters exceeds the limit of %d", e.Length, e.Limit)
}

// Is reports whether target is ErrTooLong.
func (e *TooLongError) Is(target error) bool { return target == ErrTooLong }

// FrameError reports host output (a frame, or CLIXML stderr) that cannot be
// decoded, or the absence of a frame. It matches Err, which is ErrMalformed
// when nil.
type FrameError struct {
	Reason  string // what is wrong
	Excerpt string // at most MaxExcerpt bytes of the offending output, valid UTF-8
	Err     error  // ErrMalformed (the default) or ErrNoFrame
}

// MaxExcerpt bounds FrameError.Excerpt and FrameReader.Noise, in bytes.
const MaxExcerpt = 200

// Error gives the reason and the excerpt.
func (e *FrameError) Error() string {
	return fmt.Sprintf("%v: %s (output %q)", e.Unwrap(), e.Reason, e.Excerpt)
}

// Unwrap returns Err, or ErrMalformed when Err is nil.
func (e *FrameError) Unwrap() error {
	if e.Err == nil {
		return ErrMalformed
	}
	return e.Err
}

// excerpt returns at most MaxExcerpt bytes from the start of b, as valid UTF-8.
func excerpt(b []byte) string {
	if len(b) > MaxExcerpt {
		b = b[:MaxExcerpt]
		// Do not cut a rune in half.
		for i := 0; i < utf8.UTFMax && len(b) > 0 && !utf8.Valid(b); i++ {
			b = b[:len(b)-1]
		}
	}
	s := strings.ToValidUTF8(string(b), "\uFFFD")
	for len(s) > MaxExcerpt { // replacement characters may have grown it
		_, n := utf8.DecodeLastRuneInString(s)
		s = s[:len(s)-n]
	}
	return s
}
