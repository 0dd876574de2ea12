package failovertest

import (
	"context"
	"fmt"
	"net"
	"net/netip"
)

// SetUnreachable makes the external address of the Edge pool fqdn drop
// every packet (unreachable true) or answer again (false). FailPool alone
// leaves a dead pool that refuses connections at once, which is the
// friendliest dead pool a remote server meets; a site that lost its power
// or its uplink answers nothing, and a remote server's connection attempt to
// it lasts until its connect timeout before it tries the next SRV target.
// While the address is unreachable, Dial to it (by address, pool FQDN,
// Access Edge FQDN or a name resolving to it) blocks until its context ends
// and fails with the context's error (a name with other addresses too gets
// no further: each lab name resolves to one pool). It applies to this
// process's Dial; a
// Remote's does not see it. The Lync hosts of the pool still answer WinRM:
// inject lynctest faults for them too if a drill needs that.
func (l *Lab) SetUnreachable(fqdn string, unreachable bool) error {
	if l.isClosed() {
		return ErrClosed
	}
	p, ok := l.Pool(fqdn)
	if !ok {
		return fmt.Errorf("%w: no Edge pool %q", ErrUnknownHost, fqdn)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if unreachable {
		l.silent[p.ExternalIP] = true
	} else {
		delete(l.silent, p.ExternalIP)
	}
	return nil
}

func (l *Lab) isSilent(ip netip.Addr) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.silent[ip]
}

// silence is a connect that gets no answer: it ends with ctx, and its error
// matches ctx's (context.DeadlineExceeded after a dialer's timeout).
func silence(ctx context.Context, network, addr string) error {
	<-ctx.Done()
	return &net.OpError{Op: "dial", Net: network, Addr: stringAddr(addr), Err: ctx.Err()}
}
