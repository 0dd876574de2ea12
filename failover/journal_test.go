package failover_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/xmppfed/edgefailover/failover"
)

func openJournal(t *testing.T, path string, opts *failover.JournalOptions) *failover.FileJournal {
	t.Helper()
	j, err := failover.OpenJournal(path, opts)
	if err != nil {
		t.Fatalf("OpenJournal: %v", err)
	}
	t.Cleanup(func() { j.Close() })
	return j
}

func TestFileJournalAppendAndRead(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "j.log")
	j := openJournal(t, path, nil)
	for i, k := range []failover.RecordKind{failover.RecordPlan, failover.RecordStart, failover.RecordDone} {
		if err := j.Append(ctx, failover.Record{Seq: i + 1, Kind: k, Step: "s"}); err != nil {
			t.Fatal(err)
		}
	}
	recs, err := j.Records(ctx)
	if err != nil || len(recs) != 3 || recs[2].Kind != failover.RecordDone {
		t.Fatalf("records %+v, %v", recs, err)
	}
	j.Close()

	// A torn last line (a crash mid-write) is ignored, and overwritten.
	f, _ := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(`0badc0de {"seq":4,"kind":"st`)
	f.Close()
	j = openJournal(t, path, nil)
	if recs, err := j.Records(ctx); err != nil || len(recs) != 3 {
		t.Fatalf("after a torn line: %d records, %v", len(recs), err)
	}
	if err := j.Append(ctx, failover.Record{Seq: 4, Kind: failover.RecordEnd}); err != nil {
		t.Fatal(err)
	}
	if recs, err := j.Records(ctx); err != nil || len(recs) != 4 || recs[3].Kind != failover.RecordEnd {
		t.Fatalf("after appending over the torn line: %+v, %v", recs, err)
	}
}

func TestFileJournalCorruptionIsAnError(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "j.log")
	j := openJournal(t, path, nil)
	for i := 1; i <= 3; i++ {
		j.Append(ctx, failover.Record{Seq: i, Kind: failover.RecordStart, Step: "stop/edge2a.contoso.com"})
	}
	j.Close()
	data, _ := os.ReadFile(path)
	// Flip one byte in the middle record: its checksum no longer matches.
	lines := bytes.SplitAfter(data, []byte("\n"))
	i := bytes.Index(lines[1], []byte("edge2a"))
	lines[1][i] = 'X'
	os.WriteFile(path, bytes.Join(lines, nil), 0o600)
	if _, err := failover.OpenJournal(path, nil); !errors.Is(err, failover.ErrJournalCorrupt) {
		t.Fatalf("err = %v, want ErrJournalCorrupt", err)
	}
}

func TestFileJournalLock(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "j.log")
	j := openJournal(t, path, nil)
	_, err := failover.OpenJournal(path, &failover.JournalOptions{TakeOver: true})
	var le *failover.LockError
	if !errors.Is(err, failover.ErrLocked) || !errors.As(err, &le) || le.Owner == "" {
		t.Fatalf("second open of a held journal: %v", err)
	}
	j.Abandon() // the holder dies
	if _, err := failover.OpenJournal(path, nil); !errors.Is(err, failover.ErrStaleLock) {
		t.Fatalf("open after the holder died: %v, want ErrStaleLock", err)
	}
	j2 := openJournal(t, path, &failover.JournalOptions{TakeOver: true})
	j2.Close()
	j3 := openJournal(t, path, nil) // released cleanly: no stale lock
	j3.Close()
}

func FuzzParseJournal(f *testing.F) {
	f.Add([]byte("0badc0de {}\n"))
	f.Add([]byte(`6f8a8e6b {"seq":1,"kind":"plan"}` + "\n"))
	f.Add([]byte("\n\n\n"))
	f.Add(bytes.Repeat([]byte("x"), 70000))
	f.Fuzz(func(t *testing.T, data []byte) {
		recs, off, err := failover.ParseJournal(bytes.NewReader(data))
		if err != nil {
			if !errors.Is(err, failover.ErrJournalCorrupt) {
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
