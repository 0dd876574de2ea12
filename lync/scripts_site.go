package lync

import (
	"slices"

	"github.com/xmppfed/edgefailover/internal/pwsh"
)

// RouteParameter returns what SitesService.RouteParameter runs.
func (Scripts) RouteParameter() (string, error) {
	return pwsh.NewCommand("Get-Command").String("Name", "Set-CsSite").Members("Parameters", "Keys").Script()
}

// GetSite returns what SitesService.Get runs for name.
func (sc Scripts) GetSite(name string) (string, error) {
	name, err := ParseSiteName(name)
	if err != nil {
		return "", err
	}
	return sc.siteScript(name)
}

// ListSites returns what SitesService.List runs.
func (sc Scripts) ListSites() (string, error) { return sc.siteScript("") }

// SetXmppRoute returns what Site.SetXmppRoute runs for site and edgePool:
// Set-CsSite, then the read-back.
func (sc Scripts) SetXmppRoute(site, edgePool string) (string, error) {
	fqdn, err := parseFQDN("edge pool", edgePool)
	if err != nil {
		return "", err
	}
	return sc.setRoute(site, Route{id: routePrefix + fqdn, pool: fqdn}, nil)
}

// ClearXmppRoute returns what Site.ClearXmppRoute runs for site.
func (sc Scripts) ClearXmppRoute(site string) (string, error) {
	return sc.setRoute(site, Route{}, nil)
}

// ReplaceXmppRoute returns what Site.ReplaceXmppRoute runs for site, old and
// new: the site read, the guarded Set-CsSite and the read-back, one script.
func (sc Scripts) ReplaceXmppRoute(site string, old, new Route) (string, error) {
	return sc.setRoute(site, new, &old)
}

// param is the route parameter, XmppFederationRoute by default.
func (sc Scripts) param() string {
	if sc.Parameter == "" {
		return routeParams[0]
	}
	return sc.Parameter
}

// setRoute is Set-CsSite for route (the zero Route clears it) and the
// read-back; with old, the site is read first and Set-CsSite runs only if
// its route is still old.
func (sc Scripts) setRoute(site string, route Route, old *Route) (string, error) {
	name, err := ParseSiteName(site)
	if err != nil {
		return "", err
	}
	param := sc.param()
	if !slices.Contains(routeParams, param) {
		return "", &parameterError{Cmdlet: "Set-CsSite", Want: routeParams}
	}
	if !route.IsZero() && route.pool == "" {
		return "", inputError("route", route.id, `not an "EdgeServer:<pool fqdn>" service identity`, nil)
	}
	set := pwsh.NewCommand("Set-CsSite").String("Identity", name)
	if route.IsZero() {
		set.Null(param)
	} else {
		set.String(param, routePrefix+route.pool)
	}
	line, err := set.Script()
	if err != nil {
		return "", err
	}
	read, err := sc.siteScript(name)
	if err != nil {
		return "", err
	}
	if old == nil {
		return pwsh.Join(line, read), nil
	}
	parts := []string{read}
	for _, v := range old.spellings() {
		cond := pwsh.NewCommand("Get-CsSite").String("Identity", name).Members(param)
		guarded, err := pwsh.IfEqual(cond, v, line)
		if err != nil {
			return "", err
		}
		parts = append(parts, guarded)
	}
	return pwsh.Join(append(parts, read)...), nil
}

// siteScript builds Get-CsSite [-Identity <name>] | Select-Object ... with
// the route property named like the route parameter.
func (sc Scripts) siteScript(name string) (string, error) {
	cmd := pwsh.NewCommand("Get-CsSite")
	if name != "" {
		cmd.String("Identity", name)
	}
	return cmd.Select(
		pwsh.Property{Name: "Identity", Cast: pwsh.CastString},
		pwsh.Property{Name: "SiteId", Cast: pwsh.CastInt},
		pwsh.Property{Name: "DisplayName", Cast: pwsh.CastString},
		pwsh.Property{Name: "SiteType", Cast: pwsh.CastString},
		pwsh.Property{Name: "Pools", Cast: pwsh.CastStrings},
		pwsh.Property{Name: "FederationRoute", Cast: pwsh.CastString},
		pwsh.Property{Name: "Route", From: sc.param(), Cast: pwsh.CastString},
	).Script()
}
