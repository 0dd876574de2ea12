package lynctest

const (
	classGetPool    = "Microsoft.Rtc.Management.Xds.GetPoolCmdlet"
	classGetService = "Microsoft.Rtc.Management.Xds.GetServiceCmdlet"
)

var getPoolDef = &cmdletDef{name: "Get-CsPool", class: classGetPool}

// XMPP ports of an XMPP-enabled Edge pool (REFERENCE.md §1).
const (
	xmppPortTLS  int64 = 5269
	xmppInternal int64 = 23456
)

func poolCmdlets() []*cmdletDef {
	return []*cmdletDef{
		{name: "Get-CsPool", class: classGetPool, lync: true, run: getPool,
			params: []paramDef{{name: "Identity", kind: pString, position: 1}, {name: "Site", kind: pString},
				{name: "Filter", kind: pString}, {name: "LocalStore", kind: pSwitch}}},
		{name: "Get-CsService", class: classGetService, lync: true, run: getCsService,
			params: []paramDef{{name: "Identity", kind: pString, position: 1}, {name: "EdgeServer", kind: pSwitch},
				{name: "Registrar", kind: pSwitch}, {name: "PoolFqdn", kind: pString}, {name: "Filter", kind: pString},
				{name: "LocalStore", kind: pSwitch}}},
	}
}

// poolObject is a Get-CsPool output object. Call with d.mu held.
func (d *Deployment) poolObject(p *poolState) *psObject {
	comps := make([]any, len(p.servers))
	for i, s := range p.servers {
		comps[i] = s
	}
	return newObject("Microsoft.Rtc.Management.Xds.DisplayPool",
		"Identity", p.fqdn, "Services", []any{psIdentity(roleName(p.role) + ":" + p.fqdn)},
		"Computers", comps, "Fqdn", p.fqdn, "Site", psIdentity("Site:"+p.site))
}

func getPool(rc *runCtx, b bound) ([]any, *ErrorRecord) {
	d := rc.d
	d.mu.Lock()
	defer d.mu.Unlock()
	var site *siteState
	if b.has("Site") {
		if site = d.siteByName(b.str("Site")); site == nil {
			return nil, notFound(getPoolDef, "Site", b.str("Site"))
		}
	}
	if b.has("Identity") {
		p := d.poolByName(normFQDN(b.str("Identity")))
		if p == nil {
			return nil, notFound(getPoolDef, "Pool", b.str("Identity"))
		}
		if site != nil && p.site != site.name {
			return nil, nil
		}
		return []any{d.poolObject(p)}, nil
	}
	var out []any
	for _, p := range d.pools {
		if site == nil || p.site == site.name {
			out = append(out, d.poolObject(p))
		}
	}
	return out, nil
}

// getCsService lists Edge services (-EdgeServer) or registrars (-Registrar);
// -PoolFqdn filters (an unknown pool gives no output).
func getCsService(rc *runCtx, b bound) ([]any, *ErrorRecord) {
	d := rc.d
	d.mu.Lock()
	defer d.mu.Unlock()
	var out []any
	for i, p := range d.pools {
		if (b.sw("EdgeServer") && p.role != Edge) || (b.sw("Registrar") && p.role != FrontEnd) {
			continue
		}
		if b.has("PoolFqdn") && p.fqdn != normFQDN(b.str("PoolFqdn")) {
			continue
		}
		id := roleName(p.role) + ":" + p.fqdn
		if b.has("Identity") && !equalFoldTrim(b.str("Identity"), id) {
			continue
		}
		out = append(out, d.serviceObject(p, i+1))
	}
	return out, nil
}

func (d *Deployment) serviceObject(p *poolState, n int) *psObject {
	site := d.siteByName(p.site)
	common := []any{"Identity", psIdentity(roleName(p.role) + ":" + p.fqdn), "PoolFqdn", p.fqdn,
		"SiteId", psIdentity("Site:" + p.site), "ServiceId", itoa(site.id) + "-" + roleName(p.role) + "-" + itoa(n),
		"Role", roleName(p.role), "Version", int64(d.fed.version)}
	if p.role != Edge {
		return newObject("Microsoft.Rtc.Management.Xds.DisplayRegistrar", common...)
	}
	var registrar any
	for _, fe := range d.pools {
		if fe.role == FrontEnd && fe.site == p.site {
			registrar = psIdentity("Registrar:" + fe.fqdn)
			break
		}
	}
	var xmppPort, xmppInt any
	if p.xmpp {
		xmppPort, xmppInt = xmppPortTLS, xmppInternal
	}
	return newObject("Microsoft.Rtc.Management.Xds.DisplayEdgeServer", append(common,
		"AccessEdgeExternalFqdn", p.accessEdge, "DataEdgeExternalFqdn", p.accessEdge,
		"AVEdgeExternalFqdn", p.accessEdge, "InternalInterfaceFqdn", p.fqdn,
		"AccessEdgeExternalSipPort", int64(5061), "DataEdgeExternalPort", int64(443),
		"AVEdgeExternalPort", int64(443), "XmppListeningPort", xmppPort, "XmppInternalPort", xmppInt,
		"Registrar", registrar, "DependentServiceList", []any{})...)
}

func versionNumber(p Product) int {
	if p == Lync2013 {
		return 6
	}
	return 7
}
