package failovertest

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"syscall"

	"github.com/miekg/dns"

	"github.com/xmppfed/edgefailover/internal/dnsname"
)

// Dial connects to the XMPP listener of the Edge pool that addr names, the way
// a remote server's connection would reach it, without any packet leaving
// 127.0.0.1. It fits edge.ProbeConfig.Dial and failover's probe dialer.
//
// addr is host:port with port 5269 (XMPPPort). The host may be a pool's
// external IP (192.0.2.10, 192.0.2.20), its FQDN or its Access Edge external
// FQDN; any other name inside the lab's zones is looked up (A and AAAA) on
// the lab's name servers, primary first, so that a changed A record of
// FederationHost changes where the connection goes. A name the lab's DNS
// does not hold (or outside its zones) fails with a *net.DNSError
// (IsNotFound); name servers that all fail (injected faults) give a
// *net.DNSError with IsTemporary. Anything else, a pool whose listener is down,
// and another port are refused like a closed port: the error matches
// syscall.ECONNREFUSED. An address made unreachable by SetUnreachable
// answers nothing: Dial blocks until ctx ends, as a connect to a site that
// lost its power or uplink does. The listeners are reconciled with the
// deployment first. The connection's RemoteAddr is the pool's external address
// (192.0.2.20:5269), as a remote server would see it; LocalAddr is the real
// loopback address.
func (l *Lab) Dial(ctx context.Context, network, addr string) (net.Conn, error) {
	if l.isClosed() {
		return nil, &net.OpError{Op: "dial", Net: network, Err: ErrClosed}
	}
	return l.dialer().dial(ctx, network, addr)
}

// dialer is what Dial needs to know of a lab: its pools' names and
// addresses, its name servers and zones. A Lab has one; so does a Remote,
// in another process.
type dialer struct {
	pools     []poolAddr
	servers   []string              // name servers, primary first
	origins   []string              // the lab's zones, absolute
	reconcile func()                // before each dial; nil where the listeners are not ours
	silent    func(netip.Addr) bool // an address that drops every packet (SetUnreachable); nil: none
	dnsc      *dns.Client
}

// poolAddr is a pool as a dialer knows it.
type poolAddr struct {
	FQDN       string     `json:"fqdn"`
	AccessEdge string     `json:"access_edge"`
	ExternalIP netip.Addr `json:"external_ip"`
	Listener   string     `json:"listener"` // loopback address of its listener
	running    func() bool
}

func (l *Lab) dialer() *dialer {
	d := &dialer{servers: l.cluster.Addrs(), origins: l.zp.origins, reconcile: l.reconcile, dnsc: l.dnsc, silent: l.isSilent}
	for _, p := range l.pools {
		d.pools = append(d.pools, poolAddr{FQDN: p.FQDN, AccessEdge: p.AccessEdgeExternalFQDN, ExternalIP: p.ExternalIP,
			Listener: p.Listener.Addr(), running: p.Listener.Running})
	}
	return d
}

func (d *dialer) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if network != "tcp" && network != "tcp4" && network != "tcp6" {
		return nil, &net.OpError{Op: "dial", Net: network, Err: net.UnknownNetworkError(network)}
	}
	host, portText, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, &net.OpError{Op: "dial", Net: network, Err: err}
	}
	port, err := strconv.ParseUint(portText, 10, 16)
	if err != nil || port != XMPPPort {
		return nil, refused(network, addr)
	}
	ips, err := d.lookup(ctx, host)
	if err != nil {
		return nil, err
	}
	if d.reconcile != nil {
		d.reconcile()
	}
	for _, ip := range ips {
		if d.silent != nil && d.silent(ip.Unmap()) {
			return nil, silence(ctx, network, addr)
		}
		for _, p := range d.pools {
			if p.ExternalIP != ip.Unmap() || (p.running != nil && !p.running()) {
				continue
			}
			var nd net.Dialer
			c, err := nd.DialContext(ctx, "tcp", p.Listener)
			if err != nil {
				if p.running == nil && errors.Is(err, syscall.ECONNREFUSED) {
					continue // a remote lab's stopped listener
				}
				return nil, err
			}
			remote := net.TCPAddrFromAddrPort(netip.AddrPortFrom(p.ExternalIP, XMPPPort))
			return &labConn{Conn: c, remote: remote}, nil
		}
	}
	return nil, refused(network, addr)
}

