package testpeer

import (
	"bytes"
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"time"
)

// startDaemon starts cmd in the foreground, its output collected, and polls
// ready every 20 ms until it holds (then stop kills and reaps the process),
// ready fails (the daemon will never be ready, e.g. another one answers on
// its port), the process exits, or timeout passes. notReady says what did
// not happen in time. On every error the process is killed and reaped.
func startDaemon(cmd *exec.Cmd, timeout time.Duration, ready func() (bool, error), notReady string) (stop func(), err error) {
	name := filepath.Base(cmd.Path)
	log := &syncWriter{w: new(bytes.Buffer)}
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	stop = func() {
		_ = cmd.Process.Kill()
		<-exited
	}
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		select {
		case err := <-exited:
			exited <- err
			return nil, fmt.Errorf("%s exited (%v): %s", name, err, log.String())
		default:
		}
		ok, err := ready()
		if err != nil {
			stop()
			return nil, fmt.Errorf("%s: %w: %s", name, err, log.String())
		}
		if ok {
			return stop, nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	stop()
	return nil, errors.New(name + " " + notReady + " in time: " + log.String())
}
