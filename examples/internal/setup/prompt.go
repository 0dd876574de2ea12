package setup

import (
	"context"
	"os"

	"golang.org/x/term"
)

// isTerminal reports whether f is a terminal (not merely a character
// device: /dev/null is not one).
func isTerminal(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }

// readHidden reads a line from the terminal f with echo off
// (golang.org/x/term: termios on Unix, the console mode on Windows), and
// puts the terminal back as it was whatever happens, an interrupt (ctx)
// included.
func readHidden(ctx context.Context, f *os.File) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	fd := int(f.Fd())
	old, err := term.GetState(fd)
	if err != nil {
		return "", err
	}
	defer term.Restore(fd, old)
	return await(ctx, func() (string, error) {
		b, err := term.ReadPassword(fd)
		return string(b), err
	})
}
