package lynctest

import (
	"context"
	"time"
)

// Latency is a latency profile. Every duration is multiplied by Scale before
// it is applied, so a profile can state real-world figures (process start 1s,
// module import 3s) and a test can run them a thousand times faster.
type Latency struct {
	RoundTrip    time.Duration // added to every WS-Man request
	ProcessStart time.Duration // powershell.exe start, before the first line runs
	ModuleImport time.Duration // Import-Module of the Lync module
	ServiceStop  time.Duration // StopPending -> Stopped
	GracefulStop time.Duration // StopPending -> Stopped with -Graceful (draining)
	ServiceStart time.Duration // StartPending -> Running
	Replication  time.Duration // topology change -> replica up to date
	// SleepGranularity is the host's timer resolution: Start-Sleep lasts a
	// multiple of it (Windows' default is 15.625ms). 0: exactly as asked.
	SleepGranularity time.Duration
	// Scale multiplies every duration above; 0 means 1.
	Scale float64
}

func (l Latency) scaled(d time.Duration) time.Duration {
	s := l.Scale
	if s == 0 {
		s = 1
	}
	return time.Duration(float64(d) * s)
}

// validate refuses negative durations and scales.
func (l Latency) validate() error {
	for _, v := range []time.Duration{l.RoundTrip, l.ProcessStart, l.ModuleImport, l.ServiceStop,
		l.GracefulStop, l.ServiceStart, l.Replication, l.SleepGranularity} {
		if v < 0 {
			return badConfig("negative latency %v", v)
		}
	}
	if l.Scale < 0 || l.Scale != l.Scale {
		return badConfig("latency scale %v", l.Scale)
	}
	return nil
}

// SetLatency replaces the latency profile; it refuses (ErrBadConfig) negative
// durations or scale. Work already waiting keeps the duration it started with.
func (d *Deployment) SetLatency(l Latency) error {
	if err := l.validate(); err != nil {
		return err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.latency = l
	return nil
}

// delay returns a latency of the current profile, scaled.
func (d *Deployment) delay(pick func(Latency) time.Duration) time.Duration {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.latency.scaled(pick(d.latency))
}

// sleep waits for dur, or until ctx ends or the deployment closes; it reports
// whether the whole duration passed.
func (d *Deployment) sleep(ctx context.Context, dur time.Duration) bool {
	if dur <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(dur)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	case <-d.closing:
		return false
	}
}
