package failovertest

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/xmppfed/edgefailover/internal/lynclab"
	"github.com/xmppfed/edgefailover/lync"
	"github.com/xmppfed/edgefailover/lync/winrm"
)

// Management returns a lync client for the management shell of the Front
// End server ManagementHost: topology cmdlets (Get-CsSite, Set-CsSite,
// Get-CsPool, Get-CsService), CMS replication status. The same client comes
// back on every call; the lab owns it (Close closes it): callers must not
// close it. It fits failover's Config.Management.
func (l *Lab) Management(ctx context.Context) (*lync.Client, error) {
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return nil, ErrClosed
	}
	c := l.clients[ManagementHost]
	l.mu.Unlock()
	if c != nil {
		return c, nil
	}
	c, err := l.dial(ctx, ManagementHost)
	if err != nil {
		return nil, err
	}
	l.mu.Lock()
	closed, prev := l.closed, l.clients[ManagementHost]
	if !closed && prev == nil {
		l.clients[ManagementHost] = c
	}
	l.mu.Unlock()
	switch {
	case closed:
		_ = c.Close()
		return nil, ErrClosed
	case prev != nil:
		// Another call opened one meanwhile: keep that one.
		_ = c.Close()
		return prev, nil
	}
	return c, nil
}

// OpenServer returns a new lync client for the host fqdn of the deployment
// (an Edge server, or ManagementHost), over WinRM on plain HTTP through the
// deployment's loopback dialer, with the deployment's credentials. The
// session is opened and the module imported before it returns (Prepare), so
// the first cmdlet pays no start-up cost. The caller owns the client and
// closes it (an edge.Pool from DiscoverPool does, as failover's plans do);
// Lab.Close closes any still open. It fits failover's Config.OpenServer.
// A name that is not a host of the lab fails with ErrUnknownHost.
func (l *Lab) OpenServer(ctx context.Context, fqdn string) (*lync.Client, error) {
	c, err := l.dial(ctx, fqdn)
	if err != nil {
		return nil, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		_ = c.Close()
		return nil, ErrClosed
	}
	l.owned = append(l.owned, c)
	return c, nil
}

// dial opens and prepares a client for a host of the deployment.
func (l *Lab) dial(ctx context.Context, fqdn string) (*lync.Client, error) {
	h := l.deploy.Host(fqdn)
	if h == nil {
		return nil, fmt.Errorf("%w: %q", ErrUnknownHost, fqdn)
	}
	if l.isClosed() {
		return nil, ErrClosed
	}
	key := h.FQDN()
	w, err := winrm.NewWinRM(lynclab.Endpoint(l.deploy, key, false), winrm.Options{})
	if err != nil {
		return nil, fmt.Errorf("failovertest: client for %s: %w", key, err)
	}
	var r lync.Runner = w
	if l.opts.PollWaits {
		r = pollingRunner{w}
	}
	c := lync.NewClient(r, lync.ClientOptions{})
	if err := c.Prepare(ctx); err != nil {
		_ = c.Close()
		return nil, fmt.Errorf("failovertest: client for %s: %w", key, err)
	}
	return c, nil
}

// pollingRunner is a *winrm.WinRM that lync does not know as one: its
// client's waits poll (Options.PollWaits). It forwards Run, Prepare and
// Close only.
type pollingRunner struct{ w *winrm.WinRM }

func (p pollingRunner) Run(ctx context.Context, script string) (json.RawMessage, error) {
	return p.w.Run(ctx, script)
}

func (p pollingRunner) Prepare(ctx context.Context) error { return p.w.Prepare(ctx) }

func (p pollingRunner) Close() error { return p.w.Close() }
