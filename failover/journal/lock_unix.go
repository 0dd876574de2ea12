//go:build unix

package journal

import (
	"errors"
	"os"
	"syscall"
)

// fileLock is an flock(2) lock on a lock file. The kernel releases it when
// its holder dies; the owner line the holder wrote stays, which is how a
// dead holder is told from a clean release (which empties the file).
type fileLock struct {
	f *os.File
}

func acquireLock(path string, takeOver bool) (*fileLock, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		owner := readOwner(f)
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, &LockError{Path: path, Owner: owner, Err: ErrLocked}
		}
		return nil, err
	}
	if owner := readOwner(f); owner != "" && !takeOver {
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
		return nil, &LockError{Path: path, Owner: owner, Err: ErrStaleLock}
	}
	if err := writeOwner(f); err != nil {
		f.Close()
		return nil, err
	}
	return &fileLock{f: f}, nil
}

func (l *fileLock) release() error {
	err := l.f.Truncate(0)
	return errors.Join(err, syscall.Flock(int(l.f.Fd()), syscall.LOCK_UN), l.f.Close())
}

// abandon drops the lock as a dying process does: the kernel releases the
// flock, the owner line stays. The explicit unlock matters: a bare Close
// would leave the lock held for as long as a concurrent fork of this
// process still holds a copy of the descriptor (until its exec).
func (l *fileLock) abandon() {
	_ = syscall.Flock(int(l.f.Fd()), syscall.LOCK_UN)
	l.f.Close()
}
