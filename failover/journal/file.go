package journal

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
)

// maxRecordLine bounds one journal line (a plan record with many RRsets is a
// few kilobytes).
const maxRecordLine = 4 << 20

// File is a Journal in a file: one record per line, each line the
// CRC-32 (IEEE, 8 hex digits) of its JSON, a space, and the JSON. Append
// writes and syncs the line before it returns. A last line that is
// incomplete or fails its checksum is a torn write (the process died while
// writing it): it is ignored and overwritten by the next Append. A damaged
// line before the last is ErrCorrupt.
//
// A File holds an exclusive lock (see Open) until Close, so a second apply,
// resume or rollback cannot use the same journal at once. Its methods are
// safe for concurrent use.
type File struct {
	path string
	lock *fileLock

	mu         sync.Mutex
	f          *os.File
	good       int64  // offset just past the last intact record
	n          int    // records read or written
	incomplete string // why records are missing, from MarkIncomplete or the marker file
}

var _ Journal = (*File)(nil)

// Options tune Open. The zero value opens a journal that no dead process
// left locked.
type Options struct {
	// TakeOver takes the lock of a journal whose previous holder died
	// without releasing it (ErrStaleLock otherwise; default false). A lock
	// held by a live process is never taken (ErrLocked).
	TakeOver bool
}

// Open opens (creating it if needed) the journal at path and locks it. The
// lock lives in path+".lock" and names its holder (process, host, time).
// The directory is synced after the lock file and the journal exist, so
// that a power loss right after Open cannot lose their names. A damaged
// record before the last is ErrCorrupt.
func Open(path string, opts Options) (*File, error) {
	lk, err := acquireLock(path+".lock", opts.TakeOver)
	if err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err == nil {
		err = syncDir(filepath.Dir(path))
		if err != nil {
			f.Close()
		}
	}
	if err != nil {
		lk.release()
		return nil, err
	}
	j := &File{path: path, lock: lk, f: f}
	if b, err := os.ReadFile(path + incompleteSuffix); err == nil {
		j.incomplete = strings.TrimSpace(string(b))
		if j.incomplete == "" {
			j.incomplete = "a journal write failed"
		}
	}
	if _, err := j.scan(); err != nil {
		f.Close()
		lk.release()
		return nil, err
	}
	return j, nil
}

// Path returns the journal's file name.
func (j *File) Path() string { return j.path }

// Append writes r as one line and syncs the file.
func (j *File) Append(ctx context.Context, r Record) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	body, err := json.Marshal(r)
	if err != nil {
		return err
	}
	line := fmt.Appendf(nil, "%08x %s\n", crc32.ChecksumIEEE(body), body)
	if len(line) > maxRecordLine {
		return fmt.Errorf("journal: record of %d bytes is too large", len(line))
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.f == nil {
		return os.ErrClosed
	}
	// Overwrite a torn tail, if any, so the file stays a sequence of lines.
	if _, err := j.f.WriteAt(line, j.good); err != nil {
		return err
	}
	if err := j.f.Truncate(j.good + int64(len(line))); err != nil {
		return err
	}
	if err := j.f.Sync(); err != nil {
		return err
	}
	j.good += int64(len(line))
	j.n++
	return nil
}

// Records reads every intact record.
func (j *File) Records(ctx context.Context) ([]Record, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.f == nil {
		return nil, os.ErrClosed
	}
	return j.scan()
}

// incompleteSuffix names the marker file of an incomplete journal.
const incompleteSuffix = ".incomplete"

// MarkIncomplete records, outside the journal's records, that some could
// not be written: in memory, and in the file path+".incomplete" (best
// effort: on a full disk that can fail too, which the error says). The
// mark stays for good; failover.Resume refuses a journal so marked
// (ErrIncomplete). failover marks a journal at its first failed write when
// the journal has this method and Incomplete.
func (j *File) MarkIncomplete(cause string) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.incomplete = cause
	f, err := os.OpenFile(j.path+incompleteSuffix, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	_, err = f.WriteString(cause + "\n")
	if err == nil {
		err = f.Sync()
	}
	err = errors.Join(err, f.Close())
	if err == nil {
		err = syncDir(filepath.Dir(j.path))
	}
	return err
}

