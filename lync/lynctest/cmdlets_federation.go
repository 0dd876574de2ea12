package lynctest

import (
	"fmt"
	"strings"
)

// The federation cmdlets of the reader (FederationConfig). Output shapes:
// Get-CsCertificate (Lync Server 2010 page: -Type <CertType[]>, returns
// CertificateReference; properties as practitioners' listings show them,
// unconfirmed), Get-CsAccessEdgeConfiguration (properties of
// Set-CsAccessEdgeConfiguration.md), Get-CsXmppAllowedPartner (parameters of
// New-/Set-CsXmppAllowedPartner as properties, unconfirmed), Test-CsXmppIM
// (ServerPlatform parameter set of its page; the TestResult properties
// TargetFqdn, Result, Latency, Error, Diagnosis are unconfirmed) and
// New-Object for System.Net.Sockets.TcpClient.
const (
	classGetCertificate = "Microsoft.Rtc.Management.Deployment.GetCertificateCmdlet"
	classGetAccessEdge  = "Microsoft.Rtc.Management.WritableConfig.Policy.Edge.GetAccessEdgeConfigurationCmdlet"
	classGetXmppPartner = "Microsoft.Rtc.Management.WritableConfig.Settings.Xmpp.GetXmppAllowedPartnerCmdlet"
	classTestXmppIM     = "Microsoft.Rtc.SyntheticTransactions.Cmdlets.TestXmppIMCmdlet"
	classNewObject      = "Microsoft.PowerShell.Commands.NewObjectCommand"
)

// certTypes are CertType values a real -Type accepts (Get-CsCertificate
// page; the list there is "not limited to" these).
var certTypes = []string{"AccessEdgeExternal", "AudioVideoAuthentication", "DataEdgeExternal", "Default",
	"External", "Internal", "WebServicesExternal", "WebServicesInternal", "WsFedTokenTransfer", "OAuthTokenIssuer",
	"XmppServer"}

func federationCmdlets() []*cmdletDef {
	return []*cmdletDef{
		{name: "Get-CsCertificate", class: classGetCertificate, lync: true, run: getCertificate,
			params: []paramDef{{name: "Type", kind: pStrings}, {name: "NetportId", kind: pString}, {name: "Report", kind: pString}}},
		{name: "Get-CsAccessEdgeConfiguration", class: classGetAccessEdge, lync: true, run: getAccessEdge,
			params: []paramDef{{name: "Identity", kind: pString, position: 1}, {name: "Filter", kind: pString},
				{name: "LocalStore", kind: pSwitch}}},
		{name: "Get-CsXmppAllowedPartner", class: classGetXmppPartner, lync: true, run: getXmppPartner,
			params: []paramDef{{name: "Identity", kind: pString, position: 1}, {name: "Filter", kind: pString},
				{name: "LocalStore", kind: pSwitch}}},
		{name: "Test-CsXmppIM", class: classTestXmppIM, lync: true, run: testXmppIM,
			params: []paramDef{{name: "TargetFqdn", kind: pString, position: 1, mandatory: true},
				{name: "Receiver", kind: pString, mandatory: true}, {name: "UserSipAddress", kind: pString},
				{name: "RegistrarPort", kind: pInt}, {name: "Authentication", kind: pString}, {name: "Force", kind: pSwitch},
				{name: "OutLoggerVariable", kind: pString}, {name: "OutVerboseVariable", kind: pString}}},
		{name: "New-Object", class: classNewObject, run: newObjectCmdlet,
			params: []paramDef{{name: "TypeName", kind: pString, position: 1}, {name: "ArgumentList", kind: pAny, position: 2},
				{name: "Property", kind: pAny}, {name: "ComObject", kind: pString}, {name: "Strict", kind: pSwitch}}},
	}
}

