package edge

import (
	"errors"
	"fmt"
)

// ErrNotEdgePool is matched by the *NotEdgePoolError of DiscoverPool when the
// pool exists but is not an Edge pool.
var ErrNotEdgePool = errors.New("edge: not an Edge pool")

// NotEdgePoolError reports a pool that exists in the topology but has no Edge
// Server service (a Front End pool, for instance). It matches ErrNotEdgePool.
type NotEdgePoolError struct {
	Pool     string
	Services []string // the pool's service identities, as Get-CsPool listed them
}

func (e *NotEdgePoolError) Error() string {
	return fmt.Sprintf("edge: pool %s is not an Edge pool (services: %v)", e.Pool, e.Services)
}

// Is reports whether target is ErrNotEdgePool.
func (e *NotEdgePoolError) Is(target error) bool { return target == ErrNotEdgePool }

// NotMemberError reports a server of DiscoverOptions.Servers that is not a
// computer of the pool as Get-CsPool lists it. DiscoverPool returns it
// before opening any client.
type NotMemberError struct {
	Server    string   // the server as DiscoverOptions.Servers named it
	Pool      string   // the pool's FQDN
	Computers []string // the pool's computers, as Get-CsPool listed them
}

func (e *NotMemberError) Error() string {
	return fmt.Sprintf("edge: %s is not a server of pool %s (Get-CsPool lists %v)", e.Server, e.Pool, e.Computers)
}
