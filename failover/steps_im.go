package failover

import (
	"context"
	"fmt"

	"github.com/xmppfed/edgefailover/lync"
)

// verifyIMStep sends a test IM across the XMPP gateway with Test-CsXmppIM
// (Lync Server 2013 and later) on the management host, once the remote view
// is verified. Its result is reported as progress (Result, Latency, Error,
// Diagnosis); a Failure fails the step with ErrVerify.
func verifyIMStep(c Config, deps []string) *Step {
	v := c.Verify
	script, _ := lync.Scripts{}.TestXmppIM(v.IMPool, v.IMReceiver, v.IMSender) // validated by normalize
	s := &Step{
		ID:        "verify/xmpp-im",
		Title:     fmt.Sprintf("Verify end to end that an IM from %s reaches %s over XMPP", v.IMPool, v.IMReceiver),
		DependsOn: deps,
		Commands:  []string{script},
	}
	s.do = func(ctx context.Context, p *progress) error {
		ctx, cancel := context.WithTimeout(ctx, c.Timeouts.Command)
		defer cancel()
		r, err := c.Management.Federation.TestXmppIM(ctx, v.IMPool, v.IMReceiver, v.IMSender)
		if err != nil {
			return err
		}
		p.Report(v.IMPool, fmt.Sprintf("Result %s, Latency %s", r.Result, r.Latency))
		if !r.OK() {
			return verifyErr("Test-CsXmppIM to %s: %s: %s %s", v.IMReceiver, r.Result, r.Error, r.Diagnosis)
		}
		return nil
	}
	return s
}
