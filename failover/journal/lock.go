package journal

import (
	"fmt"
	"os"
	"strings"
	"time"
)

// LockError names the holder of a journal lock.
type LockError struct {
	Path  string
	Owner string // "pid 4242 on host admin01 since 2026-11-25T21:40:00Z", as the holder wrote it
	Err   error  // ErrLocked or ErrStaleLock
}

// Error says which lock is held and by whom.
func (e *LockError) Error() string {
	return fmt.Sprintf("%v: %s (%s)", e.Err, e.Path, e.Owner)
}

// Unwrap returns ErrLocked or ErrStaleLock.
func (e *LockError) Unwrap() error { return e.Err }

func ownerLine() string {
	host, _ := os.Hostname()
	return fmt.Sprintf("pid %d on host %s since %s", os.Getpid(), host, time.Now().UTC().Format(time.RFC3339))
}

// writeOwner records this process as the holder in the lock file.
func writeOwner(f *os.File) error {
	if err := f.Truncate(0); err != nil {
		return err
	}
	if _, err := f.WriteAt([]byte(ownerLine()+"\n"), 0); err != nil {
		return err
	}
	return f.Sync()
}

func readOwner(f *os.File) string {
	b := make([]byte, 512)
	n, _ := f.ReadAt(b, 0)
	return strings.TrimSpace(string(b[:n]))
}
