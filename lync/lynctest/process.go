package lynctest

import (
	"context"
	"encoding/base64"
	"strings"
	"sync"
	"time"
)

// exitTerminated is the exit code of a process ended by a terminate signal
// (STATUS_CONTROL_C_EXIT).
const exitTerminated = -1073741510

// maxChunk bounds the bytes of one stream in one ReceiveResponse, so that a
// response stays under the client's MaxEnvelopeSize.
const maxChunk = 48 << 10

// process is a command started in a shell: its stdin queue, its pending
// output and its exit state.
type process struct {
	id     string
	ctx    context.Context
	cancel context.CancelFunc

	mu      sync.Mutex
	stdout  []byte
	stderr  []byte
	done    bool
	exit    int
	changed chan struct{} // closed and replaced whenever output or state changes
	lines   []string
	partial []byte
	eof     bool
	wake    chan struct{} // signals new stdin
}

func newProcess(parent context.Context) *process {
	ctx, cancel := context.WithCancel(parent)
	return &process{id: newUUID(), ctx: ctx, cancel: cancel,
		changed: make(chan struct{}), wake: make(chan struct{}, 1)}
}

func (p *process) notifyLocked() {
	close(p.changed)
	p.changed = make(chan struct{})
}

func (p *process) emit(stdout, stderr string) {
	if stdout == "" && stderr == "" {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.stdout = append(p.stdout, stdout...)
	p.stderr = append(p.stderr, stderr...)
	p.notifyLocked()
}

func (p *process) finish(code int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.done {
		p.done, p.exit = true, code
		p.notifyLocked()
	}
}

// write queues stdin; complete lines go to the line queue.
func (p *process) write(data []byte, end bool) {
	p.mu.Lock()
	p.partial = append(p.partial, data...)
	for {
		i := strings.IndexByte(string(p.partial), '\n')
		if i < 0 {
			break
		}
		p.lines = append(p.lines, strings.TrimSuffix(string(p.partial[:i]), "\r"))
		p.partial = p.partial[i+1:]
	}
	if end {
		if len(p.partial) > 0 {
			p.lines = append(p.lines, string(p.partial))
			p.partial = nil
		}
		p.eof = true
	}
	p.mu.Unlock()
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

// nextLine waits for a stdin line; false at end of input or termination.
func (p *process) nextLine(closing <-chan struct{}) (string, bool) {
	for {
		p.mu.Lock()
		if len(p.lines) > 0 {
			l := p.lines[0]
			p.lines = p.lines[1:]
			p.mu.Unlock()
			return l, true
		}
		eof := p.eof
		p.mu.Unlock()
		if eof {
			return "", false
		}
		select {
		case <-p.wake:
		case <-p.ctx.Done():
			return "", false
		case <-closing:
			return "", false
		}
	}
}

// receive waits up to wait for output or the end of the process and takes
// what is there; got is false when the wait ran out.
func (p *process) receive(ctx context.Context, wait time.Duration, closing <-chan struct{}) (out, errOut []byte, done bool, exit int, got bool) {
	timer := time.NewTimer(wait)
	defer timer.Stop()
	for {
		p.mu.Lock()
		if len(p.stdout) > 0 || len(p.stderr) > 0 || p.done {
			n, m := min(len(p.stdout), maxChunk), min(len(p.stderr), maxChunk)
			out, errOut = p.stdout[:n:n], p.stderr[:m:m]
			p.stdout, p.stderr = p.stdout[n:], p.stderr[m:]
			done = p.done && len(p.stdout) == 0 && len(p.stderr) == 0
			exit = p.exit
			p.mu.Unlock()
			return out, errOut, done, exit, true
		}
		ch := p.changed
		p.mu.Unlock()
		select {
		case <-ch:
		case <-timer.C:
			return nil, nil, false, 0, false
		case <-ctx.Done():
			return nil, nil, false, 0, false
		case <-closing:
			return nil, nil, false, 0, false
		}
	}
}

// startProcess runs the command line of p in the background.
func (d *Deployment) startProcess(h *Host, p *process, command string, args []string) {
	mode, arg := parseCommandLine(command, args)
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		p.cancel()
		p.finish(exitTerminated)
		return
	}
	d.wg.Add(1)
	go func() {
		defer d.wg.Done()
		defer p.cancel()
		p.finish(d.runProcess(h, p, mode, arg))
	}()
}

// startCmdError ends p at once the way cmd.exe ends a command it refuses.
func (d *Deployment) startCmdError(p *process, stderr string) {
	p.emit("", stderr)
	p.finish(1)
	p.cancel()
}

// runProcess is the life of one process; it returns the exit code.
func (d *Deployment) runProcess(h *Host, p *process, mode procMode, arg string) int {
	if mode == modeNotFound {
		if arg == "" {
			return 0
		}
		p.emit("", cmdNotFound(arg))
		return 1
	}
	d.count(h, func(c *Counters) { c.Processes++ })
	if mode == modePersistent && d.fire(h.fqdn, "", "", "", FaultPersistentExit) != nil {
		p.emit("", "powershell.exe : The Windows PowerShell host could not start (lynctest: FaultPersistentExit).\r\n")
		return 1
	}
	if !d.sleep(p.ctx, d.delay(func(l Latency) time.Duration { return l.ProcessStart })) {
		return exitTerminated
	}
	s := &session{d: d, h: h, modules: map[string]bool{}, kill: p.cancel}
	switch mode {
	case modePersistent:
		for {
			line, ok := p.nextLine(d.closing)
			if !ok {
				if p.ctx.Err() != nil {
					return exitTerminated
				}
				return 0
			}
			switch strings.ToLower(strings.TrimSpace(line)) {
			case "":
				continue
			case "exit":
				return 0
			}
			out, errOut, pe := s.runFrame(p.ctx, line)
			if pe != nil {
				errOut = parseErrorText(line, pe)
			}
			if p.ctx.Err() != nil {
				return exitTerminated
			}
			p.emit(out, errOut)
		}
	case modeEncoded:
		raw, err := base64.StdEncoding.DecodeString(arg)
		text, ok := decodeUTF16LE(raw)
		if err != nil || !ok {
			p.emit("", "Cannot process the command because the value specified with -EncodedCommand is not properly "+
				"encoded. The value must be Base64 encoded.\r\n")
			return 1
		}
		arg = text
	}
	out, errOut, pe := s.runFrame(p.ctx, arg)
	if p.ctx.Err() != nil {
		return exitTerminated
	}
	if pe != nil {
		text := parseErrorText(arg, pe)
		if mode == modeEncoded {
			text = clixmlError(text)
		}
		p.emit("", text)
		return 1
	}
	p.emit(out, errOut)
	return 0
}
