package lynctest

import (
	"fmt"
	"strings"
	"time"
)

const (
	classGetSite = "Microsoft.Rtc.Management.Xds.GetSiteCmdlet"
	classSetSite = "Microsoft.Rtc.Management.Xds.SetSiteCmdlet"
)

func (d *Deployment) siteCmdlets() []*cmdletDef {
	return []*cmdletDef{
		{name: "Get-CsSite", class: classGetSite, lync: true, run: getSite,
			params: []paramDef{{name: "Identity", kind: pString, position: 1}, {name: "Filter", kind: pString},
				{name: "LocalStore", kind: pSwitch}}},
		{name: "Set-CsSite", class: classSetSite, lync: true, shouldProcess: true, run: setSite,
			// The order of the SfB 2015 reference syntax (Set-CsSite.md).
			params: []paramDef{{name: "Identity", kind: pString, position: 1},
				{name: "Description", kind: pStringNull}, {name: "DisplayName", kind: pStringNull},
				{name: "FederationRoute", kind: pStringNull}, {name: "Force", kind: pSwitch},
				{name: "DefaultPersistentChatPool", kind: pStringNull}, {name: d.routeParam, kind: pStringNull}}},
	}
}

// siteObject is a Get-CsSite output object. Call with d.mu held.
func (d *Deployment) siteObject(s *siteState) *psObject {
	pools, services := []any{}, []any{}
	for _, p := range d.pools {
		if p.site != s.name {
			continue
		}
		pools = append(pools, p.fqdn)
		services = append(services, psIdentity(roleName(p.role)+":"+p.fqdn))
	}
	kind := psEnum{"CentralSite", 0}
	if s.branch {
		kind = psEnum{"BranchOffice", 1}
	}
	route := func(r string) any {
		if r == "" {
			return nil
		}
		return psIdentity(r)
	}
	return newObject("Microsoft.Rtc.Management.WritableConfig.Topology.Site",
		"Identity", psIdentity("Site:"+s.name), "SiteId", int64(s.id), "Services", services, "Pools", pools,
		"FederationRoute", route(s.fedRoute), d.routeParam, route(s.xmppRoute),
		"DefaultPersistentChatPool", nil, "Description", s.description, "DisplayName", s.displayName,
		"SiteType", kind, "ParentSite", nil)
}

var getSiteDef = &cmdletDef{name: "Get-CsSite", class: classGetSite}
var setSiteDef = &cmdletDef{name: "Set-CsSite", class: classSetSite}

func getSite(rc *runCtx, b bound) ([]any, *ErrorRecord) {
	d := rc.d
	d.mu.Lock()
	defer d.mu.Unlock()
	if b.has("Identity") {
		s := d.siteByName(b.str("Identity"))
		if s == nil {
			return nil, notFound(getSiteDef, "Site", b.str("Identity"))
		}
		return []any{d.siteObject(s)}, nil
	}
	var out []any
	for _, s := range d.sites {
		out = append(out, d.siteObject(s))
	}
	return out, nil
}

// setSite changes routes. A route must be the service identity of an
// existing Edge pool ("EdgeServer:<pool fqdn>", prefix case-insensitive; the
// XMPP route also needs an XMPP-enabled pool); a bare FQDN only with
// Config.AcceptBareRoute. What real servers accept is unconfirmed
// (REFERENCE.md §1): this is the documented form.
func setSite(rc *runCtx, b bound) ([]any, *ErrorRecord) {
	d := rc.d
	d.mu.Lock()
	s := d.siteByName(b.str("Identity"))
	if s == nil {
		d.mu.Unlock()
		return nil, notFound(setSiteDef, "Site", b.str("Identity"))
	}
	xmpp, fed := s.xmppRoute, s.fedRoute
	for _, r := range []struct {
		param string
		dst   *string
		xmpp  bool
	}{{d.routeParam, &xmpp, true}, {"FederationRoute", &fed, false}} {
		if !b.has(r.param) {
			continue
		}
		v, _ := b[r.param].(string)
		if v == "" {
			*r.dst = ""
			continue
		}
		id, msg := d.routeTarget(v, r.xmpp, d.acceptBare)
		if msg != "" {
			d.mu.Unlock()
			return nil, &ErrorRecord{Type: "System.ArgumentException",
				Message:               "Cannot set \"" + r.param + "\": " + msg,
				FullyQualifiedErrorId: "InvalidServiceIdentity," + classSetSite,
				Category:              "InvalidArgument", Cmdlet: "Set-CsSite"}
		}
		*r.dst = id
	}
	if b.sw("WhatIf") {
		d.mu.Unlock()
		return nil, nil
	}
	for _, r := range []string{"Description", "DisplayName"} {
		if b.has(r) {
			v, _ := b[r].(string)
			if r == "Description" {
				s.description = v
			} else {
				s.displayName = v
			}
		}
	}
	changed := !strings.EqualFold(xmpp, s.xmppRoute) || !strings.EqualFold(fed, s.fedRoute) ||
		b.has("Description") || b.has("DisplayName")
	if !strings.EqualFold(xmpp, s.xmppRoute) {
		d.enqueueLocked(event{route: &RouteEvent{Site: s.name, From: s.xmppRoute, To: xmpp}})
	}
	s.xmppRoute, s.fedRoute = xmpp, fed
	if changed {
		d.bumpVersionLocked(time.Now())
	}
	seq := d.evSeq
	d.mu.Unlock()
	d.flush(seq)
	return nil, nil
}

// SetXmppRoute changes a site's XMPP route as an administrator at another
// console would (Set-CsSite elsewhere): route is "" to clear it, or an
// "EdgeServer:<pool fqdn>" identity that Set-CsSite would accept. Replicas
// fall behind and OnRouteChange is called, asynchronously.
func (d *Deployment) SetXmppRoute(site, route string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	s := d.siteByName(site)
	if s == nil {
		return fmt.Errorf("%w: site %q", ErrUnknown, site)
	}
	id := ""
	if route != "" {
		var msg string
		if id, msg = d.routeTarget(route, true, d.acceptBare); msg != "" {
			return fmt.Errorf("%w: %s", ErrBadConfig, msg)
		}
	}
	if !strings.EqualFold(id, s.xmppRoute) {
		d.enqueueLocked(event{route: &RouteEvent{Site: s.name, From: s.xmppRoute, To: id}})
	}
	s.xmppRoute = id
	d.bumpVersionLocked(time.Now())
	return nil
}
