package lynclab

import (
	"context"
	"net"
	"strings"
	"time"

	"github.com/xmppfed/edgefailover/lync/winrm"
)

// RemoteEndpoint reaches host, one of a lynctest deployment served by
// another process, over plain HTTP with NTLM message encryption at the
// loopback address addrs gives for it, with the deployment's credentials:
// what Endpoint gives in the deployment's own process.
func RemoteEndpoint(host string, addrs map[string]string, user, pass string) winrm.Endpoint {
	var d net.Dialer
	return winrm.Endpoint{
		Host:        host,
		PlainHTTP:   true,
		Auth:        winrm.AuthNTLM,
		Credentials: winrm.Credentials{Username: user, Password: winrm.Password(pass)},
		Dial: func(ctx context.Context, network, addr string) (net.Conn, error) {
			name, _, err := net.SplitHostPort(addr)
			if err != nil {
				return nil, err
			}
			if a, ok := addrs[strings.ToLower(strings.TrimSuffix(name, "."))]; ok {
				addr = a
			}
			return d.DialContext(ctx, network, addr)
		},
		OperationTimeout: time.Second,
	}
}
