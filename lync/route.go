package lync

import (
	"context"
	"fmt"
	"strings"
)

// Route parameters of Set-CsSite, in order of preference (REFERENCE.md §1:
// the cmdlet reference documents XmppFederationRoute; the runbook names
// XmppExternalFederationRoute).
var routeParams = []string{"XmppFederationRoute", "XmppExternalFederationRoute"}

// parameterError reports a cmdlet that has none of the parameters the
// client can use. It matches ErrParameterNotFound.
type parameterError struct {
	Cmdlet string
	Want   []string
}

// Error implements error.
func (e *parameterError) Error() string {
	return fmt.Sprintf("lync: %s has none of the parameters %s", e.Cmdlet, strings.Join(e.Want, ", "))
}

// Is reports whether target is ErrParameterNotFound.
func (e *parameterError) Is(target error) bool { return target == ErrParameterNotFound }

// RouteParameter returns the name of the XMPP route parameter the host's
// Set-CsSite has, XmppFederationRoute preferred over
// XmppExternalFederationRoute. The answer is cached by the client.
//
// Runs: (Get-Command -Name 'Set-CsSite').Parameters.Keys
func (s *SitesService) RouteParameter(ctx context.Context) (string, error) {
	return s.client.routeParameter(ctx)
}

func (c *Client) routeParameter(ctx context.Context) (string, error) {
	c.mu.Lock()
	p := c.routeParam
	c.mu.Unlock()
	if p != "" {
		return p, nil
	}
	script, err := Scripts{}.RouteParameter()
	if err != nil {
		return "", err
	}
	var keys []string
	if err := c.run(ctx, "Get-Command", script, &keys); err != nil {
		return "", err
	}
	for _, want := range routeParams {
		for _, k := range keys {
			if strings.EqualFold(k, want) {
				c.mu.Lock()
				c.routeParam = want
				c.mu.Unlock()
				c.log.Debug("route parameter detected", "parameter", want)
				return want, nil
			}
		}
	}
	return "", &parameterError{Cmdlet: "Set-CsSite", Want: routeParams}
}

// scripts returns the renderer of what the client sends, with the host's
// route parameter.
func (c *Client) scripts(ctx context.Context) (Scripts, error) {
	p, err := c.routeParameter(ctx)
	return Scripts{Parameter: p}, err
}

// Site is a handle on one site of the client, for the design card's
// Site.SetXmppRoute: client.Site("Site2").SetXmppRoute(ctx, "edgepool2.contoso.com").
// The name is checked when a method runs.
type Site struct {
	client *Client
	name   string
}

// Site returns a handle on the site called name ("Redmond" or "Site:Redmond").
func (c *Client) Site(name string) *Site { return &Site{client: c, name: name} }

// Name returns the site name the handle was made with.
func (s *Site) Name() string { return s.name }

// Get reads the site; see SitesService.Get.
func (s *Site) Get(ctx context.Context) (*SiteInfo, error) { return s.client.Sites.Get(ctx, s.name) }

// SetXmppRoute points the XMPP federation route of the site at the Edge pool
// edgePool (an FQDN), sending the documented service identity
// "EdgeServer:<fqdn>", and reads the site back in the same script. A route
// that did not take gives a *RouteError (ErrRouteNotApplied).
//
// Runs: Set-CsSite -Identity <site> -XmppFederationRoute 'EdgeServer:<fqdn>'
// (or -XmppExternalFederationRoute, whichever the host has); Get-CsSite.
func (s *Site) SetXmppRoute(ctx context.Context, edgePool string) error {
	fqdn, err := parseFQDN("edge pool", edgePool)
	if err != nil {
		return err
	}
	return s.setRoute(ctx, nil, Route{id: routePrefix + fqdn, pool: fqdn})
}

// ClearXmppRoute removes the XMPP federation route of the site and reads the
// site back in the same script.
//
// Runs: Set-CsSite -Identity <site> -XmppFederationRoute $null; Get-CsSite.
func (s *Site) ClearXmppRoute(ctx context.Context) error {
	return s.setRoute(ctx, nil, Route{})
}

// ReplaceXmppRoute sets the XMPP federation route of the site to new (the
// zero Route clears it) only if it is still old: a compare-and-set whose
// check, change and read-back are one script, one round trip. A route that
// is already new is left alone and is no error. A route that is neither
// gives a *StaleRouteError (ErrStaleRoute) carrying what was found, and
// nothing is changed; a change that did not take gives a *RouteError.
// The host's check finds old as Equal does: ignoring case (-eq) and a
// trailing dot on the pool (one check per spelling, with and without it).
//
// Runs: Get-CsSite; if ([string](Get-CsSite -Identity <site>).XmppFederationRoute
// -eq 'EdgeServer:<old pool>') { Set-CsSite ... }; the same if for
// 'EdgeServer:<old pool>.'; Get-CsSite. (One if, -eq '<old>', when old is no
// route or not an EdgeServer identity.)
func (s *Site) ReplaceXmppRoute(ctx context.Context, old, new Route) error {
	return s.setRoute(ctx, &old, new)
}

// setRoute sets the route to want, only if it is old when old is not nil,
// and checks the site read back.
func (s *Site) setRoute(ctx context.Context, old *Route, want Route) error {
	name, err := ParseSiteName(s.name)
	if err != nil {
		return err
	}
	sc, err := s.client.scripts(ctx)
	if err != nil {
		return err
	}
	var script string
	if old == nil {
		script, err = sc.setRoute(name, want, nil)
	} else {
		script, err = sc.ReplaceXmppRoute(name, *old, want)
	}
	if err != nil {
		return err
	}
	var out []siteJSON
	if err := s.client.run(ctx, "Set-CsSite", script, &out); err != nil {
		return err
	}
	if n := 1 + btoi(old != nil); len(out) != n {
		return &ProtocolError{Op: "Set-CsSite", Err: fmt.Errorf("%d sites read back, want %d", len(out), n)}
	}
	got := out[len(out)-1].info().XmppRoute
	switch {
	case got.Equal(want):
		s.client.log.Info("XMPP route set", "site", name, "route", want.String())
		return nil
	case old != nil && !out[0].info().XmppRoute.Equal(*old):
		return &StaleRouteError{Site: name, Want: *old, Found: out[0].info().XmppRoute}
	}
	return &RouteError{Site: name, Parameter: sc.param(), Want: want, Got: got}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
