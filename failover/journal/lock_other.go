//go:build !unix

package journal

import (
	"errors"
	"os"
)

// fileLock is an exclusively created lock file where flock(2) is not
// available. A dead holder cannot be told from a live one here: both give
// ErrLocked, and Options.TakeOver takes the lock whoever holds it.
type fileLock struct {
	path string
	f    *os.File
}

func acquireLock(path string, takeOver bool) (*fileLock, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		if !takeOver {
			owner := ""
			if g, err := os.Open(path); err == nil {
				owner = readOwner(g)
				g.Close()
			}
			return nil, &LockError{Path: path, Owner: owner, Err: ErrLocked}
		}
		if err := os.Remove(path); err != nil {
			return nil, err
		}
		f, err = os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	}
	if err != nil {
		return nil, err
	}
	if err := writeOwner(f); err != nil {
		f.Close()
		os.Remove(path)
		return nil, err
	}
	return &fileLock{path: path, f: f}, nil
}

func (l *fileLock) release() error {
	return errors.Join(l.f.Close(), os.Remove(l.path))
}

func (l *fileLock) abandon() { l.f.Close() }