func getCertificate(rc *runCtx, b bound) ([]any, *ErrorRecord) {
	for _, t := range b.strs("Type") {
		if !containsFold(certTypes, t) {
			return nil, &ErrorRecord{Type: typeParamBinding,
				Message: fmt.Sprintf("Cannot bind parameter 'Type'. Cannot convert value \"%s\" to type "+
					"\"Microsoft.Rtc.Management.Deployment.CertType\". Error: \"Unable to match the identifier name %s "+
					"to a valid enumerator name.\"", t, t),
				FullyQualifiedErrorId: "CannotConvertArgumentNoMessage," + classGetCertificate,
				Category:              "InvalidArgument", Cmdlet: "Get-CsCertificate"}
		}
	}
	d := rc.d
	d.mu.Lock()
	defer d.mu.Unlock()
	var out []any
	for _, c := range d.fed.certs[rc.h.fqdn] {
		if b.has("Type") && !containsFold(b.strs("Type"), c.Use) {
			continue
		}
		names := make([]any, len(c.AlternativeNames))
		for i, n := range c.AlternativeNames {
			names[i] = n
		}
		out = append(out, newObject("Microsoft.Rtc.Management.Deployment.CertificateReference",
			"Issuer", c.Issuer, "NotAfter", psDate(c.NotAfter), "NotBefore", psDate(c.NotBefore),
			"SerialNumber", thumbprint(rc.h.fqdn, c)[:16], "Subject", c.Subject, "AlternativeNames", names,
			"Thumbprint", thumbprint(rc.h.fqdn, c), "Use", psEnum{c.Use, indexFold(certTypes, c.Use)}))
	}
	return out, nil
}

func getAccessEdge(rc *runCtx, b bound) ([]any, *ErrorRecord) {
	if b.has("Identity") && !strings.EqualFold(b.str("Identity"), "Global") {
		return nil, notFound(&cmdletDef{name: "Get-CsAccessEdgeConfiguration", class: classGetAccessEdge},
			"Access Edge configuration", b.str("Identity"))
	}
	d := rc.d
	d.mu.Lock()
	defer d.mu.Unlock()
	return []any{newObject("Microsoft.Rtc.Management.WritableConfig.Policy.Edge.AccessEdgeConfiguration",
		"Identity", psIdentity("Global"), "AllowAnonymousUsers", false, "AllowFederatedUsers", d.fed.allowFed,
		"AllowOutsideUsers", false, "EnablePartnerDiscovery", false, "RoutingMethod", psEnum{"UseDnsSrvRouting", 0})}, nil
}

func getXmppPartner(rc *runCtx, b bound) ([]any, *ErrorRecord) {
	d := rc.d
	d.mu.Lock()
	defer d.mu.Unlock()
	var out []any
	for _, p := range d.fed.partners {
		if b.has("Identity") && !strings.EqualFold(b.str("Identity"), p.Domain) {
			continue
		}
		add := make([]any, len(p.AdditionalDomains))
		for i, a := range p.AdditionalDomains {
			add[i] = a
		}
		out = append(out, newObject("Microsoft.Rtc.Management.WritableConfig.Settings.Xmpp.XmppAllowedPartner",
			"Identity", psIdentity(p.Domain), "Domain", p.Domain, "AdditionalDomains", add,
			"PartnerType", psEnum{p.PartnerType, 0}, "ProxyFqdn", p.ProxyFqdn,
			"TlsNegotiation", psEnum{p.TlsNegotiation, 0}, "SaslNegotiation", psEnum{p.SaslNegotiation, 0},
			"SupportDialbackNegotiation", p.Dialback, "EnableKeepAlive", true, "ConnectionLimit", int64(0)))
	}
	if b.has("Identity") && len(out) == 0 {
		return nil, notFound(&cmdletDef{name: "Get-CsXmppAllowedPartner", class: classGetXmppPartner},
			"XMPP allowed partner", b.str("Identity"))
	}
	return out, nil
}

// testXmppIM succeeds when the target is a Front End pool, federation is
// allowed, the receiver's domain is a partner, and some site's XMPP route
// points at an XMPP-enabled Edge pool that one server serves with every
// service Running and whose internal port the Front End reaches.
func testXmppIM(rc *runCtx, b bound) ([]any, *ErrorRecord) {
	d := rc.d
	d.mu.Lock()
	defer d.mu.Unlock()
	target := normFQDN(b.str("TargetFqdn"))
	p := d.poolByName(target)
	if p == nil || p.role != FrontEnd {
		return nil, notFound(&cmdletDef{name: "Test-CsXmppIM", class: classTestXmppIM}, "Registrar pool", target)
	}
	fail := ""
	_, domain, _ := strings.Cut(b.str("Receiver"), "@")
	switch {
	case !d.fed.allowFed:
		fail = "Federation is disabled in the Access Edge configuration."
	case !d.isPartner(domain):
		fail = fmt.Sprintf("The domain %s is not an XMPP allowed partner.", domain)
	case !d.xmppRouteServed():
		fail = "No Edge pool serves the XMPP federation route."
	}
	res, latency := psEnum{"Success", 0}, "00:00:00.4200000"
	if fail != "" {
		res, latency = psEnum{"Failure", 1}, "00:00:00"
	}
	return []any{newObject("Microsoft.Rtc.SyntheticTransactions.TaskOutput",
		"TargetFqdn", target, "Result", res, "Latency", latency, "Error", fail,
		"Diagnosis", map[bool]string{true: "", false: "XMPP gateway: " + fail}[fail == ""])}, nil
}

