package lync

import (
	"strings"

	"github.com/xmppfed/edgefailover/internal/dnsname"
)

// routePrefix starts the service identity of an Edge pool.
const routePrefix = "EdgeServer:"

// Route is the XMPP federation route of a site: the service identity
// "EdgeServer:<pool fqdn>" of an Edge pool, or the zero Route, no route. Lync
// compares identities ignoring case, and so does Equal: compare Routes with
// Equal, not ==. A Route marshals as its identity text ("" for none).
type Route struct {
	id   string // the identity as parsed or as the host wrote it; "" for none
	pool string // lower-case pool FQDN; "" when id is not an EdgeServer identity
}

// ParseRoute parses a route identity: "" is no route; otherwise
// "EdgeServer:<pool fqdn>" with the prefix in any case and the FQDN with or
// without a trailing dot. Anything else gives an *InputError
// (ErrInvalidInput). The Route's String is the canonical
// "EdgeServer:<lower-case fqdn>".
func ParseRoute(s string) (Route, error) {
	if s == "" {
		return Route{}, nil
	}
	if len(s) < len(routePrefix) || !strings.EqualFold(s[:len(routePrefix)], routePrefix) {
		return Route{}, inputError("route", s, `not an "EdgeServer:<pool fqdn>" service identity`, nil)
	}
	fqdn, err := dnsname.ParseFQDN(s[len(routePrefix):])
	if err != nil {
		return Route{}, inputError("route", s, "the pool is not a fully qualified host name", err)
	}
	return Route{id: routePrefix + fqdn, pool: fqdn}, nil
}

// hostRoute is the Route a host wrote, kept as written: a value ParseRoute
// refuses still compares (ignoring case) and shows, with an empty Pool.
func hostRoute(s string) Route {
	if r, err := ParseRoute(s); err == nil && r.id != "" {
		return Route{id: s, pool: r.pool}
	}
	return Route{id: s}
}

// Pool returns the FQDN of the route's Edge pool in lower case, or "" for no
// route or an identity that is not "EdgeServer:<fqdn>".
func (r Route) Pool() string { return r.pool }

// IsZero reports whether r is no route.
func (r Route) IsZero() bool { return r.id == "" }

// Equal reports whether r and o are the same route as Lync compares service
// identities: ignoring case (and a trailing dot on the pool).
func (r Route) Equal(o Route) bool {
	if r.pool != "" && o.pool != "" {
		return r.pool == o.pool
	}
	return strings.EqualFold(r.id, o.id)
}

// spellings returns the texts a host's route may have for Equal to find it
// r, as -eq (which ignores case) compares them: for an EdgeServer identity
// "EdgeServer:<pool>" and "EdgeServer:<pool>." (Equal ignores a trailing dot
// too), otherwise the identity as it is. A compare-and-set sends one check
// per spelling, so that the host's check and Equal agree.
func (r Route) spellings() []string {
	if r.pool == "" {
		return []string{r.id}
	}
	return []string{routePrefix + r.pool, routePrefix + r.pool + "."}
}

// String returns the identity, "" for no route.
func (r Route) String() string { return r.id }

// MarshalText returns the identity.
func (r Route) MarshalText() ([]byte, error) { return []byte(r.id), nil }

// UnmarshalText reads an identity as a host wrote it (see String); it
// accepts what MarshalText wrote and never fails.
func (r *Route) UnmarshalText(b []byte) error {
	*r = hostRoute(string(b))
	return nil
}
