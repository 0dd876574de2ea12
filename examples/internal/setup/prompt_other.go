//go:build !unix

package setup

import (
	"context"
	"errors"
	"os"
)

// readHidden refuses: without golang.org/x/term the examples cannot turn
// terminal echo off here, so secrets must come from environment variables
// (or a pipe, which is not a terminal).
func readHidden(context.Context, *os.File) (string, error) {
	return "", errors.New("cannot turn terminal echo off on this system: use the environment variable")
}
