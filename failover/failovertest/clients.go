package failovertest

import (
	"context"
	"fmt"

	"github.com/xmppfed/edgefailover/lync"
	"github.com/xmppfed/edgefailover/lync/lynctest"
)

// Management returns a lync client for the management shell of the Front
// End server ManagementHost: topology cmdlets (Get-CsSite, Set-CsSite,
// Get-CsPool, Get-CsService), CMS replication status. See OpenServer.
func (l *Lab) Management(ctx context.Context) (*lync.Client, error) {
	return l.OpenServer(ctx, ManagementHost)
}

// OpenServer returns a lync client for the host fqdn of the deployment (an
// Edge server, or ManagementHost), over WinRM on plain HTTP through the
// deployment's loopback dialer, with the deployment's credentials. The
// session is opened and the module imported before it returns (Prepare),
// so the first cmdlet pays no start-up cost. Clients are cached per host:
// the same *lync.Client comes back on every call, and Close closes them;
// callers must not close them. It fits failover's Config.OpenServer.
// A name that is not a host of the lab fails with ErrUnknownHost.
func (l *Lab) OpenServer(ctx context.Context, fqdn string) (*lync.Client, error) {
	h := l.deploy.Host(fqdn)
	if h == nil {
		return nil, fmt.Errorf("%w: %q", ErrUnknownHost, fqdn)
	}
	key := h.FQDN()
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return nil, ErrClosed
	}
	c := l.clients[key]
	l.mu.Unlock()
	if c != nil {
		return c, nil
	}
	user, pass := l.deploy.Credentials()
	c, err := lync.Dial(lync.Endpoint{
		Host:             key,
		Port:             lynctest.HTTPPort,
		PlainHTTP:        true,
		AllowUnencrypted: true,
		Dial:             l.deploy.DialContext,
		Credentials:      lync.Credentials{Username: user, Password: lync.Password(pass)},
	}, nil)
	if err != nil {
		return nil, fmt.Errorf("failovertest: client for %s: %w", key, err)
	}
	if err := c.Prepare(ctx); err != nil {
		_ = c.Close()
		return nil, fmt.Errorf("failovertest: client for %s: %w", key, err)
	}
	l.mu.Lock()
	closed, prev := l.closed, l.clients[key]
	if !closed && prev == nil {
		l.clients[key] = c
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
