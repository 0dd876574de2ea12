package journal_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"

	"github.com/xmppfed/edgefailover/failover/journal"
)

// A journal file keeps its records across processes, and one process at a
// time holds it.
func ExampleOpen() {
	dir, err := os.MkdirTemp("", "journal")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "failover.journal")
	ctx := context.Background()

	j, err := journal.Open(path, journal.Options{})
	if err != nil {
		log.Fatal(err)
	}
	for i, r := range []journal.Record{
		{Kind: journal.Plan, Plan: []byte(`{"name":"example"}`)},
		{Kind: journal.Start, Step: "route/Site2"},
	} {
		r.Seq = i + 1
		if err := j.Append(ctx, r); err != nil {
			log.Fatal(err)
		}
	}
	_, err = journal.Open(path, journal.Options{})
	fmt.Println("second open:", errors.Is(err, journal.ErrLocked))
	j.Close()

	j, err = journal.Open(path, journal.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer j.Close()
	recs, err := j.Records(ctx)
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range recs {
		fmt.Println(strings.TrimSpace(fmt.Sprint(r.Seq, " ", r.Kind, " ", r.Step)))
	}
	// Output:
	// second open: true
	// 1 plan
	// 2 start route/Site2
}
