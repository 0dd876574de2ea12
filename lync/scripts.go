package lync

import (
	"github.com/xmppfed/edgefailover/internal/pwsh"
)

// Scripts renders, without running it, the PowerShell each call of a Client
// sends, reads included, so that a dry run shows exactly what a later call
// runs: the Client builds every script it sends with these methods. Each
// method is named after the call it renders and validates its arguments as
// the call does. The zero value renders for a host whose Set-CsSite has
// -XmppFederationRoute.
type Scripts struct {
	// Parameter is the host's Set-CsSite route parameter, as
	// SitesService.RouteParameter finds it; "" means XmppFederationRoute.
	Parameter string
}

// ListServices returns what ServicesService.List runs for computer.
func (Scripts) ListServices(computer string) (string, error) {
	computer, err := parseFQDN("computer", computer)
	if err != nil {
		return "", err
	}
	return listScript(computer)
}

// Stop returns what ServicesService.Stop runs for computer and opts.
func (Scripts) Stop(computer string, opts StopOptions) (string, error) {
	return controlScript("Stop-CsWindowsService", computer, opts.Names, func(c *pwsh.Command) {
		if opts.Graceful {
			c.Switch("Graceful")
		}
		if opts.NoWait {
			c.Switch("NoWait")
		}
	})
}

// Start returns what ServicesService.Start runs for computer and names.
func (Scripts) Start(computer string, names ...string) (string, error) {
	return controlScript("Start-CsWindowsService", computer, names, func(*pwsh.Command) {})
}

// ReplicationStatus returns what ReplicationService.Status runs for replica.
func (Scripts) ReplicationStatus(replica string) (string, error) {
	_, script, err := statusScript(replica)
	return script, err
}

// controlScript builds one Start/Stop-CsWindowsService statement per name
// (or one for all services), joined.
func controlScript(cmdlet, computer string, names []string, opts func(*pwsh.Command)) (string, error) {
	computer, err := parseFQDN("computer", computer)
	if err != nil {
		return "", err
	}
	all := len(names) == 0
	if all {
		names = []string{""}
	}
	scripts := make([]string, 0, len(names))
	for _, n := range names {
		cmd := pwsh.NewCommand(cmdlet).String("ComputerName", computer)
		if !all {
			n, err := ParseServiceName(n)
			if err != nil {
				return "", err
			}
			cmd.String("Name", n)
		}
		opts(cmd)
		script, err := cmd.Script()
		if err != nil {
			return "", err
		}
		scripts = append(scripts, script)
	}
	return pwsh.Join(scripts...), nil
}
