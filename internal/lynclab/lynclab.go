// Package lynclab connects lync clients to a lynctest deployment: the one
// place that knows how a real client reaches a fake host (its dialer, its
// credentials, its CA). Test support for this module; lynctest itself cannot
// import lync.
//
// Endpoints use what a default Windows host accepts: NTLM, with message
// encryption over plain HTTP (5985), or over HTTPS (5986).
package lynclab

import (
	"time"

	"github.com/xmppfed/edgefailover/lync"
	"github.com/xmppfed/edgefailover/lync/lynctest"
)

// Endpoint reaches host of d through d's dialer with d's (domain)
// credentials and NTLM, over HTTPS verified with d's CA, or over plain HTTP
// with every message encrypted when https is false. The one-second
// OperationTimeout keeps long polls short (lynctest caps them lower anyway).
func Endpoint(d *lynctest.Deployment, host string, https bool) lync.Endpoint {
	user, pass := d.Credentials()
	ep := lync.Endpoint{
		Host:             host,
		PlainHTTP:        !https,
		Auth:             lync.AuthNTLM,
		Credentials:      lync.Credentials{Username: user, Password: lync.Password(pass)},
		Dial:             d.DialContext,
		OperationTimeout: time.Second,
	}
	if https {
		ep.TLS.RootCAs = d.CertPool()
	}
	return ep
}
