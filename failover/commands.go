package failover

import (
	"github.com/xmppfed/edgefailover/lync"
)

// The PowerShell of the dry run, rendered by lync.Scripts: the exact scripts
// the steps' calls send, reads included (a poll is shown once, with a
// comment). Values were validated by New: a render error cannot happen for
// them and would show as a placeholder rather than hide the step.

func shown(s string, err error) string {
	if err != nil {
		return "<invalid: " + err.Error() + ">"
	}
	return s
}

// stopCommand is what edge.Server.StopServices sends: every Lync service,
// -NoWait, then a poll.
func stopCommand(server string, graceful bool) string {
	return shown(lync.Scripts{}.Stop(server, lync.StopOptions{Graceful: graceful, NoWait: true}))
}

func startCommand(server string, names []string) string {
	return shown(lync.Scripts{}.Start(server, names...))
}

func pollCommand(server string) string {
	return shown(lync.Scripts{}.ListServices(server)) + "  # until every service is in the state"
}

// routeCommand renders the compare-and-set of a site's route from before to
// after (the zero Route clears it): check, change and read-back, one script.
func routeCommand(site, param string, before, after lync.Route) string {
	return shown(lync.Scripts{Parameter: param}.ReplaceXmppRoute(site, before, after))
}

func replicationCommand(replica string) string {
	return shown(lync.Scripts{}.ReplicationStatus(replica)) + "  # until UpToDate"
}

func getSiteCommand(site, param string) string {
	return shown(lync.Scripts{Parameter: param}.GetSite(site))
}
