package lync

import (
	"context"
	"fmt"
	"strings"

	"github.com/xmppfed/edgefailover/internal/dnsname"
	"github.com/xmppfed/edgefailover/internal/pwsh"
)

// Route parameters of Set-CsSite, in order of preference (REFERENCE.md §1:
// the cmdlet reference documents XmppFederationRoute; the runbook names
// XmppExternalFederationRoute).
var routeParams = []string{"XmppFederationRoute", "XmppExternalFederationRoute"}

// ParameterError reports a cmdlet that has none of the parameters the
// client can use. It matches ErrParameterNotFound.
type ParameterError struct {
	Cmdlet string
	Want   []string
}

// Error implements error.
func (e *ParameterError) Error() string {
	return fmt.Sprintf("lync: %s has none of the parameters %s", e.Cmdlet, strings.Join(e.Want, ", "))
}

// Is reports whether target is ErrParameterNotFound.
func (e *ParameterError) Is(target error) bool { return target == ErrParameterNotFound }

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
	script, err := pwsh.NewCommand("Get-Command").String("Name", "Set-CsSite").Members("Parameters", "Keys").Script()
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
	return "", &ParameterError{Cmdlet: "Set-CsSite", Want: routeParams}
}

// SetXmppRoute points the XMPP federation route of site at the Edge pool
// edgePool (an FQDN), sending the documented service identity
// "EdgeServer:<fqdn>", then reads the site back. A route that did not take
// gives a *RouteError (ErrRouteNotApplied).
//
// Runs: Set-CsSite -Identity <site> -XmppFederationRoute 'EdgeServer:<fqdn>'
// (or -XmppExternalFederationRoute, whichever the host has), then Get-CsSite.
func (s *SitesService) SetXmppRoute(ctx context.Context, site, edgePool string) error {
	fqdn, err := parseFQDN("edge pool", edgePool)
	if err != nil {
		return err
	}
	return s.setRoute(ctx, site, "EdgeServer:"+fqdn)
}

// ClearXmppRoute removes the XMPP federation route of site and reads the
// site back.
//
// Runs: Set-CsSite -Identity <site> -XmppFederationRoute $null, then Get-CsSite.
func (s *SitesService) ClearXmppRoute(ctx context.Context, site string) error {
	return s.setRoute(ctx, site, "")
}

func (s *SitesService) setRoute(ctx context.Context, site, route string) error {
	name, err := ParseSiteName(site)
	if err != nil {
		return err
	}
	param, err := s.client.routeParameter(ctx)
	if err != nil {
		return err
	}
	script, err := routeScript(name, param, route)
	if err != nil {
		return err
	}
	if err := s.client.run(ctx, "Set-CsSite", script, nil); err != nil {
		return err
	}
	got, err := s.Get(ctx, name)
	if err != nil {
		return err
	}
	if !sameRoute(got.XmppRoute, route) {
		return &RouteError{Site: name, Parameter: param, Want: route, Got: got.XmppRoute}
	}
	s.client.log.Info("XMPP route set", "site", name, "route", route)
	return nil
}

// sameRoute compares two route identities case-insensitively, also when
// one side lacks the "EdgeServer:" prefix or has a trailing dot.
func sameRoute(got, want string) bool {
	if got == "" || want == "" {
		return got == want
	}
	return dnsname.Equal(routeFQDN(got), routeFQDN(want))
}

// Site is a handle on one site of the client, for the design card's
// Site.SetXmppRoute: client.Site("Site2").SetXmppRoute(ctx, "edgepool2.contoso.com").
// The name is checked when a method runs.
type Site struct {
	client *Client
	name   string
}

// Site returns a handle on the site called name.
func (c *Client) Site(name string) *Site { return &Site{client: c, name: name} }

// Name returns the site name the handle was made with.
func (s *Site) Name() string { return s.name }

// Get reads the site; see SitesService.Get.
func (s *Site) Get(ctx context.Context) (*SiteInfo, error) { return s.client.Sites.Get(ctx, s.name) }

// SetXmppRoute points the site's XMPP route at edgePool; see SitesService.SetXmppRoute.
//
// Runs: Set-CsSite -Identity <site> -XmppFederationRoute 'EdgeServer:<fqdn>', then Get-CsSite.
func (s *Site) SetXmppRoute(ctx context.Context, edgePool string) error {
	return s.client.Sites.SetXmppRoute(ctx, s.name, edgePool)
}

// ClearXmppRoute removes the site's XMPP route; see SitesService.ClearXmppRoute.
//
// Runs: Set-CsSite -Identity <site> -XmppFederationRoute $null, then Get-CsSite.
func (s *Site) ClearXmppRoute(ctx context.Context) error {
	return s.client.Sites.ClearXmppRoute(ctx, s.name)
}
