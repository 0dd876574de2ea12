package failover

import (
	"github.com/xmppfed/edgefailover/internal/pwsh"
)

// The exact PowerShell lines the plan's steps send, for the dry run. They are
// built with the same builder as the lync client's, from values that New has
// validated; a build error cannot happen for them and would show as a
// placeholder rather than hide the step.

func script(c *pwsh.Command) string {
	s, err := c.Script()
	if err != nil {
		return "<invalid: " + err.Error() + ">"
	}
	return s
}

func stopCommand(server string, graceful bool) string {
	c := pwsh.NewCommand("Stop-CsWindowsService").String("ComputerName", server)
	if graceful {
		c.Switch("Graceful")
	}
	return script(c.Switch("NoWait"))
}

func startCommand(server string, names []string) string {
	if len(names) == 0 {
		return script(pwsh.NewCommand("Start-CsWindowsService").String("ComputerName", server))
	}
	lines := make([]string, len(names))
	for i, n := range names {
		lines[i] = script(pwsh.NewCommand("Start-CsWindowsService").String("ComputerName", server).String("Name", n))
	}
	return pwsh.Join(lines...)
}

func pollCommand(server string) string {
	return script(pwsh.NewCommand("Get-CsWindowsService").String("ComputerName", server)) + "  # until every service is in the state"
}

func routeCommand(site, param, route string) string {
	c := pwsh.NewCommand("Set-CsSite").String("Identity", site)
	if route == "" {
		c.Null(param)
	} else {
		c.String(param, route)
	}
	return script(c)
}

func replicationCommand(replica string) string {
	return script(pwsh.NewCommand("Get-CsManagementStoreReplicationStatus").String("ReplicaFqdn", replica)) + "  # until UpToDate"
}

func getSiteCommand(site string) string {
	return script(pwsh.NewCommand("Get-CsSite").String("Identity", site))
}
