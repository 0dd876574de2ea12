package lynctest

import (
	"context"
	"net"
	"strconv"
	"syscall"
)

// DialContext connects to a host of the deployment by name: "fqdn:5985"
// reaches its HTTP listener and "fqdn:5986" its HTTPS listener; a host's
// loopback addresses work too. An unknown name fails like a DNS miss
// (*net.DNSError with IsNotFound), another port or a FaultRefuse like a
// refused connection. Use it as the dialer of a WinRM client.
func (d *Deployment) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	name, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, &net.OpError{Op: "dial", Net: network, Err: err}
	}
	var target string
	d.mu.Lock()
	h := d.hostByName[normFQDN(name)]
	if h == nil {
		for _, x := range d.hosts {
			if x.httpAddr == addr || x.httpsAddr == addr {
				h, target = x, addr
			}
		}
	} else {
		switch port {
		case strconv.Itoa(HTTPPort):
			target = h.httpAddr
		case strconv.Itoa(HTTPSPort):
			target = h.httpsAddr
		}
	}
	var refused bool
	if h != nil {
		refused = d.fireLocked(h.fqdn, "", "", "", FaultRefuse) != nil
	}
	d.mu.Unlock()
	if h == nil {
		return nil, &net.OpError{Op: "dial", Net: network,
			Err: &net.DNSError{Err: "no such host", Name: name, IsNotFound: true}}
	}
	if target == "" || refused {
		return nil, &net.OpError{Op: "dial", Net: network, Err: syscall.ECONNREFUSED}
	}
	var nd net.Dialer
	return nd.DialContext(ctx, "tcp", target)
}