// lookup maps host to addresses: an IP literal to itself, a pool or Access
// Edge FQDN to the pool's external IP, any other name through the lab's DNS.
func (d *dialer) lookup(ctx context.Context, host string) ([]netip.Addr, error) {
	if ip, err := netip.ParseAddr(host); err == nil {
		return []netip.Addr{ip}, nil
	}
	name := strings.ToLower(strings.TrimSuffix(host, "."))
	for _, p := range d.pools {
		if name == p.FQDN || name == p.AccessEdge {
			return []netip.Addr{p.ExternalIP}, nil
		}
	}
	if c, err := dnsname.ParseFQDN(name); err != nil || originOf(d.origins, c+".") == "" {
		// Not a host name, or outside the lab's zones: nothing in the
		// lab's world has it.
		return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
	}
	var ips []netip.Addr
	var lastErr error
	answered := false
	for _, t := range []uint16{dns.TypeA, dns.TypeAAAA} {
		got, ok, err := d.query(ctx, dns.Fqdn(name), t)
		if err != nil {
			lastErr = err
			continue
		}
		answered = answered || ok
		ips = append(ips, got...)
	}
	if len(ips) > 0 {
		return ips, nil
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if !answered && lastErr != nil {
		return nil, &net.DNSError{Err: lastErr.Error(), Name: host, IsTemporary: true}
	}
	return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
}

// query asks the lab's name servers in order for (name, t) until one answers
// NOERROR or NXDOMAIN; ok reports that one did.
func (d *dialer) query(ctx context.Context, name string, t uint16) (ips []netip.Addr, ok bool, err error) {
	m := new(dns.Msg)
	m.SetQuestion(name, t)
	for _, server := range d.servers {
		r, _, xerr := d.dnsc.ExchangeContext(ctx, m, server)
		if xerr != nil {
			err = xerr
			continue
		}
		if r.Rcode != dns.RcodeSuccess && r.Rcode != dns.RcodeNameError {
			err = errors.New("answer " + dns.RcodeToString[r.Rcode] + " from " + server)
			continue
		}
		for _, rr := range r.Answer {
			switch v := rr.(type) {
			case *dns.A:
				if ip, good := netip.AddrFromSlice(v.A.To4()); good {
					ips = append(ips, ip)
				}
			case *dns.AAAA:
				if ip, good := netip.AddrFromSlice(v.AAAA); good {
					ips = append(ips, ip)
				}
			}
		}
		return ips, true, nil
	}
	return nil, false, err
}

// refused returns the error of a connection refused by the peer.
func refused(network, addr string) error {
	return &net.OpError{Op: "dial", Net: network, Addr: stringAddr(addr),
		Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}
}

// stringAddr is a net.Addr for an address that was never resolved.
type stringAddr string

func (a stringAddr) Network() string { return "tcp" }
func (a stringAddr) String() string  { return string(a) }

func equalFold(a, b string) bool {
	return strings.EqualFold(strings.TrimSuffix(a, "."), strings.TrimSuffix(b, "."))
}

// labConn is a connection to a listener that reports the pool's external
// address as its remote address.
type labConn struct {
	net.Conn
	remote net.Addr
}

// RemoteAddr returns the pool's external address and port 5269.
func (c *labConn) RemoteAddr() net.Addr { return c.remote }

// CloseWrite shuts down the writing side, as *net.TCPConn does.
func (c *labConn) CloseWrite() error {
	if cw, ok := c.Conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return c.Conn.Close()
}
