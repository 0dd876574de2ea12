package winrm

import (
	"context"
	"sync"

	"github.com/masterzen/winrm"

	"github.com/xmppfed/edgefailover/lync"
)

// newClient returns a masterzen/winrm client whose every request goes
// through bt. The package-level winrm.DefaultParameters is copied, never
// changed.
func (w *WinRM) newClient(bt *boundTransport) (*winrm.Client, error) {
	params := *winrm.DefaultParameters
	params.Timeout = wsmanDuration(w.ep.OperationTimeout)
	params.TransportDecorator = func() winrm.Transporter { return bt }
	params.Dial = nil
	wep := &winrm.Endpoint{Host: w.ep.Host, Port: w.ep.Port, HTTPS: !w.ep.PlainHTTP, Timeout: w.ep.Timeout}
	return winrm.NewClientWithParameters(wep, "", "", &params)
}

// createShell opens a shell as winrm.Client.CreateShell does, keeping its
// ID so that the shell can be deleted later by another client.
func (w *WinRM) createShell(wc *winrm.Client, bt *boundTransport) (*winrm.Shell, string, error) {
	req := winrm.NewOpenShellRequest(w.p.url, &wc.Parameters)
	defer req.Free()
	resp, err := bt.Post(wc, req)
	if err != nil {
		return nil, "", err
	}
	id, err := winrm.ParseOpenShellResponse(resp)
	if err == nil && id == "" {
		err = errNoShellID
	}
	if err != nil {
		return nil, "", &lync.TransportError{Host: w.ep.Host, Op: "Create", Err: &lync.ProtocolError{Op: "Create", Err: err}}
	}
	return wc.NewShell(id), id, nil
}

// deleteShell ends a shell (and its command, when cmdID is known) in the
// background (see background).
func (w *WinRM) deleteShell(id, cmdID string) {
	w.background(func(ctx context.Context) { _ = w.endShell(ctx, id, cmdID) })
}

// endShell terminates command cmdID, when known, and deletes shell id, under
// ctx and on a client of its own, so that it works whatever state the
// session is in. The Signal gets at most signalShare, so that a host that
// hangs on it still gets the Delete. It returns the Delete's error, also
// logged (the host ends a shell it keeps after its IdleTimeout).
func (w *WinRM) endShell(ctx context.Context, id, cmdID string) error {
	bt := newBoundTransport(ctx, w.p)
	wc, err := w.newClient(bt)
	if err != nil {
		return err
	}
	if cmdID != "" {
		sctx, cancel := context.WithTimeout(ctx, signalShare)
		sbt := newBoundTransport(sctx, w.p)
		req := winrm.NewSignalRequest(w.p.url, id, cmdID, &wc.Parameters)
		if _, err := sbt.Post(wc, req); err != nil {
			w.log.Debug("terminating command failed", "shell", id, "err", err)
		}
		req.Free()
		cancel()
	}
	if err := wc.NewShell(id).Close(); err != nil {
		w.log.Debug("deleting shell failed", "shell", id, "err", err)
		return err
	}
	return nil
}

// tailBuffer keeps the last max bytes written to it; safe for concurrent use.
type tailBuffer struct {
	mu  sync.Mutex
	max int
	b   []byte
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.b = append(t.b, p...)
	if len(t.b) > t.max {
		t.b = append(t.b[:0], t.b[len(t.b)-t.max:]...)
	}
	return len(p), nil
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.b)
}

func (t *tailBuffer) Bytes() []byte {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]byte(nil), t.b...)
}
