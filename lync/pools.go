package lync

import (
	"context"
	"strings"

	"github.com/xmppfed/edgefailover/internal/pwsh"
)

// PoolsService reads pools and Edge services (Get-CsPool, Get-CsService).
type PoolsService service

// Pool is a pool as Get-CsPool shows it.
type Pool struct {
	FQDN      string   // Identity
	Site      string   // site identity, e.g. "Site:Redmond"
	Computers []string // server FQDNs
	Services  []string // service identities, e.g. "EdgeServer:edgepool1.contoso.com"
}

type poolJSON struct {
	Identity  string
	Site      string
	Computers []string
	Services  []string
}

// Get returns one pool by FQDN; a missing pool matches ErrNotFound.
//
// Runs: Get-CsPool -Identity <fqdn> | Select-Object -Property Identity, Site, Computers, Services
func (s *PoolsService) Get(ctx context.Context, fqdn string) (*Pool, error) {
	fqdn, err := parseFQDN("pool", fqdn)
	if err != nil {
		return nil, err
	}
	list, err := s.list(ctx, fqdn)
	if err != nil {
		return nil, err
	}
	if len(list) != 1 {
		return nil, &notFoundError{Kind: "pool", Name: fqdn}
	}
	return &list[0], nil
}

// List returns all pools.
//
// Runs: Get-CsPool | Select-Object -Property Identity, Site, Computers, Services
func (s *PoolsService) List(ctx context.Context) ([]Pool, error) { return s.list(ctx, "") }

func (s *PoolsService) list(ctx context.Context, fqdn string) ([]Pool, error) {
	script, err := poolScript(fqdn)
	if err != nil {
		return nil, err
	}
	var out []poolJSON
	if err := s.client.run(ctx, "Get-CsPool", script, &out); err != nil {
		return nil, err
	}
	pools := make([]Pool, len(out))
	for i, p := range out {
		pools[i] = Pool{FQDN: p.Identity, Site: p.Site, Computers: p.Computers, Services: p.Services}
	}
	return pools, nil
}

// EdgeService is an Edge Server service as Get-CsService -EdgeServer shows it.
type EdgeService struct {
	Identity               string // "EdgeServer:<pool fqdn>", the value of an XMPP route
	PoolFQDN               string
	SiteID                 string // site identity, e.g. "Site:Redmond"
	AccessEdgeExternalFQDN string
	InternalInterfaceFQDN  string
	XmppListeningPort      int // 0 when XMPP is not enabled
	XmppInternalPort       int // Front End to Edge (MTLS), usually 23456
	// Version is the service's Version in the topology (REFERENCE.md §1):
	// 6 for Lync Server 2013 and 7 for Skype for Business Server 2015 as
	// lynctest has them; 8 for Skype for Business Server 2019 is assumed
	// (unconfirmed). 0 when the host does not report it.
	Version int
}

// Route returns the XMPP route that points at the service's pool: its
// Identity, or "EdgeServer:<PoolFQDN>" when Identity is empty.
func (e EdgeService) Route() Route {
	if e.Identity == "" && e.PoolFQDN != "" {
		if r, err := ParseRoute(routePrefix + e.PoolFQDN); err == nil {
			return r
		}
	}
	return hostRoute(e.Identity)
}

type edgeJSON struct {
	Identity               string
	PoolFqdn               string
	SiteID                 string `json:"SiteId"`
	AccessEdgeExternalFqdn string
	InternalInterfaceFqdn  string
	XmppListeningPort      int
	XmppInternalPort       int
	Version                int
}

// EdgeServices returns the Edge Server services, all of them or those of
// pool when it is not "".
//
// Runs: Get-CsService -EdgeServer [-PoolFqdn <pool>] | Select-Object -Property Identity, PoolFqdn, SiteId, ...
func (s *PoolsService) EdgeServices(ctx context.Context, pool string) ([]EdgeService, error) {
	script, err := Scripts{}.EdgeServices(pool)
	if err != nil {
		return nil, err
	}
	var out []edgeJSON
	if err := s.client.run(ctx, "Get-CsService", script, &out); err != nil {
		return nil, err
	}
	list := make([]EdgeService, len(out))
	for i, e := range out {
		list[i] = EdgeService{Identity: e.Identity, PoolFQDN: e.PoolFqdn, SiteID: e.SiteID,
			AccessEdgeExternalFQDN: e.AccessEdgeExternalFqdn, InternalInterfaceFQDN: e.InternalInterfaceFqdn,
			XmppListeningPort: e.XmppListeningPort, XmppInternalPort: e.XmppInternalPort, Version: e.Version}
	}
	return list, nil
}

// EdgePools returns the Edge services of the pools in site.
//
// Runs: Get-CsService -EdgeServer | Select-Object ... (filtered by SiteId on the client)
func (s *PoolsService) EdgePools(ctx context.Context, site string) ([]EdgeService, error) {
	name, err := ParseSiteName(site)
	if err != nil {
		return nil, err
	}
	all, err := s.EdgeServices(ctx, "")
	if err != nil {
		return nil, err
	}
	var in []EdgeService
	for _, e := range all {
		if strings.EqualFold(bareSite(e.SiteID), name) {
			in = append(in, e)
		}
	}
	return in, nil
}

// GetPool returns what PoolsService.Get runs for fqdn.
func (Scripts) GetPool(fqdn string) (string, error) {
	fqdn, err := parseFQDN("pool", fqdn)
	if err != nil {
		return "", err
	}
	return poolScript(fqdn)
}

// ListPools returns what PoolsService.List runs.
func (Scripts) ListPools() (string, error) { return poolScript("") }

func poolScript(fqdn string) (string, error) {
	cmd := pwsh.NewCommand("Get-CsPool")
	if fqdn != "" {
		cmd.String("Identity", fqdn)
	}
	return cmd.Select(
		pwsh.Property{Name: "Identity", Cast: pwsh.CastString},
		pwsh.Property{Name: "Site", Cast: pwsh.CastString},
		pwsh.Property{Name: "Computers", Cast: pwsh.CastStrings},
		pwsh.Property{Name: "Services", Cast: pwsh.CastStrings},
	).Script()
}

// EdgeServices returns what PoolsService.EdgeServices runs for pool ("" for
// every pool); PoolsService.EdgePools runs it for "".
func (Scripts) EdgeServices(pool string) (string, error) {
	cmd := pwsh.NewCommand("Get-CsService").Switch("EdgeServer")
	if pool != "" {
		fqdn, err := parseFQDN("pool", pool)
		if err != nil {
			return "", err
		}
		cmd.String("PoolFqdn", fqdn)
	}
	return cmd.Select(
		pwsh.Property{Name: "Identity", Cast: pwsh.CastString},
		pwsh.Property{Name: "PoolFqdn", Cast: pwsh.CastString},
		pwsh.Property{Name: "SiteId", Cast: pwsh.CastString},
		pwsh.Property{Name: "AccessEdgeExternalFqdn", Cast: pwsh.CastString},
		pwsh.Property{Name: "InternalInterfaceFqdn", Cast: pwsh.CastString},
		pwsh.Property{Name: "XmppListeningPort", Cast: pwsh.CastInt},
		pwsh.Property{Name: "XmppInternalPort", Cast: pwsh.CastInt},
		pwsh.Property{Name: "Version", Cast: pwsh.CastInt},
	).Script()
}
