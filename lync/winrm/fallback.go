package winrm

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"sync"

	"github.com/xmppfed/edgefailover/internal/pwsh"

	"github.com/xmppfed/edgefailover/lync"
)

// maxProcessOutput bounds the stdout kept of one per-script process.
const maxProcessOutput = 16 << 20

// errNoShellID: a Create answer without a ShellId selector.
var errNoShellID = errors.New("no ShellId in Create answer")

// runProcess runs script as its own -EncodedCommand process, importing the
// module inside the script. Called with w.sem held.
func (w *WinRM) runProcess(ctx context.Context, script string) (json.RawMessage, error) {
	mod, err := w.processModule(ctx)
	if err != nil {
		return nil, err
	}
	imp, err := importScript(mod)
	if err != nil {
		return nil, err
	}
	return w.process(ctx, pwsh.Join(imp, script))
}

// processModule detects the module once, with a process of its own.
func (w *WinRM) processModule(ctx context.Context) (string, error) {
	if w.module != "" {
		return w.module, nil
	}
	m, err := detectModule(ctx, w.ep.Host, w.process)
	if err != nil {
		return "", err
	}
	w.module = m
	return m, nil
}

// process runs one framed inner script as one PowerShell process on a shell
// of its own, under ctx.
func (w *WinRM) process(ctx context.Context, inner string) (json.RawMessage, error) {
	if w.marker == nil {
		m, err := newMarker(w.opts.Rand)
		if err != nil {
			return nil, err
		}
		w.marker = m
	}
	marker := w.marker.Next()
	line, err := pwsh.EncodedCommandLine(pwsh.FrameLine(marker, inner))
	if err != nil {
		return nil, inputError("script", "", "too long for one -EncodedCommand process", err)
	}
	bt := newBoundTransport(ctx, w.p)
	fail := func(op string, err error) (json.RawMessage, error) {
		if cerr := ctx.Err(); cerr != nil {
			return nil, &lync.TransportError{Host: w.ep.Host, Op: op, Err: cerr}
		}
		if terr := bt.err(); terr != nil {
			err = terr
		}
		var te *lync.TransportError
		if errors.As(err, &te) {
			op, err = te.Op, te.Err
		}
		return nil, &lync.TransportError{Host: w.ep.Host, Op: op, Err: brokenCause(err)}
	}
	wc, err := w.newClient(bt)
	if err != nil {
		return fail("open shell", err)
	}
	shell, id, err := w.createShell(wc, bt)
	if err != nil {
		return fail("Create", err)
	}
	exited := false // the process ended by itself: no terminate Signal needed
	defer func() {
		cmdID := bt.command()
		if exited {
			cmdID = ""
		}
		w.deleteShell(id, cmdID)
	}()
	cmd, err := shell.ExecuteWithContext(ctx, line)
	if err != nil {
		return fail("Command", err)
	}
	stdout, stderr := &tailBuffer{max: maxProcessOutput}, &tailBuffer{max: 64 << 10}
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); _, _ = io.Copy(stdout, cmd.Stdout) }()
	go func() { defer wg.Done(); _, _ = io.Copy(stderr, cmd.Stderr) }()
	cmd.Wait()
	wg.Wait()
	if ctx.Err() != nil || bt.err() != nil {
		return fail("Receive", lync.ErrSessionBroken)
	}
	exited = true
	res, err := pwsh.ParseFrame(stdout.Bytes(), marker)
	if errors.Is(err, pwsh.ErrNoFrame) {
		text, derr := pwsh.DecodeCLIXML(stderr.Bytes())
		if derr != nil {
			text = stderr.String()
		}
		if len(text) > 4096 {
			text = text[:4096]
		}
		return nil, &HostError{Host: w.ep.Host, ExitCode: cmd.ExitCode(), Stderr: text}
	}
	if err != nil {
		return nil, &lync.ProtocolError{Op: "read result", Err: err}
	}
	return resultOf(res)
}
