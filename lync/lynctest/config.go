package lynctest

import (
	"fmt"
	"log/slog"
	"time"
)

// Product is the server product a fake deployment runs. It decides the name
// of the management module and the display names of the services.
type Product int

const (
	// Lync2013 is Lync Server 2013: module "Lync".
	Lync2013 Product = iota + 1
	// SfB2015 is Skype for Business Server 2015: module "SkypeForBusiness".
	SfB2015
)

// String returns "Lync2013" or "SfB2015".
func (p Product) String() string {
	switch p {
	case Lync2013:
		return "Lync2013"
	case SfB2015:
		return "SfB2015"
	}
	return "Product(invalid)"
}

// Module returns the name of the PowerShell module that holds the Cs cmdlets.
func (p Product) Module() string {
	if p == SfB2015 {
		return "SkypeForBusiness"
	}
	return "Lync"
}

// Route parameter names Set-CsSite may have (REFERENCE.md §1: which one a real
// server has is unconfirmed, so both exist here). Get-CsSite objects carry the
// route in a property of the same name.
const (
	XmppFederationRoute         = "XmppFederationRoute"
	XmppExternalFederationRoute = "XmppExternalFederationRoute"
)

// Role is the role of a pool.
type Role int

const (
	// FrontEnd is a Front End pool (hosts the XMPP gateway RTCXMPPTGW).
	FrontEnd Role = iota + 1
	// Edge is an Edge pool (hosts the XMPP proxy).
	Edge
)

// Config describes a fake deployment. Zero fields take the defaults given in
// their comments; New validates everything else and refuses what a real
// topology could not hold.
type Config struct {
	// Product defaults to SfB2015.
	Product Product
	// RouteParameter is the name of the XMPP route parameter of Set-CsSite:
	// XmppFederationRoute (default) or XmppExternalFederationRoute.
	RouteParameter string
	// AcceptBareRoute makes Set-CsSite accept a bare Edge pool FQDN as a route
	// (stored as "EdgeServer:<fqdn>"). Whether real servers do is unconfirmed;
	// by default only the documented "EdgeServer:<pool fqdn>" form is accepted.
	AcceptBareRoute bool
	// Sites of the topology; at least one.
	Sites []Site
	// Pools of the topology; every pool names an existing site.
	Pools []Pool
	// ManagementHost, if set, is the FQDN of a host that has the management
	// shell but no Lync services (an administration workstation).
	ManagementHost string
	// Username and Password are the Basic credentials every host accepts.
	// Defaults: "CONTOSO\\lyncadmin" and "lynctest-Passw0rd".
	Username, Password string
	// Accounts are more Basic credentials every host accepts, for tests of
	// what Windows keeps per user (the shell quota).
	Accounts []Account
	// WinRM is the WinRM service configuration of every host (default: a
	// Windows host's defaults, see WinRMService).
	WinRM WinRMService
	// Latency is the initial latency profile (default: none).
	Latency Latency
	// MaxOperationTimeout caps how long a Receive without output waits before
	// it answers with the w:TimedOut fault; the request's own
	// OperationTimeout applies when it is shorter. Default 1s.
	MaxOperationTimeout time.Duration
	// MaxShellsPerUser is the WinRM quota of open shells per user and host
	// (winrm/config/winrs MaxShellsPerUser; default 30, Windows' default):
	// one more Create by that user gets the w:QuotaLimit fault, so a client
	// that leaks shells fails here as it would on a real host.
	MaxShellsPerUser int
	// ShellIdleTimeout ends a shell that has had no request for that long
	// (winrm/config/winrs IdleTimeout; default 2 hours, Windows' default). A
	// Receive being held counts as activity, so a client that keeps polling
	// keeps its shell; an expired shell no longer counts against the quota,
	// and a request naming it gets the w:InvalidSelectors fault. Expiry is
	// found whenever the host is asked (any request, Host.ShellCount).
	ShellIdleTimeout time.Duration
	// OnServiceChange, if set, is called after every service state change.
	OnServiceChange func(ServiceEvent)
	// OnRouteChange, if set, is called after Set-CsSite changed a site's
	// XMPP route.
	OnRouteChange func(RouteEvent)
	// OnReplication, if set, is called when a CMS replica becomes up to date
	// or falls behind after a topology change.
	//
	// The three callbacks are called one at a time, in the order of the
	// changes, from one goroutine of the deployment that holds no lock: they
	// may call any method of the Deployment except Close. A cmdlet that
	// caused changes returns to the client only after their callbacks
	// returned; changes made by timers (a -NoWait stop completing,
	// replication) and by the Deployment's setters are reported
	// asynchronously.
	OnReplication func(ReplicaEvent)
	// Federation holds certificates, Access Edge configuration, XMPP
	// partners, the topology version and reachability (federation.go).
	Federation FederationConfig
}