func (d *Deployment) isPartner(domain string) bool {
	for _, p := range d.fed.partners {
		if strings.EqualFold(p.Domain, domain) || containsFold(p.AdditionalDomains, domain) {
			return true
		}
	}
	return false
}

// xmppRouteServed: call with d.mu held.
func (d *Deployment) xmppRouteServed() bool {
	for _, s := range d.sites {
		p := d.poolByName(strings.TrimPrefix(strings.ToLower(s.xmppRoute), "edgeserver:"))
		if s.xmppRoute == "" || p == nil || !p.xmpp || d.fed.unreachable[fmt.Sprintf("%s:%d", p.fqdn, xmppInternal)] {
			continue
		}
		for _, srv := range p.servers {
			up := true
			for _, sv := range d.hostByName[srv].services {
				up = up && sv.status == Running
			}
			if up {
				return true
			}
		}
	}
	return false
}

// newObjectCmdlet knows one type, System.Net.Sockets.TcpClient with the
// (host, port) constructor, which connects at once: the object's Connected
// is true, or the constructor's exception ends the script.
func newObjectCmdlet(rc *runCtx, b bound) ([]any, *ErrorRecord) {
	if !strings.EqualFold(b.str("TypeName"), "System.Net.Sockets.TcpClient") {
		return nil, &ErrorRecord{Type: "System.Management.Automation.PSArgumentException",
			Message: fmt.Sprintf("Cannot find type [%s]: verify that the assembly containing this type is loaded.",
				b.str("TypeName")),
			FullyQualifiedErrorId: "TypeNotFound," + classNewObject, Category: "InvalidType", Cmdlet: "New-Object"}
	}
	args := enumerate(b["ArgumentList"])
	if len(args) != 2 {
		return nil, ctorError(len(args), "Cannot find an overload for \".ctor\" and the argument count.")
	}
	host := normFQDN(toString(args[0]))
	portV, er := toInt(args[1])
	if er != nil {
		return nil, ctorError(2, "Cannot convert argument \"port\".")
	}
	port := portV.(int64)
	d := rc.d
	d.mu.Lock()
	known := d.hostByName[host] != nil
	pool := d.poolByName(host)
	edge := (pool != nil && pool.role == Edge && pool.xmpp) ||
		(known && d.hostByName[host].pool != nil && d.hostByName[host].pool.role == Edge && d.hostByName[host].pool.xmpp)
	blocked := d.fed.unreachable[fmt.Sprintf("%s:%d", host, port)]
	d.mu.Unlock()
	switch {
	case !known && pool == nil:
		return nil, ctorError(2, "No such host is known")
	case blocked:
		return nil, ctorError(2, fmt.Sprintf("A connection attempt failed because the connected party did not properly "+
			"respond after a period of time, or established connection failed because connected host has failed to "+
			"respond %s:%d", host, port))
	case edge && port == xmppInternal, known && (port == HTTPPort || port == HTTPSPort):
		return []any{newObject("System.Net.Sockets.TcpClient", "Connected", true, "Available", int64(0))}, nil
	}
	return nil, ctorError(2, fmt.Sprintf("No connection could be made because the target machine actively refused it %s:%d", host, port))
}

func ctorError(n int, msg string) *ErrorRecord {
	return &ErrorRecord{Type: "System.Management.Automation.MethodInvocationException",
		Message:               fmt.Sprintf("Exception calling \".ctor\" with \"%d\" argument(s): \"%s\"", n, msg),
		FullyQualifiedErrorId: "ConstructorInvokedThrowException," + classNewObject,
		Category:              "InvalidOperation", Cmdlet: "New-Object"}
}

func indexFold(list []string, s string) int {
	for i, x := range list {
		if strings.EqualFold(x, s) {
			return i
		}
	}
	return -1
}
