package lync_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/xmppfed/edgefailover/lync"
	"github.com/xmppfed/edgefailover/lync/lynctest"
	"github.com/xmppfed/edgefailover/lync/winrm"
)

func TestServicesStopStart(t *testing.T) {
	t.Parallel()
	for _, p := range []lynctest.Product{lynctest.Lync2013, lynctest.SfB2015} {
		t.Run(p.String(), func(t *testing.T) {
			t.Parallel()
			cfg := topology(p, "")
			cfg.Latency = lynctest.Latency{ServiceStop: time.Second, GracefulStop: 3 * time.Second, ServiceStart: time.Second, Scale: 0.01}
			d := newDeployment(t, cfg)
			c := newClient(t, d, false, winrm.Options{})
			ctx := t.Context()

			list, err := c.Services.List(ctx, edge01)
			if err != nil || len(list) == 0 {
				t.Fatalf("List = %v, %v", list, err)
			}
			for _, s := range list {
				if s.Status != lync.ServiceRunning || s.Name == "" || s.DisplayName == "" {
					t.Errorf("service %+v", s)
				}
			}
			if err := c.Services.Stop(ctx, edge01, lync.StopOptions{Graceful: true, NoWait: true}); err != nil {
				t.Fatal(err)
			}
			got, err := c.Services.WaitState(ctx, edge01, lync.ServiceStopped, 5*time.Millisecond)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range got {
				if s.Status != lync.ServiceStopped {
					t.Errorf("after stop: %+v", s)
				}
			}
			if err := c.Services.Start(ctx, edge01); err != nil {
				t.Fatal(err)
			}
			if _, err := c.Services.WaitState(ctx, edge01, lync.ServiceRunning, 5*time.Millisecond); err != nil {
				t.Fatal(err)
			}
			// Named stop (blocking), then named start.
			if err := c.Services.Stop(ctx, edge01, lync.StopOptions{Names: []string{"RTCSRV", "replica"}}); err != nil {
				t.Fatal(err)
			}
			if err := c.Services.Start(ctx, edge01, "RTCSRV", "REPLICA"); err != nil {
				t.Fatal(err)
			}
			if list, _ := c.Services.List(ctx, edge01); len(list) == 0 || anyNot(list, lync.ServiceRunning) {
				t.Errorf("after named start: %+v", list)
			}
		})
	}
}

func anyNot(list []lync.Service, st lync.ServiceStatus) bool {
	for _, s := range list {
		if s.Status != st {
			return true
		}
	}
	return false
}

func TestServicesFaults(t *testing.T) {
	t.Parallel()
	cfg := topology(lynctest.SfB2015, "")
	cfg.Latency = lynctest.Latency{ServiceStop: time.Second, ServiceStart: time.Second, Scale: 0.01}
	d := newDeployment(t, cfg)
	c := newClient(t, d, false, winrm.Options{})
	ctx := t.Context()
	before := d.Counters().Total() // nothing sent yet
	for _, bad := range []string{"RTC SRV", "RTCSRV'", "rtc*", ""} {
		if err := c.Services.Start(ctx, edge01, bad); !errors.Is(err, lync.ErrInvalidInput) {
			t.Errorf("Start(%q) err = %v, want ErrInvalidInput", bad, err)
		}
	}
	if err := c.Services.Stop(ctx, "edge01", lync.StopOptions{}); !errors.Is(err, lync.ErrInvalidInput) {
		t.Errorf("Stop(single label) err = %v", err)
	}
	if after := d.Counters().Total(); after != before {
		t.Errorf("invalid input sent %d requests", after-before)
	}

	remove, err := d.Inject(lynctest.Fault{Kind: lynctest.FaultServiceWontStop, Host: edge02})
	if err != nil {
		t.Fatal(err)
	}
	err = c.Services.Stop(ctx, edge02, lync.StopOptions{})
	if !errors.Is(err, lync.ErrServiceOperation) {
		t.Errorf("Stop with a stuck service: err = %v, want ErrServiceOperation", err)
	}
	remove()

	// A wait that cannot succeed ends with the context, a *WaitError
	// wrapping the deadline, and the last states read. The deadline leaves
	// room for a read to come back on a loaded machine (300 ms did not:
	// "last 0" once under -race at load 12).
	wctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	last, err := c.Services.WaitState(wctx, edge03, lync.ServiceStopped, 20*time.Millisecond)
	var we *lync.WaitError
	if !errors.As(err, &we) || !errors.Is(err, context.DeadlineExceeded) || len(last) == 0 {
		t.Errorf("WaitState: %v, last %d; want *WaitError with DeadlineExceeded", err, len(last))
	}

	if _, err := c.Services.List(ctx, noSuchX); !errors.Is(err, lync.ErrNotFound) {
		t.Errorf("List(nosuch) err = %v, want ErrNotFound", err)
	}
}

func TestReplication(t *testing.T) {
	t.Parallel()
	cfg := topology(lynctest.Lync2013, "")
	cfg.Latency = lynctest.Latency{Replication: time.Second, Scale: 0.05}
	d := newDeployment(t, cfg)
	c := newClient(t, d, true, winrm.Options{})
	ctx := t.Context()

	if err := c.Site(site2).SetXmppRoute(ctx, edgeP2); err != nil {
		t.Fatal(err)
	}
	st, err := c.Replication.Status(ctx, edge03)
	if err != nil || st.ReplicaFQDN == "" {
		t.Fatalf("Status = %+v, %v", st, err)
	}
	st, err = c.Replication.WaitUpToDate(ctx, edge03, 10*time.Millisecond)
	if err != nil || !st.UpToDate {
		t.Fatalf("WaitUpToDate = %+v, %v", st, err)
	}
	if st.LastStatusReport == "" {
		t.Errorf("no LastStatusReport: %+v", st)
	}
	if _, err := c.Replication.Status(ctx, noSuchX); !errors.Is(err, lync.ErrNotFound) {
		t.Errorf("Status(nosuch) err = %v, want ErrNotFound", err)
	}

	// A stuck replica: the wait ends with the context.
	if _, err := d.Inject(lynctest.Fault{Kind: lynctest.FaultReplicationStuck, Host: edge01}); err != nil {
		t.Fatal(err)
	}
	if err := c.Site(site2).SetXmppRoute(ctx, edgeP1); err != nil {
		t.Fatal(err)
	}
	wctx, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel()
	if _, err := c.Replication.WaitUpToDate(wctx, edge01, 20*time.Millisecond); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("WaitUpToDate(stuck) err = %v, want DeadlineExceeded", err)
	}
}
