package lync

import (
	"context"
	"sync"

	"github.com/masterzen/winrm"
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
		return nil, "", &TransportError{Host: w.ep.Host, Op: "Create", Err: &ProtocolError{Op: "Create", Err: err}}
	}
	return wc.NewShell(id), id, nil
}

// deleteShell deletes a shell in the background, within closeTimeout.
func (w *WinRM) deleteShell(id string) {
	w.wg.Add(1)
	go func() { defer w.wg.Done(); w.deleteShellNow(id) }()
}

// deleteShellNow deletes a shell, within closeTimeout; failures are logged
// only (the host ends idle shells itself).
func (w *WinRM) deleteShellNow(id string) {
	ctx, cancel := context.WithTimeout(context.Background(), closeTimeout)
	defer cancel()
	bt := newBoundTransport(ctx, w.p)
	wc, err := w.newClient(bt)
	if err == nil {
		err = wc.NewShell(id).Close()
	}
	if err != nil {
		w.log.Debug("deleting shell failed", "shell", id, "err", err)
	}
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
