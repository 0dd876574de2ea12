package lync

import (
	"slices"

	"github.com/xmppfed/edgefailover/internal/pwsh"
)

// The scripts of the methods that change something, rendered without running
// them, so that a dry run shows exactly what a later call sends. Each
// validates its arguments as the method does.

// StopScript returns the PowerShell that ServicesService.Stop sends for
// computer and opts.
func StopScript(computer string, opts *StopOptions) (string, error) {
	var o StopOptions
	if opts != nil {
		o = *opts
	}
	return controlScript("Stop-CsWindowsService", computer, o.Names, func(c *pwsh.Command) {
		if o.Graceful {
			c.Switch("Graceful")
		}
		if o.NoWait {
			c.Switch("NoWait")
		}
	})
}

// StartScript returns the PowerShell that ServicesService.Start sends for
// computer and names.
func StartScript(computer string, names ...string) (string, error) {
	return controlScript("Start-CsWindowsService", computer, names, func(*pwsh.Command) {})
}

// SetXmppRouteScript returns the Set-CsSite line that SitesService.SetXmppRoute
// sends for site and edgePool (an FQDN; "" for ClearXmppRoute), given the
// host's route parameter (SitesService.RouteParameter).
func SetXmppRouteScript(site, parameter, edgePool string) (string, error) {
	route := ""
	if edgePool != "" {
		fqdn, err := parseFQDN("edge pool", edgePool)
		if err != nil {
			return "", err
		}
		route = "EdgeServer:" + fqdn
	}
	return routeScript(site, parameter, route)
}

func routeScript(site, parameter, route string) (string, error) {
	name, err := ParseSiteName(site)
	if err != nil {
		return "", err
	}
	if !slices.Contains(routeParams, parameter) {
		return "", &ParameterError{Cmdlet: "Set-CsSite", Want: routeParams}
	}
	cmd := pwsh.NewCommand("Set-CsSite").String("Identity", name)
	if route == "" {
		cmd.Null(parameter)
	} else {
		cmd.String(parameter, route)
	}
	return cmd.Script()
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
