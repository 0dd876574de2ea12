package dnstest

import "errors"

// Cluster is a primary and its secondaries serving the same zones, each on
// its own address, as the NS set of a zone would be.
type Cluster struct {
	Primary     *Server
	Secondaries []*Server
}

// StartCluster starts a primary for cfg and n secondaries that follow it
// cfg.Lag behind (cfg.Secondary is ignored; the primary has no lag).
func StartCluster(cfg Config, n int) (*Cluster, error) {
	pcfg := cfg
	pcfg.Secondary, pcfg.Lag = false, 0
	p, err := Start(pcfg)
	if err != nil {
		return nil, err
	}
	c := &Cluster{Primary: p}
	for range n {
		scfg := cfg
		scfg.Secondary = true
		s, err := Start(scfg)
		if err != nil {
			return nil, errors.Join(err, c.Close())
		}
		c.Secondaries = append(c.Secondaries, s)
	}
	return c, nil
}

// Servers returns the primary followed by the secondaries.
func (c *Cluster) Servers() []*Server {
	return append([]*Server{c.Primary}, c.Secondaries...)
}

// Addrs returns the address of every server, primary first.
func (c *Cluster) Addrs() []string {
	var out []string
	for _, s := range c.Servers() {
		out = append(out, s.Addr)
	}
	return out
}

// Close closes every server and waits for them.
func (c *Cluster) Close() error {
	var errs []error
	for _, s := range c.Servers() {
		errs = append(errs, s.Close())
	}
	return errors.Join(errs...)
}
