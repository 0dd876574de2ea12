package journal_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/xmppfed/edgefailover/failover/journal"
)

func open(t *testing.T, path string, opts journal.Options) *journal.File {
	t.Helper()
	j, err := journal.Open(path, opts)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { j.Close() })
	return j
}

func TestFileAppendAndRead(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "j.log")
	j := open(t, path, journal.Options{})
	for i, k := range []journal.Kind{journal.Plan, journal.Start, journal.Done} {
		if err := j.Append(ctx, journal.Record{Seq: i + 1, Kind: k, Step: "s"}); err != nil {
			t.Fatal(err)
		}
	}
	recs, err := j.Records(ctx)
	if err != nil || len(recs) != 3 || recs[2].Kind != journal.Done {
		t.Fatalf("records %+v, %v", recs, err)
	}
	j.Close()

	// A torn last line (a crash mid-write) is ignored, and overwritten.
	f, _ := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(`0badc0de {"seq":4,"kind":"st`)
	f.Close()
	j = open(t, path, journal.Options{})
	if recs, err := j.Records(ctx); err != nil || len(recs) != 3 {
		t.Fatalf("after a torn line: %d records, %v", len(recs), err)
	}
	if err := j.Append(ctx, journal.Record{Seq: 4, Kind: journal.End}); err != nil {
		t.Fatal(err)
	}
	if recs, err := j.Records(ctx); err != nil || len(recs) != 4 || recs[3].Kind != journal.End {
		t.Fatalf("after appending over the torn line: %+v, %v", recs, err)
	}
}

func TestFileCorruptionIsAnError(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "j.log")
	j := open(t, path, journal.Options{})
	for i := 1; i <= 3; i++ {
		j.Append(ctx, journal.Record{Seq: i, Kind: journal.Start, Step: "stop/edge2a.contoso.com"})
	}
	j.Close()
	data, _ := os.ReadFile(path)
	// Flip one byte in the middle record: its checksum no longer matches.
	lines := bytes.SplitAfter(data, []byte("\n"))
	i := bytes.Index(lines[1], []byte("edge2a"))
	lines[1][i] = 'X'
	os.WriteFile(path, bytes.Join(lines, nil), 0o600)
	if _, err := journal.Open(path, journal.Options{}); !errors.Is(err, journal.ErrCorrupt) {
		t.Fatalf("err = %v, want ErrCorrupt", err)
	}
}

func TestFileLock(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "j.log")
	j := open(t, path, journal.Options{})
	_, err := journal.Open(path, journal.Options{TakeOver: true})
	var le *journal.LockError
	if !errors.Is(err, journal.ErrLocked) || !errors.As(err, &le) || le.Owner == "" {
		t.Fatalf("second open of a held journal: %v", err)
	}
	j.Abandon() // the holder dies
	if _, err := journal.Open(path, journal.Options{}); !errors.Is(err, journal.ErrStaleLock) {
		t.Fatalf("open after the holder died: %v, want ErrStaleLock", err)
	}
	j2 := open(t, path, journal.Options{TakeOver: true})
	j2.Close()
	j3 := open(t, path, journal.Options{}) // released cleanly: no stale lock
	j3.Close()
}

func FuzzParse(f *testing.F) {
	f.Add([]byte("0badc0de {}\n"))
	f.Add([]byte(`6f8a8e6b {"seq":1,"kind":"plan"}` + "\n"))
	f.Add([]byte("\n\n\n"))
	f.Add(bytes.Repeat([]byte("x"), 70000))
	f.Fuzz(func(t *testing.T, data []byte) {
		recs, off, err := journal.Parse(bytes.NewReader(data))
		if err != nil {
			if !errors.Is(err, journal.ErrCorrupt) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		if off > int64(len(data)) {
			t.Fatalf("offset %d past %d bytes", off, len(data))
		}
		for i, r := range recs {
			if r.Seq != i+1 {
				t.Fatalf("record %d has seq %d", i, r.Seq)
			}
		}
	})
}
