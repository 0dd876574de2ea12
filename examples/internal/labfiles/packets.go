package labfiles

import "github.com/xmppfed/edgefailover/failover/failovertest"

// Packets counts what reached the lab: WS-Man requests (401s included),
// DNS messages on every name server, and connections to the XMPP
// listeners. A program refusing bad input must leave it unchanged.
func Packets(lab *failovertest.Lab) int {
	c := lab.Deployment().Counters()
	n := c.Total() + c.Unauthorized
	for _, s := range lab.DNS().Servers() {
		n += len(s.Log())
	}
	for _, p := range lab.Pools() {
		n += int(p.Listener.Stats().Connections)
	}
	return n
}
