package edge_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/xmppfed/edgefailover/edge"
	"github.com/xmppfed/edgefailover/lync"
	"github.com/xmppfed/edgefailover/lync/winrm"
)

// TestDiscoverPoolCancelsOnFailure: the first open that fails cancels the
// opens still under way (they do not run to their own deadlines), the error
// is that failure (not the cancellation it caused in a server listed
// earlier), every client an open returned is closed, that of an open which
// ignored the cancellation included, and every open has returned when
// DiscoverPool does.
//
// Of four servers, 1 and 2 block until their context ends (2 then returns a
// client anyway), 4 opens at once, and 3 fails once the other three are in
// open. A blocked open that is not cancelled gives up after 10s, so that the
// test fails instead of hanging.
func TestDiscoverPoolCancelsOnFailure(t *testing.T) {
	t.Parallel()
	d := newLab(t, 4)
	mgmt := labClient(t, d, labMgmt, false)
	var (
		mu        sync.Mutex
		clients   []*lync.Client
		entered   sync.WaitGroup
		running   int
		cancelled = map[string]bool{}
	)
	entered.Add(3)
	dial := func(fqdn string) (*lync.Client, error) {
		c, err := winrm.Dial(labEndpoint(d, fqdn, false), winrm.Options{})
		if err == nil {
			mu.Lock()
			clients = append(clients, c)
			mu.Unlock()
		}
		return c, err
	}
	open := func(ctx context.Context, fqdn string) (*lync.Client, error) {
		mu.Lock()
		running++
		mu.Unlock()
		defer func() {
			mu.Lock()
			running--
			mu.Unlock()
		}()
		switch fqdn {
		case labServer(3):
			entered.Wait()
			return nil, errOpenRefused
		case labServer(4):
			defer entered.Done()
			return dial(fqdn)
		}
		entered.Done()
		select {
		case <-ctx.Done():
			mu.Lock()
			cancelled[fqdn] = true
			mu.Unlock()
		case <-time.After(10 * time.Second):
			return nil, errors.New("not cancelled")
		}
		if fqdn == labServer(2) {
			return dial(fqdn) // an open that ignores the cancellation
		}
		return nil, ctx.Err()
	}
	p, err := edge.DiscoverPool(t.Context(), mgmt, labPool1, open, edge.DiscoverOptions{})
	var se *edge.ServerError
	if p != nil || !errors.As(err, &se) || se.FQDN != labServer(3) || se.Op != edge.OpOpen || !errors.Is(err, errOpenRefused) {
		t.Fatalf("DiscoverPool = %v, %v; want server 3's *ServerError", p, err)
	}
	mu.Lock()
	defer mu.Unlock()
	if !cancelled[labServer(1)] || !cancelled[labServer(2)] {
		t.Errorf("cancelled %v, want servers 1 and 2", cancelled)
	}
	if running != 0 {
		t.Errorf("%d opens still running after DiscoverPool returned", running)
	}
	if len(clients) != 2 {
		t.Errorf("%d clients opened, want servers 4 and 2", len(clients))
	}
	for _, c := range clients {
		if _, err := c.Services.List(t.Context(), labServer(1)); !errors.Is(err, lync.ErrClosed) {
			t.Errorf("a client opened by a failed discovery still works: %v", err)
		}
	}
}