// Site is a Lync site.
type Site struct {
	// Name is the bare site name, e.g. "Site1" (Identity "Site:Site1").
	Name string
	// SiteID defaults to the 1-based position in Config.Sites.
	SiteID int
	// Branch makes the site a BranchOffice (default CentralSite).
	Branch bool
	// Description and DisplayName are informational (DisplayName defaults to Name).
	Description, DisplayName string
	// XmppRoute and FederationRoute are the initial routes, as service
	// identities ("EdgeServer:<edge pool fqdn>") or "" for none.
	XmppRoute, FederationRoute string
}

// Pool is a Front End or Edge pool.
type Pool struct {
	// FQDN of the pool, e.g. "edgepool1.contoso.com".
	FQDN string
	// Site is the name of the site the pool belongs to.
	Site string
	// Role is FrontEnd or Edge.
	Role Role
	// Servers are the FQDNs of the pool's servers; each one is a WinRM host.
	Servers []Server
	// XMPPDisabled marks an Edge pool without XMPP federation: Set-CsSite
	// refuses it as an XMPP route.
	XMPPDisabled bool
	// AccessEdgeExternalFQDN defaults to "sip." + the pool's parent domain
	// for Edge pools.
	AccessEdgeExternalFQDN string
}

// Server is one Windows server of a pool.
type Server struct {
	// FQDN of the server, e.g. "edge01.contoso.com".
	FQDN string
	// Services overrides the default Lync services of the pool's role
	// (DefaultServices). Every server that has a REPLICA service is a CMS replica.
	Services []Service
}

// Service is a Lync Windows service on a server.
type Service struct {
	// Name is the short service name, e.g. "RTCSRV".
	Name string
	// DisplayName defaults to the product's name for well-known services.
	DisplayName string
	// RoleName defaults to the role of the pool ("EdgeServer" / "Registrar").
	RoleName string
	// Status is the initial state (default Running).
	Status ServiceStatus
}

// ServiceStatus is a System.ServiceProcess.ServiceControllerStatus value, with
// the numbers ConvertTo-Json writes for it.
type ServiceStatus int

// ServiceControllerStatus values.
const (
	Stopped         ServiceStatus = 1
	StartPending    ServiceStatus = 2
	StopPending     ServiceStatus = 3
	Running         ServiceStatus = 4
	ContinuePending ServiceStatus = 5
	PausePending    ServiceStatus = 6
	Paused          ServiceStatus = 7
)

// String returns the enum name PowerShell prints ("Running", ...).
func (s ServiceStatus) String() string {
	names := [...]string{"", "Stopped", "StartPending", "StopPending", "Running", "ContinuePending", "PausePending", "Paused"}
	if s >= Stopped && s <= Paused {
		return names[s]
	}
	return "ServiceStatus(invalid)"
}

// ServiceEvent reports one service state change.
type ServiceEvent struct {
	Host     string // server FQDN (lower case)
	Service  string // short name, e.g. "RTCXMPPTGWPX"
	From, To ServiceStatus
}

// Account is one more account of Config.Accounts. %v and logs show its
// user name only.
type Account struct {
	Username, Password string
}

// String describes the account without its password.
func (a Account) String() string {
	return fmt.Sprintf("lynctest.Account{Username: %q, Password: [redacted]}", a.Username)
}

// GoString is String.
func (a Account) GoString() string { return a.String() }

// LogValue logs the user name only.
func (a Account) LogValue() slog.Value { return slog.StringValue(a.Username) }

var (
	_ fmt.Stringer   = Account{}
	_ slog.LogValuer = Account{}
	_ fmt.Stringer   = Config{}
	_ fmt.GoStringer = Config{}
	_ slog.LogValuer = Config{}
)

// String describes the configuration without its password.
func (c Config) String() string {
	return fmt.Sprintf("lynctest.Config{Product: %v, RouteParameter: %q, Sites: %d, Pools: %d, Username: %q, Password: [redacted]}",
		c.Product, c.RouteParameter, len(c.Sites), len(c.Pools), c.Username)
}

// GoString is String, so that %#v does not print the password either.
func (c Config) GoString() string { return c.String() }

// LogValue logs the configuration without its password.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(slog.String("product", c.Product.String()), slog.String("routeParameter", c.RouteParameter),
		slog.Int("sites", len(c.Sites)), slog.Int("pools", len(c.Pools)), slog.String("username", c.Username),
		slog.String("password", "[redacted]"))
}
