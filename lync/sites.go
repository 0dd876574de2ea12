package lync

import (
	"context"
)

// SitesService reads and changes Lync sites (Get-CsSite, Set-CsSite).
type SitesService service

// SiteInfo is a site as Get-CsSite shows it.
type SiteInfo struct {
	Identity        string   // e.g. "Site:Redmond"
	Name            string   // the bare name, e.g. "Redmond"
	SiteID          int      // SiteId
	DisplayName     string   //
	Kind            string   // SiteType: "CentralSite" or "BranchOffice"
	Pools           []string // pool FQDNs of the site
	FederationRoute string   // SIP federation route (service identity); "" when none
	// XmppRoute is the XMPP federation route, a service identity such as
	// "EdgeServer:edgepool2.contoso.com" (XmppRoute.Pool() is the pool);
	// the zero Route when none. It is read from the property named like the
	// host's Set-CsSite route parameter.
	XmppRoute Route
}

type siteJSON struct {
	Identity        string
	SiteID          int `json:"SiteId"`
	DisplayName     string
	SiteType        string
	Pools           []string
	FederationRoute string
	Route           string
}

func (j siteJSON) info() SiteInfo {
	return SiteInfo{
		Identity: j.Identity, Name: bareSite(j.Identity), SiteID: j.SiteID, DisplayName: j.DisplayName,
		Kind: j.SiteType, Pools: j.Pools, FederationRoute: j.FederationRoute, XmppRoute: hostRoute(j.Route),
	}
}

// Get returns one site by name ("Redmond" or "Site:Redmond"). A missing
// site gives an error matching ErrNotFound. The XMPP route is read from the
// property named like the route parameter, so the first Get or List of a
// client also runs RouteParameter (cached).
//
// Runs: Get-CsSite -Identity <name> | Select-Object -Property Identity, SiteId, ...
func (s *SitesService) Get(ctx context.Context, name string) (*SiteInfo, error) {
	name, err := ParseSiteName(name)
	if err != nil {
		return nil, err
	}
	list, err := s.get(ctx, name)
	if err != nil {
		return nil, err
	}
	if len(list) != 1 {
		return nil, &notFoundError{Kind: "site", Name: name}
	}
	return &list[0], nil
}

// List returns all sites.
//
// Runs: Get-CsSite | Select-Object -Property Identity, SiteId, ...
func (s *SitesService) List(ctx context.Context) ([]SiteInfo, error) {
	return s.get(ctx, "")
}

func (s *SitesService) get(ctx context.Context, name string) ([]SiteInfo, error) {
	sc, err := s.client.scripts(ctx)
	if err != nil {
		return nil, err
	}
	script, err := sc.siteScript(name)
	if err != nil {
		return nil, err
	}
	var out []siteJSON
	if err := s.client.run(ctx, "Get-CsSite", script, &out); err != nil {
		return nil, err
	}
	list := make([]SiteInfo, len(out))
	for i, j := range out {
		list[i] = j.info()
	}
	return list, nil
}
