package failovertest

import (
	"fmt"

	"github.com/xmppfed/edgefailover/lync/lynctest"
)

// FailPool simulates the outage that starts a drill: every Lync service of
// every server of the Edge pool fqdn is set Stopped at once, behind the
// SDK's back (lynctest's SetServiceStatus), and the listeners are reconciled
// before it returns, so the pool's listener is down. The servers still
// answer WinRM; to make them unreachable too, inject lynctest.FaultRefuse
// for each of them through Deployment().Inject.
func (l *Lab) FailPool(fqdn string) error {
	return l.setPoolServices(fqdn, lynctest.Stopped)
}

// RecoverPool is the opposite of FailPool: every Lync service of every
// server of the pool is set Running at once, and the listeners reconciled.
func (l *Lab) RecoverPool(fqdn string) error {
	return l.setPoolServices(fqdn, lynctest.Running)
}

func (l *Lab) setPoolServices(fqdn string, status lynctest.ServiceStatus) error {
	if l.isClosed() {
		return ErrClosed
	}
	p, ok := l.Pool(fqdn)
	if !ok {
		return fmt.Errorf("%w: no Edge pool %q", ErrUnknownHost, fqdn)
	}
	s := l.deploy.Snapshot()
	for _, host := range p.Servers {
		for svc := range s.Services[host] {
			if err := l.deploy.SetServiceStatus(host, svc, status); err != nil {
				return fmt.Errorf("failovertest: %s %s: %w", host, svc, err)
			}
		}
	}
	l.reconcile()
	return nil
}
