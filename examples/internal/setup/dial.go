package setup

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"strconv"

	"github.com/miekg/dns"

	"github.com/xmppfed/edgefailover/edge"
	"github.com/xmppfed/edgefailover/xmppdns"
)

// ProbeDialer returns the dialer of 5269 probes. Host names are resolved
// through resolvers (A, then AAAA), so that the probe reaches the address
// the verification resolvers see rather than what the local resolver says
// (nil resolvers: the system resolver). connect maps an "ip:port" to the
// "ip:port" to connect to instead (NAT hairpins, port forwards, labs); the
// connection then still reports the mapped-from address as RemoteAddr, so a
// check can tell which pool's address answered.
func ProbeDialer(resolvers []string, connect map[string]string) edge.DialFunc {
	var d net.Dialer
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		host, port, err := net.SplitHostPort(addr)
		if err != nil {
			return nil, err
		}
		var ips []netip.Addr
		if ip, err := netip.ParseAddr(host); err == nil {
			ips = []netip.Addr{ip}
		} else if len(resolvers) > 0 {
			if ips, err = Lookup(ctx, resolvers, host); err != nil {
				return nil, err
			}
		} else {
			return dialMapped(ctx, &d, network, addr, connect)
		}
		var last error
		for _, ip := range ips {
			c, err := dialMapped(ctx, &d, network, net.JoinHostPort(ip.String(), port), connect)
			if err == nil {
				return c, nil
			}
			last = err
		}
		return nil, last
	}
}

func dialMapped(ctx context.Context, d *net.Dialer, network, addr string, connect map[string]string) (net.Conn, error) {
	to, ok := connect[addr]
	if !ok {
		return d.DialContext(ctx, network, addr)
	}
	c, err := d.DialContext(ctx, network, to)
	if err != nil {
		return nil, err
	}
	ap, err := netip.ParseAddrPort(addr)
	if err != nil {
		return c, nil
	}
	return mappedConn{c, net.TCPAddrFromAddrPort(ap)}, nil
}

type mappedConn struct {
	net.Conn
	remote net.Addr
}

func (c mappedConn) RemoteAddr() net.Addr { return c.remote }

// Lookup asks the resolvers (ip:port, in order) for the A and AAAA records
// of host, as a *net.DNSError when none come.
func Lookup(ctx context.Context, resolvers []string, host string) ([]netip.Addr, error) {
	var ips []netip.Addr
	for _, t := range []uint16{dns.TypeA, dns.TypeAAAA} {
		var m dns.Msg
		m.SetQuestion(dns.Fqdn(host), t)
		var ans *dns.Msg
		var err error
		for _, r := range resolvers {
			if ans, err = xmppdns.Exchange(ctx, &m, "udp", r); err == nil && (ans.Rcode == dns.RcodeSuccess || ans.Rcode == dns.RcodeNameError) {
				break
			}
		}
		if err != nil {
			return nil, &net.DNSError{Err: err.Error(), Name: host, IsTemporary: true}
		}
		for _, rr := range ans.Answer {
			switch rr := rr.(type) {
			case *dns.A:
				if ip, ok := netip.AddrFromSlice(rr.A.To4()); ok {
					ips = append(ips, ip)
				}
			case *dns.AAAA:
				if ip, ok := netip.AddrFromSlice(rr.AAAA); ok {
					ips = append(ips, ip)
				}
			}
		}
	}
	if len(ips) == 0 {
		return nil, &net.DNSError{Err: "no A or AAAA record", Name: host, IsNotFound: true}
	}
	return ips, nil
}

// CheckConnect validates a connect map: "ip:port" keys and values.
func CheckConnect(connect map[string]string) error {
	for k, v := range connect {
		if _, err := netip.ParseAddrPort(k); err != nil {
			return fmt.Errorf("%q: key must be ip:port: %v", k, err)
		}
		if _, p, err := net.SplitHostPort(v); err != nil {
			return fmt.Errorf("%q: value %q must be host:port", k, v)
		} else if _, err := strconv.ParseUint(p, 10, 16); err != nil {
			return fmt.Errorf("%q: port of %q: %v", k, v, err)
		}
	}
	return nil
}