// Incomplete returns why records are missing from the journal, if
// MarkIncomplete said so (in this process or an earlier one).
func (j *File) Incomplete() (string, bool) {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.incomplete, j.incomplete != ""
}

// Abandon drops the file and the lock as a dying process does: the lock's
// owner line stays, so the next Open sees a stale lock (ErrStaleLock, and
// Options.TakeOver takes it). It is for tests and drills that crash an apply
// inside one process; a real process that dies needs nothing of the kind.
func (j *File) Abandon() {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.f != nil {
		j.f.Close()
		j.f = nil
		j.lock.abandon()
	}
}

// Close releases the lock and closes the file.
func (j *File) Close() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.f == nil {
		return nil
	}
	err := j.f.Close()
	j.f = nil
	return errors.Join(err, j.lock.release())
}

// scan reads the file from the start; it sets good past the last intact
// record.
func (j *File) scan() ([]Record, error) {
	if _, err := j.f.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	recs, good, err := Parse(j.f)
	if err != nil {
		return nil, err
	}
	j.good = good
	j.n = len(recs)
	return recs, nil
}

// Parse reads the records of a journal file from r, as File does, without
// locking anything (a program that shows a journal another process holds).
// It returns the intact records and the offset just past the last of them;
// a torn last line is left out; damage before it is ErrCorrupt. It never
// panics, whatever r holds.
func Parse(r io.Reader) ([]Record, int64, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	var recs []Record
	var off int64
	for lineNo := 1; ; lineNo++ {
		line, err := readLine(br)
		if err == io.EOF && len(line) == 0 {
			return recs, off, nil
		}
		if err != nil && err != io.EOF {
			if errors.Is(err, errLineTooLong) {
				return nil, 0, corrupt("line %d is longer than %d bytes", lineNo, maxRecordLine)
			}
			return nil, 0, err
		}
		complete := err == nil // ended with a newline
		rec, perr := parseLine(line, complete)
		if perr != nil {
			if _, more := br.Peek(1); more == io.EOF {
				return recs, off, nil // a torn last line
			}
			return nil, 0, corrupt("line %d: %v", lineNo, perr)
		}
		if rec.Seq != len(recs)+1 {
			return nil, 0, corrupt("line %d has sequence %d, want %d", lineNo, rec.Seq, len(recs)+1)
		}
		recs = append(recs, rec)
		off += int64(len(line))
	}
}

var errLineTooLong = errors.New("line too long")

func readLine(br *bufio.Reader) ([]byte, error) {
	var line []byte
	for {
		chunk, err := br.ReadSlice('\n')
		line = append(line, chunk...)
		if len(line) > maxRecordLine {
			return nil, errLineTooLong
		}
		if err != bufio.ErrBufferFull {
			return line, err
		}
	}
}

func parseLine(line []byte, complete bool) (Record, error) {
	var rec Record
	if !complete {
		return rec, errors.New("no end of line")
	}
	line = bytes.TrimSuffix(line, []byte("\n"))
	sum, body, ok := bytes.Cut(line, []byte(" "))
	if !ok || len(sum) != 8 {
		return rec, errors.New("no checksum")
	}
	want, err := strconv.ParseUint(string(sum), 16, 32)
	if err != nil {
		return rec, errors.New("bad checksum field")
	}
	if crc32.ChecksumIEEE(body) != uint32(want) {
		return rec, errors.New("checksum mismatch")
	}
	if err := json.Unmarshal(body, &rec); err != nil {
		return rec, fmt.Errorf("bad record: %v", err)
	}
	return rec, nil
}
