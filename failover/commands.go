package failover

import (
	"github.com/xmppfed/edgefailover/internal/pwsh"
	"github.com/xmppfed/edgefailover/lync"
)

// The PowerShell lines of the dry run. Changes are rendered by lync, which
// sends exactly these lines (lync.StopScript, StartScript,
// SetXmppRouteScript); reads and polls are shown by their cmdlet and the
// value they ask about, with a comment, since they change nothing. Values
// were validated by New: a render error cannot happen for them and would show
// as a placeholder rather than hide the step.

func shown(s string, err error) string {
	if err != nil {
		return "<invalid: " + err.Error() + ">"
	}
	return s
}

func script(c *pwsh.Command) string { return shown(c.Script()) }

// stopCommand is what edge.Server.StopServices sends: every Lync service,
// -NoWait, then a poll.
func stopCommand(server string, graceful bool) string {
	return shown(lync.StopScript(server, &lync.StopOptions{Graceful: graceful, NoWait: true}))
}

func startCommand(server string, names []string) string {
	return shown(lync.StartScript(server, names...))
}

func pollCommand(server string) string {
	return script(pwsh.NewCommand("Get-CsWindowsService").String("ComputerName", server)) + "  # until every service is in the state"
}

// routeCommand renders Set-CsSite for a route identity ("" clears it).
func routeCommand(site, param, route string) string {
	return shown(lync.SetXmppRouteScript(site, param, routeFQDN(route)))
}

func replicationCommand(replica string) string {
	return script(pwsh.NewCommand("Get-CsManagementStoreReplicationStatus").String("ReplicaFqdn", replica)) + "  # until UpToDate"
}

func getSiteCommand(site string) string {
	return script(pwsh.NewCommand("Get-CsSite").String("Identity", site))
}
